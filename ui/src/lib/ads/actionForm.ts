// The ads form's fields as typed, and their conversion to the command's input.
import type { UserActionInput } from '$lib/bindings/UserActionInput';
import { parseFenInteger } from '$lib/money';
import { zonedToUnix } from '$lib/time';

/** Action types for Official Account follow ads first, then the wider Tencent Ads list. */
export const ACTION_TYPES = [
  'COMPLETE_ORDER',
  'PURCHASE',
  'RESERVATION',
  'REGISTER',
  'VIEW_CONTENT',
  'ADD_TO_CART',
  'CONSULT',
] as const;

/** Attribution kinds WeChat numbers 0 to 4: click, follow, impression, registration, activation. */
export const CLAIM_TYPES = [0, 1, 2, 3, 4] as const;

export type ActionForm = {
  actionType: string;
  openid: string;
  clickId: string;
  valueText: string;
  /** '' when not set, else one of CLAIM_TYPES as text. */
  claimType: string;
  url: string;
  /** `YYYY-MM-DDTHH:mm` in the merchant's zone, '' for the moment of sending. */
  actionTime: string;
};

/**
 * How old an action may be, as an estimate: WeChat does not document the limit, so the form
 * warns past the default 7-day attribution window instead of blocking.
 */
export const ACTION_MAX_AGE_SECONDS = 7 * 86400;
/** Allowance for clocks that run a little ahead before a time counts as in the future. */
export const ACTION_FUTURE_SLACK_SECONDS = 5 * 60;

export type FormCheck = {
  input: UserActionInput;
  valueInvalid: boolean;
  identityMissing: boolean;
  timeInvalid: boolean;
  /** 'old' past the estimated age limit, 'future' when ahead of now; null otherwise. */
  timeWarning: 'old' | 'future' | null;
};

function optional(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

export function checkActionForm(
  form: ActionForm,
  timeZone: string,
  nowSeconds: number = Date.now() / 1000,
): FormCheck {
  const value = form.valueText.trim() === '' ? null : parseFenInteger(form.valueText);
  const actionTime = form.actionTime === '' ? null : zonedToUnix(form.actionTime, timeZone);
  const openid = optional(form.openid);
  const clickId = optional(form.clickId);

  return {
    input: {
      action_type: form.actionType,
      openid,
      click_id: clickId,
      value: value !== null && value.ok ? value.fen : null,
      claim_type: form.claimType === '' ? null : Number(form.claimType),
      url: optional(form.url),
      action_time: actionTime,
    },
    valueInvalid: value !== null && !value.ok,
    identityMissing: openid === null && clickId === null,
    timeInvalid: form.actionTime !== '' && actionTime === null,
    timeWarning: timeWarningOf(actionTime, nowSeconds),
  };
}

function timeWarningOf(actionTime: number | null, nowSeconds: number): 'old' | 'future' | null {
  if (actionTime === null) {
    return null;
  }
  if (actionTime > nowSeconds + ACTION_FUTURE_SLACK_SECONDS) {
    return 'future';
  }
  if (actionTime < nowSeconds - ACTION_MAX_AGE_SECONDS) {
    return 'old';
  }
  return null;
}
