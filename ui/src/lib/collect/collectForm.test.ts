import { describe, expect, it } from 'vitest';
import { BODY_MAX_BYTES, checkCollect } from './collectForm';

describe('checkCollect', () => {
  it('converts yuan to fen, trims body', () => {
    expect(checkCollect('12.34', '  咖啡 ')).toEqual({
      input: { total_fee: 1234, body: '咖啡' },
      amountProblem: null,
      bodyProblem: null,
    });
    expect(checkCollect('0.29', 'tea').input?.total_fee).toBe(29);
    expect(checkCollect('7', 'tea').input?.total_fee).toBe(700);
  });

  it('rejects zero and malformed amounts', () => {
    expect(checkCollect('0', 'tea').amountProblem?.key).toBe('collect.error.zero');
    expect(checkCollect('0.00', 'tea').amountProblem?.key).toBe('collect.error.zero');
    expect(checkCollect('', 'tea').amountProblem?.key).toBe('collect.error.empty');
    expect(checkCollect('-1', 'tea').amountProblem?.key).toBe('collect.error.format');
    expect(checkCollect('1.234', 'tea').amountProblem?.key).toBe('collect.error.decimals');
    expect(checkCollect('9999999999999999', 'tea').amountProblem?.key).toBe(
      'collect.error.too_large',
    );
    expect(checkCollect('0', 'tea').input).toBeNull();
  });

  it('limits body to 1..=128 bytes', () => {
    expect(checkCollect('1', '   ').bodyProblem?.key).toBe('collect.error.bodyEmpty');
    expect(checkCollect('1', 'a'.repeat(BODY_MAX_BYTES)).bodyProblem).toBeNull();
    // 42 Chinese characters are 126 bytes; a 43rd makes 129.
    expect(checkCollect('1', '茶'.repeat(42)).bodyProblem).toBeNull();
    const long = checkCollect('1', '茶'.repeat(43));
    expect(long.bodyProblem).toEqual({ key: 'collect.error.bodyLong', params: { count: '129' } });
    expect(long.input).toBeNull();
  });
});
