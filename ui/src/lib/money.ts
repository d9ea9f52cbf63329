// Money crosses the boundary as integer fen. These helpers never touch floating point, so
// a yuan text such as "0.29" becomes exactly 29 fen and 29 fen prints as "¥0.29".

/** Formats integer fen as `¥` with two decimals, for example 1234 -> "¥12.34". */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) {
    throw new RangeError(`amount in fen must be a safe integer, got ${fen}`);
  }
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const rest = abs % 100;
  return `${sign}¥${yuan}.${rest.toString().padStart(2, '0')}`;
}

/** Formats integer fen as plain yuan text without the currency sign, for prefilling inputs. */
export function fenToYuanText(fen: number): string {
  return formatFen(fen).replace('¥', '');
}

export type YuanParseError = 'empty' | 'format' | 'decimals' | 'too_large';

export type YuanParse = { ok: true; fen: number } | { ok: false; error: YuanParseError };

const YUAN_PATTERN = /^(\d+)(?:\.(\d*))?$/;

/**
 * Parses a non-negative yuan amount typed by a person ("12", "12.3", "12.34", ".5" is
 * rejected) into integer fen by splitting the digits, never through a float.
 */
export function parseYuan(text: string): YuanParse {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: false, error: 'empty' };
  }

  const match = YUAN_PATTERN.exec(trimmed);
  if (match === null) {
    return { ok: false, error: 'format' };
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > 2) {
    return { ok: false, error: 'decimals' };
  }

  const digits = (whole + fraction.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) {
    return { ok: false, error: 'too_large' };
  }
  const fen = Number(digits);
  if (!Number.isSafeInteger(fen)) {
    return { ok: false, error: 'too_large' };
  }
  return { ok: true, fen };
}

/** Parses an integer fen amount typed by a person, for the ads form's purchase value. */
export function parseFenInteger(text: string): YuanParse {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: false, error: 'empty' };
  }
  if (!/^\d+$/.test(trimmed)) {
    return { ok: false, error: 'format' };
  }
  const digits = trimmed.replace(/^0+(?=\d)/, '');
  if (digits.length > 15) {
    return { ok: false, error: 'too_large' };
  }
  return { ok: true, fen: Number(digits) };
}
