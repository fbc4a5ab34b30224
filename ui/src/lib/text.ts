import type { Bilingual, Lang, Resource } from './bindings/ipc';

/** The text of a bilingual engine message in the window's language. */
export function pick(text: Bilingual, lang: Lang): string {
  return lang === 'ko' ? text.ko : text.en;
}

/** The catalogue key and placeholder values that describe a resource. */
export function resourceText(resource: Resource): { key: string; values: Record<string, string> } {
  const { type, ...fields } = resource;
  return { key: `resources.${type}`, values: fields as Record<string, string> };
}

/** The AWS console sign-in address for an alias or a 12-digit account id. */
export function signInUrl(aliasOrAccountId: string): string {
  return `https://${aliasOrAccountId}.signin.aws.amazon.com/console`;
}

/** Calls `fn` once typing has paused for `ms`; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}
