// Validation of the refund dialog's inputs. The amount is typed in yuan and converted to
// integer fen by string parsing; WeChat takes refund_desc of at most 80 characters.
import { formatFen, parseYuan } from '$lib/money';
import type { MessageKey } from '$lib/messages';

export const REASON_MAX_CHARS = 80;

export type FormProblem = { key: MessageKey; params?: Record<string, string> };

export type RefundCheck = {
  /** The amount in fen when it is valid, else null. */
  fen: number | null;
  amountProblem: FormProblem | null;
  reasonProblem: FormProblem | null;
};

/** Counts user-perceived characters, so that a Chinese character or an emoji counts once. */
export function charCount(text: string): number {
  return Array.from(text).length;
}

export function checkRefund(
  amountText: string,
  reason: string,
  refundableFee: number,
): RefundCheck {
  const reasonProblem: FormProblem | null =
    charCount(reason.trim()) > REASON_MAX_CHARS ? { key: 'refundDialog.error.reason' } : null;

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
