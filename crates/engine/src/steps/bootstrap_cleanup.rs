//! Step "bootstrap_cleanup": the temporary key the flow started with is
//! deleted once the admin user's own key works, and the deletion is checked
//! with the admin identity. A profile the user already had is left alone.

use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::iam;
use crate::journal::{Bootstrap, Journal};
use crate::steps::account_status;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum CleanupOutcome {
    /// Deleted; `verified` when the admin identity confirmed it.
    Deleted {
        access_key_id: String,
        verified: bool,
    },
    AlreadyDeleted {
        access_key_id: String,
    },
    /// The flow started from the user's own profile or key: not ours to delete.
    LeftAlone {
        description: String,
    },
    NothingToDo,
}

/// `bootstrap` is the identity the flow started with; `admin` is the new
/// admin user's, used to verify.
pub async fn run(bootstrap: Option<&Connection>, admin: &Connection, journal: &mut Journal) -> Result<CleanupOutcome> {
    let outcome = match journal.data.bootstrap.clone() {
        None => CleanupOutcome::NothingToDo,
        Some(Bootstrap::Existing { description }) => CleanupOutcome::LeftAlone { description },
        Some(Bootstrap::IamUserKey { access_key_id, user_name }) => CleanupOutcome::LeftAlone {
            description: format!("{user_name} ({access_key_id})"),
        },
        Some(Bootstrap::TemporaryKey {
            access_key_id,
            deleted: true,
            ..
        }) => CleanupOutcome::AlreadyDeleted { access_key_id },
        Some(Bootstrap::TemporaryKey {
            access_key_id,
            user_name,
            deleted: false,
        }) => {
            // Root's key can only be deleted by root: with no user name,
            // DeleteAccessKey acts on the caller's own key. An IAM user's key
            // is deleted by the admin.
            let (caller, request) = match &user_name {
                None => (
                    bootstrap.ok_or(EngineError::NeedsEarlierStep(crate::walkthrough::StepId::Identity))?,
                    None,
                ),
                Some(user) => (admin, Some(user.clone())),
            };
            match iam::delete_access_key(caller, request.as_deref(), &access_key_id).await {
                // Already gone (tolerated by the call), or the key no longer signs: both mean deleted.
                Ok(()) | Err(EngineError::InvalidCredentials) => {}
                Err(other) => return Err(other),
            }
            journal.set_bootstrap(Bootstrap::TemporaryKey {
                access_key_id: access_key_id.clone(),
                user_name: user_name.clone(),
                deleted: true,
            })?;
            let verified = match &user_name {
                None => !account_status::read(admin).await?.root_access_key_present,
                Some(user) => !key_exists(admin, user, &access_key_id).await?,
            };
            CleanupOutcome::Deleted { access_key_id, verified }
        }
    };
    Ok(outcome)
}

/// A user that no longer exists has no keys either.
async fn key_exists(admin: &Connection, user_name: &str, access_key_id: &str) -> Result<bool> {
    let keys = iam::access_keys(admin, user_name).await?.unwrap_or_default();
    Ok(keys.iter().any(|k| k.access_key_id() == Some(access_key_id)))
}
