// The UI language, zh-CN by default, remembered across launches in localStorage.
import { messages, type MessageKey } from './messages';
import type { AppError } from '$lib/bindings/AppError';

export type Lang = 'zh-CN' | 'en';

const STORAGE_KEY = 'console.lang';

function initialLang(): Lang {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'zh-CN';
}

export const locale = $state<{ lang: Lang }>({ lang: initialLang() });

export function setLang(lang: Lang): void {
  locale.lang = lang;
  globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = lang;
  }
}

/** Looks up a UI string in the current language and fills `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const entry = messages[key];
  const template = locale.lang === 'en' ? entry.en : entry.zh;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Picks the message of an explained failure in the current language. */
export function errorText(error: AppError): string {
  return locale.lang === 'en' ? error.message_en : error.message_zh;
}
