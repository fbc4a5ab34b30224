//! What stops an accounts-mode class, with stable codes. The sentences live in
//! the window's catalogues (`classroom_accounts.errors.*`), so the window and
//! the CLI say the same thing in both languages.

use crate::catalogue;
use crate::error::ErrorCode;
use crate::lang::Lang;

/// Where an instructor asks AWS for more accounts.
pub const QUOTA_INCREASE_URL: &str = "https://console.aws.amazon.com/servicequotas/home/services/organizations/quotas/L-29A0C5DF";
/// Where the organization instance of Identity Center is enabled (console only).
pub const IDENTITY_CENTER_CONSOLE_URL: &str = "https://console.aws.amazon.com/singlesignon/home";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountsError {
    #[error("the organization allows {quota} accounts, has {existing}, and the class needs {needed} more")]
    Quota { quota: u32, existing: u32, needed: u32 },
    #[error("the organization's account quota could not be read")]
    QuotaUnknown,
    #[error("the caller is not in the organization's management account")]
    NotManagementAccount { management_account: String },
    #[error("the organization does not have all features enabled")]
    NotAllFeatures,
    #[error("IAM Identity Center is not enabled for the organization")]
    IdentityCenterNotEnabled,
    /// AWS's `FailureReason` (an enum name such as `EMAIL_ALREADY_EXISTS`).
    #[error("creating the account failed: {reason}")]
    CreationFailed { reason: String },
    #[error("the email {0} belongs to an account that is not this class's")]
    EmailTaken(String),
}

impl AccountsError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AccountsError::Quota { .. } => ErrorCode::ClassAccountQuota,
            AccountsError::QuotaUnknown => ErrorCode::ClassAccountQuotaUnknown,
            AccountsError::NotManagementAccount { .. } => ErrorCode::ClassNotManagementAccount,
            AccountsError::NotAllFeatures => ErrorCode::ClassOrganizationNotAllFeatures,
            AccountsError::IdentityCenterNotEnabled => ErrorCode::ClassIdentityCenterNotEnabled,
            AccountsError::CreationFailed { .. } => ErrorCode::ClassAccountCreationFailed,
            AccountsError::EmailTaken(_) => ErrorCode::ClassAccountEmailTaken,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let key = format!(
            "classroom_accounts.errors.{}",
            self.code().as_str().trim_start_matches("classroom.")
        );
        match self {
            AccountsError::Quota { quota, existing, needed } => catalogue::text(
                lang,
                &key,
                &[
                    ("quota", &quota.to_string()),
                    ("existing", &existing.to_string()),
                    ("needed", &needed.to_string()),
                    ("total", &(existing + needed).to_string()),
                    ("url", QUOTA_INCREASE_URL),
                ],
            ),
            AccountsError::QuotaUnknown => catalogue::text(lang, &key, &[("url", QUOTA_INCREASE_URL)]),
            AccountsError::NotManagementAccount { management_account } => catalogue::text(lang, &key, &[("account", management_account)]),
            AccountsError::IdentityCenterNotEnabled => catalogue::text(lang, &key, &[("url", IDENTITY_CENTER_CONSOLE_URL)]),
            AccountsError::CreationFailed { reason } => catalogue::text(lang, &key, &[("reason", reason)]),
            AccountsError::EmailTaken(email) => catalogue::text(lang, &key, &[("email", email)]),
            AccountsError::NotAllFeatures => catalogue::text(lang, &key, &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_filled_sentence_in_both_languages() {
        let all = [
            AccountsError::Quota {
                quota: 10,
                existing: 1,
                needed: 12,
            },
            AccountsError::QuotaUnknown,
            AccountsError::NotManagementAccount {
                management_account: "111122223333".into(),
            },
            AccountsError::NotAllFeatures,
            AccountsError::IdentityCenterNotEnabled,
            AccountsError::CreationFailed {
                reason: "EMAIL_ALREADY_EXISTS".into(),
            },
            AccountsError::EmailTaken("a+cs-b@example.com".into()),
        ];
        for err in all {
            for lang in [Lang::Ko, Lang::En] {
                let text = err.message(lang);
                assert!(
                    !text.contains("classroom_accounts.") && !text.contains('{'),
                    "{err:?} {lang:?}: {text}"
                );
            }
            assert!(err.message(Lang::Ko).chars().any(|c| ('가'..='힣').contains(&c)));
        }
        let quota = AccountsError::Quota {
            quota: 10,
            existing: 1,
            needed: 12,
        };
        let en = quota.message(Lang::En);
        assert!(en.contains("10") && en.contains("13") && en.contains(QUOTA_INCREASE_URL), "{en}");
    }
}
