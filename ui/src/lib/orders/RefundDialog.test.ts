import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderRow } from '$lib/bindings/OrderRow';
import type { RefundView } from '$lib/bindings/RefundView';
import { setLang } from '$lib/i18n.svelte';
import RefundDialog from './RefundDialog.svelte';

const ORDER: OrderRow = {
  id: 7,
  out_trade_no: 'WX20240301000007',
  transaction_id: '4200000000202403010000000007',
  trade_type: 'NATIVE',
  trade_state: 'SUCCESS',
  total_fee: 2000,
  refunded_fee: 766,
  body: 'coffee',
  openid: null,
  created_at: 1709251200,
  paid_at: 1709251210,
};

function refundView(status: string, fee: number, no = 'RF20240301000007A'): RefundView {
  return {
    out_refund_no: no,
    out_trade_no: ORDER.out_trade_no,
    refund_id: status === 'PENDING' ? null : '50000000000000000000000001',
    refund_fee: fee,
    reason: null,
    status,
    error: null,
    requested_at: 1709254800,
    succeeded_at: status === 'SUCCESS' ? 1709254810 : null,
  };
}

type Channel = { onmessage: (message: RefundView) => void };

function renderDialog(refundableFee = 1234) {
  const onClose = vi.fn();
  const onUpdate = vi.fn();
  render(RefundDialog, { props: { order: ORDER, refundableFee, onClose, onUpdate } });
  return { onClose, onUpdate };
}

const amountInput = () => screen.getByTestId('refund-amount') as HTMLInputElement;
const nextButton = () => screen.getByTestId('refund-next') as HTMLButtonElement;

beforeEach(() => setLang('zh-CN'));
afterEach(() => clearMocks());

