import { describe, expect, it } from 'vitest';
import { fenToYuanText, formatFen, parseFenInteger, parseYuan } from './money';

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [29, '¥0.29'],
    [100, '¥1.00'],
    [1234, '¥12.34'],
    [-1234, '-¥12.34'],
    [900719925474099, '¥9007199254740.99'],
  ])('formats %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('rejects a fractional fen amount', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('prefills yuan text without the sign', () => {
    expect(fenToYuanText(1205)).toBe('12.05');
  });
});

describe('parseYuan', () => {
  it.each([
    ['12', 1200],
    ['12.3', 1230],
    ['12.34', 1234],
    ['0.29', 29],
    ['0.07', 7],
    ['1.10', 110],
    ['12.', 1200],
    ['  8.88 ', 888],
    ['007.50', 750],
    ['0', 0],
    ['4.35', 435],
    ['1.00', 100],
  ])('parses %s as %i fen', (text, fen) => {
    expect(parseYuan(text)).toEqual({ ok: true, fen });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['1.234', 'decimals'],
    ['0.001', 'decimals'],
    ['-1', 'format'],
    ['+1', 'format'],
    ['1e3', 'format'],
    ['.5', 'format'],
    ['1,000', 'format'],
    ['¥12', 'format'],
    ['12.3.4', 'format'],
    ['1234567890123456', 'too_large'],
  ])('rejects %j as %s', (text, error) => {
    expect(parseYuan(text)).toEqual({ ok: false, error });
  });

  it('round-trips every cent of the first ten yuan exactly', () => {
    for (let fen = 0; fen <= 1000; fen += 1) {
      expect(parseYuan(fenToYuanText(fen))).toEqual({ ok: true, fen });
    }
  });
});

describe('parseFenInteger', () => {
  it('parses digits', () => {
    expect(parseFenInteger('1999')).toEqual({ ok: true, fen: 1999 });
  });

  it('rejects a decimal point', () => {
    expect(parseFenInteger('19.99')).toEqual({ ok: false, error: 'format' });
  });

  it('rejects an empty value', () => {
    expect(parseFenInteger('')).toEqual({ ok: false, error: 'empty' });
  });
});
