//! Step "account_status": what `GetAccountSummary` and the password policy
//! say about the account. Console-only steps (root MFA) are confirmed here,
//! and the final checkup reuses the same result.

use crate::connection::Connection;
use crate::error::Result;
use crate::iam;
use crate::passwords::PasswordPolicy;
use aws_sdk_iam::types::SummaryKeyType;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct AccountStatus {
    /// `AccountMFAEnabled == 1`: the root user has an MFA device.
    pub root_mfa_enabled: bool,
    /// `AccountAccessKeysPresent == 1`: the root user has an access key.
    pub root_access_key_present: bool,
    pub users: i32,
    pub mfa_devices_in_use: i32,
    pub password_policy: Option<PasswordPolicy>,
}

pub async fn read(connection: &Connection) -> Result<AccountStatus> {
    let map = iam::account_summary(connection).await?;
    let value = |key: SummaryKeyType| map.get(&key).copied().unwrap_or(0);
    Ok(AccountStatus {
        root_mfa_enabled: value(SummaryKeyType::AccountMfaEnabled) == 1,
        root_access_key_present: value(SummaryKeyType::AccountAccessKeysPresent) == 1,
        users: value(SummaryKeyType::Users),
        mfa_devices_in_use: value(SummaryKeyType::MfaDevicesInUse),
        password_policy: iam::account_password_policy(connection).await?,
    })
}
