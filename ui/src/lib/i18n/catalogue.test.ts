import { describe, expect, it } from 'vitest';
import en from './en.json';
import ko from './ko.json';
import { leafKeys, placeholders } from './keys';

function lookup(tree: unknown, key: string): string {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) as string;
}

describe('catalogues', () => {
  it('have exactly the same keys in Korean and English', () => {
    const missingInKo = leafKeys(en).filter((k) => !leafKeys(ko).includes(k));
    const missingInEn = leafKeys(ko).filter((k) => !leafKeys(en).includes(k));
    expect(missingInKo).toEqual([]);
    expect(missingInEn).toEqual([]);
  });

  it('have no empty messages', () => {
    for (const catalogue of [en, ko]) {
      for (const key of leafKeys(catalogue)) {
        expect(lookup(catalogue, key).trim(), key).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of leafKeys(en)) {
      expect(placeholders(lookup(ko, key)), key).toEqual(placeholders(lookup(en, key)));
    }
  });

  it('leafKeys finds nested keys and detects a missing one', () => {
    expect(leafKeys({ a: { b: 'x', c: 'y' }, d: 'z' })).toEqual(['a.b', 'a.c', 'd']);
    expect(leafKeys({ a: { b: 'x' } })).not.toEqual(leafKeys({ a: { b: 'x', c: 'y' } }));
  });
});
