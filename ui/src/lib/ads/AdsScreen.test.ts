import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeBackend } from '../../../e2e/fake/backend';
import type { UserActionInput } from '$lib/bindings/UserActionInput';
import { setLang } from '$lib/i18n.svelte';
import AdsScreen from './AdsScreen.svelte';

function setUp() {
  const backend = new FakeBackend({ orderCount: 0 });
  mockIPC((command, args) => backend.handle(command, args as Record<string, unknown>));
  render(AdsScreen, { props: { timeZone: 'Asia/Shanghai' } });
  return backend;
}

function lastPreviewInput(backend: FakeBackend): UserActionInput | undefined {
  const previews = backend.calls.filter((call) => call.command === 'preview_user_action');
  return previews[previews.length - 1]?.args.input as UserActionInput | undefined;
}

const sendButton = () => screen.getByTestId('ad-send') as HTMLButtonElement;

beforeEach(() => setLang('zh-CN'));
afterEach(() => clearMocks());

describe('AdsScreen', () => {
  it('previews the form as typed', async () => {
    const backend = setUp();

    await fireEvent.change(screen.getByTestId('ad-action-type'), {
      target: { value: 'COMPLETE_ORDER' },
    });
    await fireEvent.input(screen.getByTestId('ad-openid'), { target: { value: 'oUser42' } });
    await fireEvent.input(screen.getByTestId('ad-value'), { target: { value: '2500' } });
    await fireEvent.change(screen.getByTestId('ad-claim-type'), { target: { value: '0' } });

    await waitFor(() =>
      expect(lastPreviewInput(backend)).toEqual({
        action_type: 'COMPLETE_ORDER',
        openid: 'oUser42',
        click_id: null,
        value: 2500,
        claim_type: 0,
        url: null,
        action_time: null,
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('ad-preview').textContent).toContain('"wechat_openid": "oUser42"'),
    );
    expect(screen.getByText('= ¥25.00')).toBeTruthy();
  });

  it('debounces the preview while typing', async () => {
    const backend = setUp();
    const openid = screen.getByTestId('ad-openid');

    for (const text of ['o', 'oU', 'oUs', 'oUse', 'oUser']) {
      await fireEvent.input(openid, { target: { value: text } });
    }

    await waitFor(() => expect(lastPreviewInput(backend)?.openid).toBe('oUser'));
    const previews = backend.calls.filter((call) => call.command === 'preview_user_action');
    expect(previews.length).toBeLessThanOrEqual(2);
  });

  it('needs an openid or a click id to send', async () => {
    setUp();
    expect(sendButton().disabled).toBe(true);

    await fireEvent.input(screen.getByTestId('ad-click-id'), { target: { value: 'wx0clk' } });

    expect(sendButton().disabled).toBe(false);
  });

  it('rejects a value that is not whole fen', async () => {
    setUp();
    await fireEvent.input(screen.getByTestId('ad-openid'), { target: { value: 'oUser42' } });

    await fireEvent.input(screen.getByTestId('ad-value'), { target: { value: '19.99' } });

    expect(sendButton().disabled).toBe(true);
    expect(screen.getByText('请输入整数分，例如 1999')).toBeTruthy();
  });

  it('sends, shows the result and logs it', async () => {
    const backend = setUp();
    await fireEvent.input(screen.getByTestId('ad-openid'), { target: { value: 'oUser42' } });

    await fireEvent.click(sendButton());

    await waitFor(() => expect(screen.getByTestId('ad-result').textContent).toContain('errcode 0'));
    expect(screen.getByTestId('ad-result').textContent).toContain('微信已接收');
    await waitFor(() => expect(screen.getAllByTestId('ad-log-row')).toHaveLength(1));
    const sent = backend.calls.find((call) => call.command === 'send_user_action');
    expect((sent?.args.input as UserActionInput).openid).toBe('oUser42');
  });

  it('explains a WeChat errcode in the log', async () => {
    const backend = new FakeBackend({ orderCount: 0 });
    mockIPC((command, args) => {
      if (command === 'send_user_action') {
        return {
          id: 9,
          at: 1709251200,
          action_type: 'PURCHASE',
          request_body: '{"actions":[]}',
          response_body: '{"errcode":900351001,"errmsg":"openid not resolved"}',
          errcode: 900351001,
          errmsg: 'openid not resolved',
          explanation: {
            code: '900351001',
            message_zh: '无法识别该 openid，或公众号未授权给广告账户。',
            message_en: 'The openid could not be resolved, or the account is not authorised.',
            retryable: false,
          },
        };
      }
      return backend.handle(command, args as Record<string, unknown>);
    });
    render(AdsScreen, { props: { timeZone: 'Asia/Shanghai' } });
    await fireEvent.input(screen.getByTestId('ad-openid'), { target: { value: 'oOther' } });

    await fireEvent.click(sendButton());

    const result = screen.getByTestId('ad-result');
    await waitFor(() => expect(result.textContent).toContain('errcode 900351001'));
    expect(result.textContent).toContain('无法识别该 openid');
  });
});
