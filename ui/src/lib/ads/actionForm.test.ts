import { describe, expect, it } from 'vitest';
import { checkActionForm, type ActionForm } from './actionForm';

const EMPTY: ActionForm = {
  actionType: 'PURCHASE',
  openid: '',
  clickId: '',
  valueText: '',
  claimType: '',
  url: '',
  actionTime: '',
};

describe('checkActionForm', () => {
  it('maps empty text fields to null', () => {
    const check = checkActionForm({ ...EMPTY, openid: 'oUser1' }, 'Asia/Shanghai');

    expect(check.input).toEqual({
      action_type: 'PURCHASE',
      openid: 'oUser1',
      click_id: null,
      value: null,
      claim_type: null,
      url: null,
      action_time: null,
    });
    expect(check.identityMissing).toBe(false);
  });

  it('requires an openid or a click id', () => {
    expect(checkActionForm(EMPTY, 'Asia/Shanghai').identityMissing).toBe(true);
    expect(checkActionForm({ ...EMPTY, clickId: 'wx0abc' }, 'Asia/Shanghai').identityMissing).toBe(
      false,
    );
  });

  it('takes the value as integer fen', () => {
    const check = checkActionForm({ ...EMPTY, valueText: '1999' }, 'Asia/Shanghai');

    expect(check.input.value).toBe(1999);
    expect(check.valueInvalid).toBe(false);
  });

  it('flags a value in yuan', () => {
    const check = checkActionForm({ ...EMPTY, valueText: '19.99' }, 'Asia/Shanghai');

    expect(check.input.value).toBeNull();
    expect(check.valueInvalid).toBe(true);
  });

  it('converts claim type and time', () => {
    const check = checkActionForm(
      { ...EMPTY, claimType: '0', actionTime: '2024-03-01T08:00' },
      'Asia/Shanghai',
    );

    expect(check.input.claim_type).toBe(0);
    expect(check.input.action_time).toBe(1709251200);
  });

  it('trims the url', () => {
    const check = checkActionForm({ ...EMPTY, url: ' https://shop.example/p/1 ' }, 'UTC');

    expect(check.input.url).toBe('https://shop.example/p/1');
  });

  it('warns about old and future times', () => {
    const now = 1709251200;
    const at = (local: string) =>
      checkActionForm({ ...EMPTY, actionTime: local }, 'Asia/Shanghai', now).timeWarning;

    expect(at('2024-03-01T08:00')).toBeNull();
    expect(at('2024-02-23T08:00')).toBeNull();
    expect(at('2024-02-23T07:59')).toBe('old');
    expect(at('2024-03-01T08:04')).toBeNull();
    expect(at('2024-03-01T08:06')).toBe('future');
    expect(checkActionForm(EMPTY, 'Asia/Shanghai', now).timeWarning).toBeNull();
  });
});
