//! The two quotas that shape a class: how many accounts the organization may
//! hold (checked before anything is created), and how many may be closed in
//! a rolling 30 days (10 %, at least 10 and at most 1,000).

use super::errors::AccountsError;
use crate::aws_error::tolerating;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const SERVICE_CODE: &str = "organizations";
/// Service Quotas' code for "Default maximum number of accounts". AWS says
/// codes may change, so the quota is also looked up by its name.
const ACCOUNTS_QUOTA_CODE: &str = "L-29A0C5DF";
const ACCOUNTS_QUOTA_NAME: &str = "Default maximum number of accounts";
/// Answers meaning "Service Quotas has nothing to say here": not this region,
/// not this service, or no permission to ask.
const UNREADABLE: [&str; 4] = [
    "NoSuchResourceException",
    "NoAvailableOrganizationException",
    "AccessDeniedException",
    "IllegalArgumentException",
];

/// The organization's account quota: the applied value (by code, else by
/// name), else AWS's default, else what the instructor said (`fallback`).
pub(crate) async fn account_quota(sq: &aws_sdk_servicequotas::Client, fallback: Option<u32>) -> Result<u32> {
    let applied = sq
        .get_service_quota()
        .service_code(SERVICE_CODE)
        .quota_code(ACCOUNTS_QUOTA_CODE)
        .send()
        .await;
    let value = match tolerating(applied, &UNREADABLE)? {
        Some(out) => out.quota.and_then(|q| q.value),
        None => match applied_by_name(sq).await {
            Some(value) => Some(value),
            None => {
                let default = sq
                    .get_aws_default_service_quota()
                    .service_code(SERVICE_CODE)
                    .quota_code(ACCOUNTS_QUOTA_CODE)
                    .send()
                    .await;
                // A last resort before asking the instructor: any failure here means "not known".
                match default {
                    Ok(out) => out.quota.and_then(|q| q.value),
                    Err(err) => {
                        tracing::info!(code = %crate::aws_error::from_sdk(err).code(), "the default account quota is not readable");
                        None
                    }
                }
            }
        },
    };
    match value {
        Some(v) if v >= 1.0 => Ok(v as u32),
        _ => fallback.ok_or_else(|| AccountsError::QuotaUnknown.into()),
    }
}

/// The applied quota found by its name, in case its code changed; any failure means "not known".
async fn applied_by_name(sq: &aws_sdk_servicequotas::Client) -> Option<f64> {
    let pages: Vec<_> = sq
        .list_service_quotas()
        .service_code(SERVICE_CODE)
        .into_paginator()
        .send()
        .collect()
        .await;
    let mut quotas = Vec::new();
    for page in pages {
        match page {
            Ok(out) => quotas.extend(out.quotas.unwrap_or_default()),
            Err(err) => {
                tracing::info!(code = %crate::aws_error::from_sdk(err).code(), "the organization's quotas are not listable");
                return None;
            }
        }
    }
    quotas
        .into_iter()
        .find(|q| q.quota_name() == Some(ACCOUNTS_QUOTA_NAME))
        .and_then(|q| q.value)
}

/// Stops a class that cannot fit before anything is created. `existing`
/// counts every account of the organization, closed ones too (they count
/// for 90 days), and `needed` the accounts the pool cannot supply.
pub(crate) fn check_fits(quota: u32, existing: u32, needed: u32) -> Result<(), AccountsError> {
    if existing + needed > quota {
        Err(AccountsError::Quota { quota, existing, needed })
    } else {
        Ok(())
    }
}

/// How many accounts may still be closed now: 10 % of the members (at least
/// 10, at most 1,000) in a rolling 30 days, less those this app closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct CloseAllowance {
    pub limit: u32,
    pub closed_recently: u32,
    pub remaining: u32,
}

pub(crate) fn close_allowance(members: u32, closed_recently: u32) -> CloseAllowance {
    let limit = (members / 10).clamp(10, 1000);
    CloseAllowance {
        limit,
        closed_recently,
        remaining: limit.saturating_sub(closed_recently),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_that_does_not_fit_is_stopped_with_the_numbers() {
        assert_eq!(check_fits(10, 1, 9), Ok(()));
        assert_eq!(
            check_fits(10, 1, 12),
            Err(AccountsError::Quota {
                quota: 10,
                existing: 1,
                needed: 12
            })
        );
    }

    #[test]
    fn closing_is_rationed() {
        assert_eq!(close_allowance(31, 0).limit, 10);
        assert_eq!(close_allowance(500, 0).limit, 50);
        assert_eq!(close_allowance(50_000, 0).limit, 1000);
        assert_eq!(close_allowance(31, 4).remaining, 6);
        assert_eq!(close_allowance(31, 12).remaining, 0);
    }
}
