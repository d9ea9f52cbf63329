// Validation of the Collect screen's form. The amount is typed in yuan and becomes integer
// fen by string parsing. WeChat takes a body of at most 128 bytes of UTF-8 (unifiedorder,
// 9_1), so a Chinese character counts as 3 of them.
import { parseYuan } from '$lib/money';
import { byteLength, type FormProblem } from '$lib/orders/refundForm';

export const BODY_MAX_BYTES = 128;

export type CollectCheck = {
  /** The amount in fen and the trimmed body when both are valid, else null. */
  input: { total_fee: number; body: string } | null;
  amountProblem: FormProblem | null;
  bodyProblem: FormProblem | null;
};

function checkBody(body: string): FormProblem | null {
  const bytes = byteLength(body);
  if (bytes === 0) {
    return { key: 'collect.error.bodyEmpty' };
  }
  if (bytes > BODY_MAX_BYTES) {
    return { key: 'collect.error.bodyLong', params: { count: String(bytes) } };
  }
  return null;
}

function checkAmount(amountText: string): { fen: number | null; problem: FormProblem | null } {
  const parsed = parseYuan(amountText);
  if (!parsed.ok) {
    return { fen: null, problem: { key: `collect.error.${parsed.error}` } };
  }
  if (parsed.fen <= 0) {
    return { fen: null, problem: { key: 'collect.error.zero' } };
  }
  return { fen: parsed.fen, problem: null };
}

export function checkCollect(amountText: string, body: string): CollectCheck {
  const trimmed = body.trim();
  const bodyProblem = checkBody(trimmed);
  const amount = checkAmount(amountText);
  const input =
    amount.fen !== null && bodyProblem === null ? { total_fee: amount.fen, body: trimmed } : null;
  return { input, amountProblem: amount.problem, bodyProblem };
}
