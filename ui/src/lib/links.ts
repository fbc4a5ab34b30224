// Pages the wizard opens in the default browser.
import { openUrl } from '@tauri-apps/plugin-opener';

export const URLS = {
  signup: 'https://portal.aws.amazon.com/billing/signup',
  securityCredentials: 'https://console.aws.amazon.com/iam/home#/security_credentials',
  googleAuthenticator: 'https://support.google.com/accounts/answer/1066447',
  authy: 'https://www.authy.com/download/',
  microsoftAuthenticator: 'https://www.microsoft.com/security/mobile-authenticator-app',
  supportCase: 'https://support.console.aws.amazon.com/support/home#/case/create',
} as const;

export function open(url: string): Promise<void> {
  return openUrl(url);
}
