import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_REQ_INFO,
  FAKE_VALID_HMAC,
  FAKE_VALID_MD5,
  FakeBackend,
  type FakeOptions,
} from '../../../e2e/fake/backend';
import { setLang } from '$lib/i18n.svelte';
import ToolsScreen from './ToolsScreen.svelte';

function setUp(options: FakeOptions = {}) {
  const backend = new FakeBackend({ orderCount: 10, ...options });
  mockIPC((command, args) => backend.handle(command, args as Record<string, unknown>));
  render(ToolsScreen, {
    props: { timeZone: 'Asia/Shanghai', sandbox: (options.mode ?? 'sandbox') === 'sandbox' },
  });
  return backend;
}

const NOTIFY_FIELDS = [
  ['appid', 'wx2421b1c4370ec43b'],
  ['mch_id', '10000100'],
  ['out_trade_no', 'WX2026110500000001'],
  ['total_fee', '1800'],
  ['transaction_id', '4200000123202611050123456789'],
];

function xmlOf(fields: string[][]): string {
  const body = fields.map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`).join('');
  return `<xml>${body}</xml>`;
}

beforeEach(() => setLang('zh-CN'));
afterEach(() => clearMocks());

describe('Tools access_token', () => {
  it('starts empty, then shows the times after a refresh', async () => {
    setUp();
    expect((await screen.findByTestId('token-none')).textContent).toContain('尚未获取');

    await fireEvent.click(screen.getByTestId('token-refresh'));

    const times = await screen.findByTestId('token-times');
    expect(times.textContent).toContain('获取时间');
    expect(times.textContent).toMatch(/剩余 1\d\d 分钟/);
    expect(times.textContent).not.toMatch(/access_token=/);
  });
});

describe('Tools OAuth helper', () => {
  it('shows the link as text and as a QR code', async () => {
    setUp();
    await fireEvent.click(screen.getByTestId('oauth-build'));

    const url = await screen.findByTestId('oauth-url');
    expect(url.textContent).toContain('scope=snsapi_base');
    expect(url.textContent).toContain('#wechat_redirect');
    const qr = (await screen.findByTestId('oauth-qr')) as HTMLImageElement;
    expect(qr.src.startsWith('data:image/svg+xml')).toBe(true);
    expect(decodeURIComponent(qr.src)).toContain('<svg');
  });

  it('explains an invalid redirect URI', async () => {
    setUp();
    await fireEvent.input(screen.getByTestId('oauth-redirect'), { target: { value: 'back' } });
    await fireEvent.click(screen.getByTestId('oauth-build'));

    const banner = await screen.findByTestId('error-banner');
    expect(banner.dataset.code).toBe('INVALID_INPUT');
    expect(screen.queryByTestId('oauth-qr')).toBeNull();
  });

  it('runs the sandbox flow to an openid, once per code', async () => {
    setUp();
    await fireEvent.click(screen.getByTestId('oauth-sandbox'));

    const pasted = screen.getByTestId('oauth-pasted') as HTMLInputElement;
    await waitFor(() => expect(pasted.value).toMatch(/\?code=061Fake\d+Code&state=console$/));
    await fireEvent.click(screen.getByTestId('oauth-exchange'));
    expect((await screen.findByTestId('oauth-openid')).textContent).toMatch(/^oUpF8u/);

    await fireEvent.click(screen.getByTestId('oauth-exchange'));
    const banner = await screen.findByTestId('error-banner');
    expect(banner.dataset.code).toBe('40163');
    expect(banner.textContent).toContain('已被使用');
    expect(screen.getByTestId('oauth-code-help').textContent).toContain('40029');
  });

  it('hides the simulator button for a live profile', async () => {
    setUp({ mode: 'live' });
    await screen.findByTestId('oauth-build');
    expect(screen.queryByTestId('oauth-sandbox')).toBeNull();
  });
});

describe('Tools signature checker', () => {
  it('names the algorithm that matched', async () => {
    setUp();
    const message = xmlOf([...NOTIFY_FIELDS, ['sign', FAKE_VALID_MD5]]);
    await fireEvent.input(screen.getByTestId('signature-input'), { target: { value: message } });
    await fireEvent.click(screen.getByTestId('signature-check'));

    expect((await screen.findByTestId('signature-ok')).textContent).toContain('签名正确（MD5）');
    const signed = screen.getByTestId('signed-string').textContent ?? '';
    expect(signed.startsWith('appid=wx2421b1c4370ec43b&mch_id=10000100&')).toBe(true);
    expect(signed.endsWith('key=********************************')).toBe(true);
  });

  it('reads name=value lines and HMAC-SHA256', async () => {
    setUp();
    const lines = [...NOTIFY_FIELDS, ['sign_type', 'HMAC-SHA256'], ['sign', FAKE_VALID_HMAC]]
      .map(([name, value]) => `${name}=${value}`)
      .join('\n');
    await fireEvent.input(screen.getByTestId('signature-input'), { target: { value: lines } });
    await fireEvent.keyDown(screen.getByTestId('signature-input'), { key: 'Enter', ctrlKey: true });

    expect((await screen.findByTestId('signature-ok')).textContent).toContain('HMAC-SHA256');
    expect(screen.getByTestId('signature-fields').textContent).toContain('sign_type');
  });

  it('explains a mismatch', async () => {
    setUp();
    const message = xmlOf([...NOTIFY_FIELDS, ['sign', '0'.repeat(32)]]);
    await fireEvent.input(screen.getByTestId('signature-input'), { target: { value: message } });
    await fireEvent.click(screen.getByTestId('signature-check'));

    const banner = await screen.findByTestId('error-banner');
    expect(banner.dataset.code).toBe('SIGN_MISMATCH');
    expect(screen.queryByTestId('signature-ok')).toBeNull();
  });
});

describe('Tools notify decoder', () => {
  it('decodes a payment notify', async () => {
    setUp();
    const message = xmlOf([...NOTIFY_FIELDS, ['sign', FAKE_VALID_MD5]]);
    await fireEvent.input(screen.getByTestId('notify-input'), { target: { value: message } });
    await fireEvent.click(screen.getByTestId('notify-decode'));

    const result = await screen.findByTestId('notify-result');
    expect(result.dataset.kind).toBe('payment');
    expect(result.textContent).toContain('支付结果通知');
    expect(screen.getByTestId('notify-total').textContent).toBe('¥18.00');
  });

  it('decrypts a refund notify', async () => {
    setUp();
    const message = xmlOf([
      ['return_code', 'SUCCESS'],
      ['req_info', FAKE_REQ_INFO],
    ]);
    await fireEvent.input(screen.getByTestId('notify-input'), { target: { value: message } });
    await fireEvent.click(screen.getByTestId('notify-decode'));

    const result = await screen.findByTestId('notify-result');
    expect(result.dataset.kind).toBe('refund');
    expect(result.textContent).toContain('req_info 已解密');
    expect(screen.getByTestId('notify-refund').textContent).toBe('¥8.00');
    expect(screen.getByTestId('notify-fields').textContent).not.toContain('req_info');
  });

  it('explains a forged notify', async () => {
    setUp();
    const message = xmlOf([...NOTIFY_FIELDS, ['sign', 'F'.repeat(32)]]);
    await fireEvent.input(screen.getByTestId('notify-input'), { target: { value: message } });
    await fireEvent.click(screen.getByTestId('notify-decode'));

    expect((await screen.findByTestId('error-banner')).dataset.code).toBe('SIGN_ERROR');
    expect(screen.queryByTestId('notify-result')).toBeNull();
  });
});
