//! Step "bootstrap_cleanup": the temporary key the flow started with is
//! deleted once the admin user's own key works, and the deletion is checked
//! with the admin identity. A profile the user already had is left alone.

use crate::connection::Connection;
use crate::console_sign_in;
use crate::crash_points::crash_point;
use crate::error::{EngineError, Result};
use crate::iam;
use crate::journal::{Bootstrap, Journal};
use crate::steps::{account_status, identity};
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
    /// The set-up ran on a console sign-in: there is no root key to delete.
    /// The app's own sign-in was signed out (`signed_out`: its token file,
    /// which could refresh the session, is gone from this computer).
    NoKeyMade {
        arn: String,
        signed_out: bool,
    },
    /// The root key can be deleted only by root, signing with that key; the
    /// app is not connected so. The console does it in a few clicks.
    NeedsConsole {
        access_key_id: String,
        console_url: String,
    },
}

/// Where root deletes its own keys, when the app cannot do it safely.
pub const ROOT_KEYS_CONSOLE_URL: &str = "https://console.aws.amazon.com/iam/home#/security_credentials";

/// `bootstrap` is the identity the flow started with; `admin` is the new
/// admin user's, used to verify. The journal marks a key deleted only once
/// the admin identity confirmed it.
/// Before a temporary key goes, the admin user must be able to stand in for
/// it: MFA on (read from AWS), and a console sign-in the user confirmed.
/// Without them, deleting the key could leave nobody able to fix the account.
async fn check_admin_proven(admin: &Connection, journal: &Journal, admin_user: &str) -> Result<()> {
    if iam::mfa_devices(admin, admin_user).await?.is_empty() {
        return Err(EngineError::AdminHasNoMfa(admin_user.to_string()));
    }
    if !journal.data.admin_sign_in_confirmed {
        return Err(EngineError::AdminSignInNotConfirmed);
    }
    Ok(())
}

/// The clean-up of a set-up that ran on a console sign-in. The app's own
/// sign-in profile is signed out; a profile of the user's is left alone.
pub fn end_console_session(profile: &str, arn: &str) -> Result<CleanupOutcome> {
    let signed_out = profile == console_sign_in::SET_UP_PROFILE && console_sign_in::sign_out(profile)?;
    Ok(CleanupOutcome::NoKeyMade {
        arn: arn.to_string(),
        signed_out,
    })
}

pub async fn run(bootstrap: Option<&Connection>, admin: &Connection, journal: &mut Journal, admin_user: &str) -> Result<CleanupOutcome> {
    let (access_key_id, user_name) = match journal.data.bootstrap.clone() {
        None => return Ok(CleanupOutcome::NothingToDo),
        Some(Bootstrap::Existing { description }) => return Ok(CleanupOutcome::LeftAlone { description }),
        Some(Bootstrap::ConsoleSession { profile, arn }) => return end_console_session(&profile, &arn),
        Some(Bootstrap::IamUserKey { access_key_id, user_name }) => {
            return Ok(CleanupOutcome::LeftAlone {
                description: format!("{user_name} ({access_key_id})"),
            })
        }
        Some(Bootstrap::TemporaryKey {
            access_key_id,
            deleted: true,
            ..
        }) => return Ok(CleanupOutcome::AlreadyDeleted { access_key_id }),
        Some(Bootstrap::TemporaryKey {
            access_key_id, user_name, ..
        }) => (access_key_id, user_name),
    };
    check_admin_proven(admin, journal, admin_user).await?;
    let outcome = match &user_name {
        None => delete_root_key(bootstrap, admin, &access_key_id).await?,
        // An IAM user's key is deleted by the admin, by user name.
        Some(user) => {
            iam::delete_access_key(admin, Some(user), &access_key_id).await?;
            CleanupOutcome::Deleted {
                access_key_id: access_key_id.clone(),
                verified: !key_exists(admin, user, &access_key_id).await?,
            }
        }
    };
    crash_point!("bootstrap_cleanup.key_deleted");
    if matches!(
        outcome,
        CleanupOutcome::Deleted { verified: true, .. } | CleanupOutcome::AlreadyDeleted { .. }
    ) {
        journal.set_bootstrap(Bootstrap::TemporaryKey {
            access_key_id,
            user_name,
            deleted: true,
        })?;
    }
    Ok(outcome)
}

/// Root's key can only be deleted by root: with no user name, DeleteAccessKey
/// acts on the caller's own keys, so the caller must be root and must sign
/// with the recorded key, both checked first. Anyone else gets the console
/// guide. "Gone" is only what the admin's `GetAccountSummary` says.
async fn delete_root_key(bootstrap: Option<&Connection>, admin: &Connection, access_key_id: &str) -> Result<CleanupOutcome> {
    let guide = || CleanupOutcome::NeedsConsole {
        access_key_id: access_key_id.to_string(),
        console_url: ROOT_KEYS_CONSOLE_URL.to_string(),
    };
    let gone = || CleanupOutcome::AlreadyDeleted {
        access_key_id: access_key_id.to_string(),
    };
    let Some(root) = bootstrap.filter(|c| c.signing_key_id() == Some(access_key_id)) else {
        // Not connected with the key: deleted already (say, by hand), or the console's job.
        return Ok(if root_keys_present(admin).await? { guide() } else { gone() });
    };
    match identity::who_am_i(root).await {
        Ok(me) if me.is_root() => {}
        Ok(_) => return Ok(guide()),
        // The key no longer signs: deleted by hand, or deactivated. Only the
        // admin's read of the account can tell which.
        Err(EngineError::InvalidCredentials) => return Ok(if root_keys_present(admin).await? { guide() } else { gone() }),
        Err(other) => return Err(other),
    }
    iam::delete_access_key(root, None, access_key_id).await?;
    Ok(CleanupOutcome::Deleted {
        access_key_id: access_key_id.to_string(),
        verified: !root_keys_present(admin).await?,
    })
}

async fn root_keys_present(admin: &Connection) -> Result<bool> {
    Ok(account_status::read(admin).await?.root_access_key_present)
}

/// A user that no longer exists has no keys either.
async fn key_exists(admin: &Connection, user_name: &str, access_key_id: &str) -> Result<bool> {
    let keys = iam::access_keys(admin, user_name).await?.unwrap_or_default();
    Ok(keys.iter().any(|k| k.access_key_id() == Some(access_key_id)))
}
