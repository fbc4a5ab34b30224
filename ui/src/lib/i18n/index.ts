import { addMessages, init, locale } from 'svelte-i18n';
import en from './en.json';
import ko from './ko.json';
import type { Lang } from '../bindings/ipc';

export const catalogues: Record<Lang, typeof en> = { en, ko };
export const languages: { code: Lang; label: string }[] = [
  { code: 'ko', label: '한국어' },
  { code: 'en', label: 'English' },
];

addMessages('en', en);
addMessages('ko', ko);

export function startI18n(initial: Lang): void {
  init({
    fallbackLocale: 'en',
    initialLocale: initial,
    // The accessibility run fails on this warning: every key must exist.
    handleMissingMessage: ({ id, locale }) => {
      console.warn(`[i18n] missing message ${id} (${locale})`);
      return id;
    },
  });
  document.documentElement.lang = initial;
}

export function switchLocale(lang: Lang): void {
  locale.set(lang);
  document.documentElement.lang = lang;
}
