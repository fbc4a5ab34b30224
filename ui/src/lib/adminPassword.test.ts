import { describe, expect, it } from 'vitest';
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import { resetHintKey } from './adminPassword';

describe('the admin reset hint', () => {
  it('says "you chose it" only about a password the user typed', () => {
    expect(resetHintKey('', null)).toBe('admin_reset.hint_app_makes');
    expect(resetHintKey('', 'Gen-123-abc')).toBe('admin_reset.hint_app_makes');
    expect(resetHintKey('Gen-123-abc', 'Gen-123-abc')).toBe('admin_reset.hint_generated');
    expect(resetHintKey('Gen-123-abcX', 'Gen-123-abc')).toBe('admin_reset.hint_chosen');
    expect(resetHintKey('Mine-Own-1!', null)).toBe('admin_reset.hint_chosen');
  });

  it('only the typed-password hint claims the user chose it', () => {
    expect(en.admin_reset.hint_chosen).toContain('you chose');
    expect(en.admin_reset.hint_app_makes).not.toContain('you chose');
    expect(en.admin_reset.hint_generated).not.toContain('you chose');
    expect(ko.admin_reset.hint_chosen).toContain('직접 정했기');
    expect(ko.admin_reset.hint_app_makes).not.toContain('직접 정했기');
    expect(ko.admin_reset.hint_generated).not.toContain('직접 정했기');
  });
});
