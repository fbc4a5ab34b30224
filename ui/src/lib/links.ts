// Pages the wizard opens in the default browser.
import { openUrl } from '@tauri-apps/plugin-opener';

export const URLS = {
  signup: 'https://portal.aws.amazon.com/billing/signup',
  securityCredentials: 'https://console.aws.amazon.com/iam/home#/security_credentials',
  googleAuthenticator: 'https://support.google.com/accounts/answer/1066447',
  authy: 'https://www.authy.com/download/',
  duoMobile: 'https://duo.com/product/multi-factor-authentication-mfa/duo-mobile-app',
  microsoftAuthenticator: 'https://www.microsoft.com/security/mobile-authenticator-app',
  supportCase: 'https://support.console.aws.amazon.com/support/home#/case/create',
  // Root-only tasks and the end of the course (seed 002).
  accountPage: 'https://console.aws.amazon.com/billing/home#/account',
  bills: 'https://console.aws.amazon.com/billing/home#/bills',
  route53Domains: 'https://console.aws.amazon.com/route53/domains/home#/',
  marketplaceSubscriptions: 'https://console.aws.amazon.com/marketplace/home#/subscriptions',
  // The billing partner's consolidated-billing invitation (seed 000).
  organizationInvitations: 'https://console.aws.amazon.com/organizations/v2/home/invitations',
  // AWS CLI v2, AWS's official installers.
  awsCliGuide: 'https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html',
  awsCliWindows: 'https://awscli.amazonaws.com/AWSCLIV2.msi',
  awsCliMacos: 'https://awscli.amazonaws.com/AWSCLIV2.pkg',
  awsCliLinux: 'https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip',
} as const;

export function open(url: string): Promise<void> {
  return openUrl(url);
}
