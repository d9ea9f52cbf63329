// Validation of the refund dialog's inputs. The amount is typed in yuan and converted to
// integer fen by string parsing. WeChat takes a refund_desc of at most 80 bytes of UTF-8
// (refund API, 9_4), which the console checks too: a Chinese character takes 3 of them.
import { formatFen, parseYuan } from '$lib/money';
import type { MessageKey } from '$lib/messages';

export const REASON_MAX_BYTES = 80;

export type FormProblem = { key: MessageKey; params?: Record<string, string> };

export type RefundCheck = {
  /** The amount in fen when it is valid, else null. */
  fen: number | null;
  amountProblem: FormProblem | null;
  reasonProblem: FormProblem | null;
};

const encoder = new TextEncoder();

/** Counts the UTF-8 bytes of a text, the unit of WeChat's length limits. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

export function checkRefund(
  amountText: string,
  reason: string,
  refundableFee: number,
): RefundCheck {
  const reasonProblem: FormProblem | null =
    byteLength(reason.trim()) > REASON_MAX_BYTES ? { key: 'refundDialog.error.reason' } : null;

  const parsed = parseYuan(amountText);
  if (!parsed.ok) {
    return {
      fen: null,
      amountProblem: { key: `refundDialog.error.${parsed.error}` },
      reasonProblem,
    };
  }
  if (parsed.fen <= 0) {
    return { fen: null, amountProblem: { key: 'refundDialog.error.zero' }, reasonProblem };
  }
  if (parsed.fen > refundableFee) {
    return {
      fen: null,
      amountProblem: {
        key: 'refundDialog.error.over',
        params: { amount: formatFen(refundableFee) },
      },
      reasonProblem,
    };
  }
  return { fen: parsed.fen, amountProblem: null, reasonProblem };
}
