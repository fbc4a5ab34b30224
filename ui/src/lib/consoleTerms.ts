// "In the console this is…": the console's own labels for what each API
// screen does, as the Korean lab handouts quote them. Each term has a label
// (`terms.<screen>.<term>.label`, the console's words) and what it means in
// the app (`terms.<screen>.<term>.means`).

export const CONSOLE_TERMS = {
  alias: ['iam_dashboard', 'create', 'create_alias'],
  admin_user: [
    'create_user',
    'console_access',
    'want_iam_user',
    'custom_password',
    'reset_next_sign_in',
    'attach_directly',
    'add_to_group',
    'review_create',
    'retrieve_password',
    'iam_user_sign_in',
    'account_id_or_alias',
  ],
  user_mfa: ['security_credentials', 'assign_mfa_device', 'device_name', 'authenticator_app', 'show_qr', 'show_secret', 'mfa_code_1', 'mfa_code_2', 'add_mfa'],
  access_key: ['security_credentials', 'create_access_key', 'best_practices', 'description_tag', 'retrieve_keys', 'download_csv'],
} as const;

export type TermsScreen = keyof typeof CONSOLE_TERMS;

/** The catalogue keys of one screen's terms, label then meaning. */
export function termKeys(screen: TermsScreen): { id: string; label: string; means: string }[] {
  return CONSOLE_TERMS[screen].map((id) => ({ id, label: `terms.${screen}.${id}.label`, means: `terms.${screen}.${id}.means` }));
}