describe('RefundDialog validation', () => {
  it('prefills the refundable rest in yuan', () => {
    mockIPC(() => null);
    renderDialog(1234);

    expect(amountInput().value).toBe('12.34');
    expect(nextButton().disabled).toBe(false);
  });

  it.each([
    ['0', '退款金额必须大于 0'],
    ['0.00', '退款金额必须大于 0'],
    ['12.345', '金额最多两位小数'],
    ['12.35', '退款金额不能超过可退金额 ¥12.34'],
    ['abc', '金额格式不正确'],
    ['-1', '金额格式不正确'],
    ['', '请输入退款金额'],
  ])('rejects %j', async (text, message) => {
    mockIPC(() => null);
    renderDialog(1234);

    await fireEvent.input(amountInput(), { target: { value: text } });

    expect(nextButton().disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toContain(message);
  });

  it('accepts the exact refundable rest', async () => {
    mockIPC(() => null);
    renderDialog(1234);

    await fireEvent.input(amountInput(), { target: { value: '12.34' } });

    expect(nextButton().disabled).toBe(false);
  });

  it('limits the reason to 80 bytes', async () => {
    mockIPC(() => null);
    renderDialog();
    const reason = screen.getByTestId('refund-reason');

    await fireEvent.input(reason, { target: { value: 'a'.repeat(80) } });
    expect(nextButton().disabled).toBe(false);

    await fireEvent.input(reason, { target: { value: '退'.repeat(26) } });
    expect(nextButton().disabled).toBe(false);

    await fireEvent.input(reason, { target: { value: '退'.repeat(27) } });
    expect(nextButton().disabled).toBe(true);
    expect(screen.getByText('退款原因最多 80 字节（约 26 个汉字）')).toBeTruthy();

    await fireEvent.input(reason, { target: { value: 'a'.repeat(81) } });
    expect(nextButton().disabled).toBe(true);
  });
});

describe('RefundDialog confirmation', () => {
  it('repeats amount and order before sending', async () => {
    const invoked: string[] = [];
    mockIPC((command) => {
      invoked.push(command);
      return null;
    });
    renderDialog();

    await fireEvent.input(amountInput(), { target: { value: '5.6' } });
    await fireEvent.click(nextButton());

    const dialog = screen.getByTestId('refund-dialog');
    expect(dialog.textContent).toContain('确认退款 ¥5.60 给订单 WX20240301000007？');
    expect(screen.getByTestId('refund-confirm').textContent).toContain('¥5.60');
    expect(invoked).toEqual([]);
  });

  it('goes back to the form with the amount kept', async () => {
    mockIPC(() => null);
    renderDialog();
    await fireEvent.input(amountInput(), { target: { value: '3' } });
    await fireEvent.click(nextButton());

    await fireEvent.click(screen.getByText('返回修改'));

    expect(amountInput().value).toBe('3');
  });

  it('sends one refund for a double click', async () => {
    let release: (view: RefundView) => void = () => {};
    const inputs: unknown[] = [];
    mockIPC((command, args) => {
      if (command === 'refund_order') {
        inputs.push((args as { input: unknown }).input);
        return new Promise<RefundView>((resolve) => (release = resolve));
      }
      if (command === 'follow_refund') {
        return refundView('SUCCESS', 560);
      }
      return null;
    });
    renderDialog();
    await fireEvent.input(amountInput(), { target: { value: '5.60' } });
    await fireEvent.input(screen.getByTestId('refund-reason'), { target: { value: ' 退货 ' } });
    await fireEvent.click(nextButton());

    const confirm = screen.getByTestId('refund-confirm') as HTMLButtonElement;
    confirm.click();
    confirm.click();
    await waitFor(() =>
      expect((screen.getByTestId('refund-confirm') as HTMLButtonElement).disabled).toBe(true),
    );
    release(refundView('PROCESSING', 560));

    await waitFor(() => expect(screen.getByText('退款成功', { selector: 'p' })).toBeTruthy());
    expect(inputs).toEqual([
      { out_trade_no: ORDER.out_trade_no, out_refund_no: null, refund_fee: 560, reason: '退货' },
    ]);
  });

  it('follows the refund and reports each state', async () => {
    mockIPC(async (command, args) => {
      if (command === 'refund_order') {
        return refundView('PROCESSING', 1234);
      }
      if (command === 'follow_refund') {
        const channel = (args as { onUpdate: Channel }).onUpdate;
        channel.onmessage(refundView('PROCESSING', 1234));
        await new Promise((resolve) => setTimeout(resolve, 20));
        channel.onmessage(refundView('SUCCESS', 1234));
        return refundView('SUCCESS', 1234);
      }
      return null;
    });
    const { onUpdate } = renderDialog();
    await fireEvent.click(nextButton());
    await fireEvent.click(screen.getByTestId('refund-confirm'));

    await waitFor(() =>
      expect(screen.getByTestId('refund-progress').dataset.status).toBe('SUCCESS'),
    );
    const statuses = onUpdate.mock.calls.map(([view]) => (view as RefundView).status);
    expect(statuses[0]).toBe('PROCESSING');
    expect(statuses[statuses.length - 1]).toBe('SUCCESS');
  });
});

describe('RefundDialog following', () => {
  it('offers another check while still processing', async () => {
    let follows = 0;
    mockIPC((command) => {
      if (command === 'refund_order') {
        return refundView('PROCESSING', 1234);
      }
      if (command === 'follow_refund') {
        follows += 1;
        return refundView(follows === 1 ? 'PROCESSING' : 'SUCCESS', 1234);
      }
      return null;
    });
    renderDialog();
    await fireEvent.click(nextButton());
    await fireEvent.click(screen.getByTestId('refund-confirm'));

    const again = await screen.findByText('再次查询');
    await fireEvent.click(again);

    await waitFor(() =>
      expect(screen.getByTestId('refund-progress').dataset.status).toBe('SUCCESS'),
    );
    expect(follows).toBe(2);
  });
});

describe('RefundDialog failures', () => {
  it('shows the explained NOTENOUGH message', async () => {
    mockIPC((command) => {
      if (command === 'refund_order') {
        return Promise.reject({
          code: 'NOTENOUGH',
          message_zh: '退款失败：商户账户余额不足。请先充值后再退款。',
          message_en: 'Refund failed: the merchant balance is too low. Top up, then refund again.',
          retryable: false,
        });
      }
      return null;
    });
    renderDialog();
    await fireEvent.click(nextButton());
    await fireEvent.click(screen.getByTestId('refund-confirm'));

    const banner = await screen.findByTestId('error-banner');
    expect(banner.dataset.code).toBe('NOTENOUGH');
    expect(banner.textContent).toContain('请先充值后再退款');
    expect(screen.queryByText('重试')).toBeNull();
  });

  it('shows the English message after a language switch', async () => {
    mockIPC((command) =>
      command === 'refund_order'
        ? Promise.reject({
            code: 'TRADE_OVERDUE',
            message_zh: '订单已超过退款期限。',
            message_en: 'The order is past the refund period.',
            retryable: false,
          })
        : null,
    );
    setLang('en');
    renderDialog();
    await fireEvent.click(nextButton());
    await fireEvent.click(screen.getByTestId('refund-confirm'));

    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('The order is past the refund period.');
  });

  it('retries with the stored refund number', async () => {
    const inputs: Array<{ out_refund_no: string | null }> = [];
    mockIPC((command, args) => {
      if (command === 'refund_order') {
        inputs.push((args as { input: { out_refund_no: string | null } }).input);
        if (inputs.length === 1) {
          return Promise.reject({
            code: 'SYSTEMERROR',
            message_zh: '微信系统繁忙，请用同一退款单号重试。',
            message_en: 'WeChat is busy; retry with the same refund number.',
            retryable: true,
          });
        }
        return refundView('PROCESSING', 1234, 'RF-STORED-1');
      }
      if (command === 'order_detail') {
        return {
          order: ORDER,
          fields: [],
          refunds: [
            refundView('PENDING', 1234, 'RF-STORED-1'),
            refundView('SUCCESS', 766, 'RF-OLD'),
          ],
          timeline: [],
          refundable_fee: 0,
        };
      }
      if (command === 'follow_refund') {
        return refundView('SUCCESS', 1234, 'RF-STORED-1');
      }
      return null;
    });
    renderDialog();
    await fireEvent.click(nextButton());
    await fireEvent.click(screen.getByTestId('refund-confirm'));

    const retry = await screen.findByText('重试');
    await waitFor(() => expect(inputs).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await fireEvent.click(retry);

    await waitFor(() => expect(inputs).toHaveLength(2));
    expect(inputs[0]?.out_refund_no).toBeNull();
    expect(inputs[1]?.out_refund_no).toBe('RF-STORED-1');
  });

  it('closes on Escape before submitting', async () => {
    mockIPC(() => null);
    const { onClose } = renderDialog();

    await fireEvent.keyDown(window, { key: 'Escape' });

    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
