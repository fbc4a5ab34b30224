//! Step "access_key": a key for the admin user, for the AWS CLI and SDKs.
//! AWS shows a new secret exactly once, so the secret goes to the keychain
//! before anything else happens; if that fails, the caller must have the user
//! export it before the flow moves on.

use crate::connection::{ConnectOptions, Connection, CredentialSource};
use crate::crash_points::crash_point;
use crate::error::{EngineError, Result};
use crate::iam;
use crate::journal::{Journal, Pending, Resource};
use crate::keychain;
use crate::steps::identity;
use crate::validation::Invalid;
use secrecy::SecretString;
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// The handout's example description.
pub(crate) const DEFAULT_DESCRIPTION: &str = "myec2-s3-accesskey";
/// AWS allows two keys per user.
pub(crate) const KEYS_PER_USER: usize = 2;

/// Up to 256 characters: letters, digits, spaces and `_ . : / = + - @`.
pub(crate) fn validate_description(description: &str) -> Result<(), Invalid> {
    if description.chars().count() > 256 {
        return Err(Invalid::DescriptionLength);
    }
    if !description
        .chars()
        .all(|c| c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c))
    {
        return Err(Invalid::DescriptionCharacters);
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ExistingKey {
    pub access_key_id: String,
    pub active: bool,
    pub created_by_app: bool,
    /// RFC 3339.
    pub created: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum AccessKeyOutcome {
    /// The key exists and its secret is in the keychain under `profile`.
    Ready {
        access_key_id: String,
        profile: String,
        created_now: bool,
    },
    /// The keychain refused the secret: it is held in memory only, and the
    /// user must export it now.
    MustExport { access_key_id: String },
    /// The user has two keys already. Only keys this app created may be
    /// offered for deletion.
    AtLimit { keys: Vec<ExistingKey> },
    /// A key this app created exists in IAM, but its secret is in no keychain
    /// (a crash between the two). Offer to replace it.
    SecretLost { access_key_id: String },
}

/// A secret AWS has just shown, for the caller to export when the keychain failed.
pub struct NewSecret {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
}

pub(crate) async fn list_keys(connection: &Connection, journal: &Journal, user_name: &str) -> Result<Vec<ExistingKey>> {
    let keys = iam::access_keys(connection, user_name).await?.ok_or_else(|| EngineError::Aws {
        code: iam::NO_SUCH_ENTITY.into(),
        operation: "ListAccessKeys",
    })?;
    Ok(keys
        .iter()
        .filter_map(|k| {
            let id = k.access_key_id()?.to_string();
            Some(ExistingKey {
                created_by_app: journal.created(&Resource::AccessKey {
                    user_name: user_name.to_string(),
                    access_key_id: id.clone(),
                }),
                active: iam::key_is_active(k),
                created: k
                    .create_date()
                    .and_then(|d| d.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
                access_key_id: id,
            })
        })
        .collect())
}

pub struct AccessKeyRequest<'a> {
    pub user_name: &'a str,
    pub profile: &'a str,
    pub description: &'a str,
    /// Replace a key this app created whose secret was lost.
    pub replace_lost: bool,
}

pub async fn create(
    connection: &Connection,
    journal: &mut Journal,
    request: &AccessKeyRequest<'_>,
) -> Result<(AccessKeyOutcome, Option<NewSecret>)> {
    validate_description(request.description)?;
    crate::aws_cli_config::validate_profile_name(request.profile)?;
    let stored = keychain::load_access_key(request.profile)?;
    reconcile_lost_answer(connection, journal, request, stored.as_ref()).await?;
    let keys = list_keys(connection, journal, request.user_name).await?;

    if let Some(stored) = &stored {
        if keys.iter().any(|k| k.access_key_id == stored.access_key_id) {
            // Tagged again: a run cut short after the key was kept may not have.
            tag_description(connection, request.user_name, &stored.access_key_id, request.description).await?;
            return Ok((
                AccessKeyOutcome::Ready {
                    access_key_id: stored.access_key_id.clone(),
                    profile: request.profile.to_string(),
                    created_now: false,
                },
                None,
            ));
        }
    }
    if let Some(lost) = keys.iter().find(|k| k.created_by_app) {
        if !request.replace_lost {
            return Ok((
                AccessKeyOutcome::SecretLost {
                    access_key_id: lost.access_key_id.clone(),
                },
                None,
            ));
        }
        delete_key(connection, journal, request.user_name, &lost.access_key_id).await?;
    } else if keys.len() >= KEYS_PER_USER {
        return Ok((AccessKeyOutcome::AtLimit { keys }, None));
    }

    // Marked before it is sent: if the answer is lost, the next run finds the
    // key AWS made and removes it, since its secret exists nowhere.
    let pending = Pending::AccessKey {
        user_name: request.user_name.to_string(),
        since: unix_now(),
    };
    journal.mark_pending(pending.clone())?;
    let new = iam::create_access_key(connection, request.user_name).await?;
    crash_point!("access_key.created");
    let resource = Resource::AccessKey {
        user_name: request.user_name.to_string(),
        access_key_id: new.access_key_id.clone(),
    };

    // The secret's only copy: the keychain first, before anything is recorded
    // or any other call can fail.
    let saved = keychain::store_access_key(request.profile, &new);
    crash_point!("access_key.in_keychain");
    journal.record(resource)?;
    journal.clear_pending(&pending)?;
    let outcome = match saved {
        Ok(()) => {
            journal.record(Resource::KeychainEntry {
                account: keychain::access_key_account(request.profile),
            })?;
            AccessKeyOutcome::Ready {
                access_key_id: new.access_key_id.clone(),
                profile: request.profile.to_string(),
                created_now: true,
            }
        }
        Err(err) => {
            tracing::warn!(code = %err.code(), "the keychain did not take the new secret; it must be exported");
            return Ok((
                AccessKeyOutcome::MustExport {
                    access_key_id: new.access_key_id.clone(),
                },
                Some(NewSecret {
                    access_key_id: new.access_key_id,
                    secret_access_key: new.secret_access_key,
                }),
            ));
        }
    };

    crash_point!("access_key.recorded");
    tag_description(connection, request.user_name, &new.access_key_id, request.description).await?;
    Ok((outcome, None))
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// How far AWS's clock may be behind this computer's, for matching a key's
/// creation time to the moment its `CreateAccessKey` was sent.
const CLOCK_SLACK_SECONDS: i64 = 300;

/// After a `CreateAccessKey` whose answer never came: a key the keychain holds
/// is recorded; a key made in the pending window that no one holds the secret
/// of is deleted, so the user is never left at the two-key limit with a key
/// nothing tracks.
async fn reconcile_lost_answer(
    connection: &Connection,
    journal: &mut Journal,
    request: &AccessKeyRequest<'_>,
    stored: Option<&keychain::StoredAccessKey>,
) -> Result<()> {
    let Some(since) = journal.data.pending.iter().find_map(|p| match p {
        Pending::AccessKey { user_name, since } if user_name == request.user_name => Some(*since),
        _ => None,
    }) else {
        return Ok(());
    };
    let pending = Pending::AccessKey {
        user_name: request.user_name.to_string(),
        since,
    };
    for key in iam::access_keys(connection, request.user_name).await?.unwrap_or_default() {
        let Some(id) = key.access_key_id() else { continue };
        let resource = Resource::AccessKey {
            user_name: request.user_name.to_string(),
            access_key_id: id.to_string(),
        };
        if stored.is_some_and(|s| s.access_key_id == id) {
            journal.record(resource)?;
            journal.record(Resource::KeychainEntry {
                account: keychain::access_key_account(request.profile),
            })?;
            continue;
        }
        let made_in_window = key.create_date().is_some_and(|d| d.secs() >= since - CLOCK_SLACK_SECONDS);
        if made_in_window && !journal.created(&resource) {
            tracing::info!("deleting a key whose CreateAccessKey answer was lost; its secret exists nowhere");
            iam::delete_access_key(connection, Some(request.user_name), id).await?;
        }
    }
    journal.clear_pending(&pending)
}

/// The console's "description tag": a user tag keyed by the access key id.
pub(crate) async fn tag_description(connection: &Connection, user_name: &str, access_key_id: &str, description: &str) -> Result<()> {
    if description.is_empty() {
        return Ok(());
    }
    iam::tag_user(connection, user_name, iam::tag(access_key_id, description)).await
}

pub(crate) async fn delete_key(connection: &Connection, journal: &mut Journal, user_name: &str, access_key_id: &str) -> Result<()> {
    iam::delete_access_key(connection, Some(user_name), access_key_id).await?;
    journal.forget(&Resource::AccessKey {
        user_name: user_name.to_string(),
        access_key_id: access_key_id.to_string(),
    })
}

/// A new key can take seconds to work everywhere. Polls GetCallerIdentity
/// with backoff for up to `limit`, then returns a connection as the key's user.
/// This is the one hand-written retry loop: the SDK's retries do not cover
/// "not valid yet" answers.
pub async fn wait_until_usable(profile: &str, options: &ConnectOptions, limit: Duration) -> Result<Connection> {
    let stored = keychain::load_access_key(profile)?.ok_or(EngineError::NeedsEarlierStep(crate::walkthrough::StepId::AccessKey))?;
    let source = CredentialSource::AccessKey {
        access_key_id: stored.access_key_id,
        secret_access_key: stored.secret_access_key,
    };
    let connection = Connection::open(&source, options).await?;
    until_valid(connection, limit).await
}

/// Polls `GetCallerIdentity` with backoff (250 ms, doubling, at most 8 s)
/// while AWS answers "invalid" for a key that is brand new, until `limit`.
pub async fn until_valid(connection: Connection, limit: Duration) -> Result<Connection> {
    let started = std::time::Instant::now();
    let mut delay = Duration::from_millis(250);
    loop {
        match identity::who_am_i(&connection).await {
            Ok(_) => return Ok(connection),
            Err(EngineError::InvalidCredentials) if started.elapsed() + delay < limit => {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(8));
            }
            Err(err) => return Err(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_follow_the_console_rules() {
        for good in [
            "myec2-s3-accesskey",
            "",
            "laptop key 2026",
            "a/b=c+d@e:f_g.h",
            "노트북 키",
            &"d".repeat(256),
        ] {
            assert_eq!(validate_description(good), Ok(()), "{good}");
        }
        let bad: &[(&str, Invalid)] = &[
            (&"d".repeat(257), Invalid::DescriptionLength),
            ("semi;colon", Invalid::DescriptionCharacters),
            ("comma,", Invalid::DescriptionCharacters),
            ("quote'", Invalid::DescriptionCharacters),
            ("dq\"", Invalid::DescriptionCharacters),
            ("tab\there", Invalid::DescriptionCharacters),
            ("new\nline", Invalid::DescriptionCharacters),
            ("star*", Invalid::DescriptionCharacters),
            ("hash#", Invalid::DescriptionCharacters),
            ("percent%", Invalid::DescriptionCharacters),
            ("angle<", Invalid::DescriptionCharacters),
            ("angle>", Invalid::DescriptionCharacters),
            ("amp&", Invalid::DescriptionCharacters),
            ("pipe|", Invalid::DescriptionCharacters),
            ("back\\slash", Invalid::DescriptionCharacters),
            ("brace{", Invalid::DescriptionCharacters),
            ("paren(", Invalid::DescriptionCharacters),
            ("bang!", Invalid::DescriptionCharacters),
            ("question?", Invalid::DescriptionCharacters),
            ("tilde~", Invalid::DescriptionCharacters),
        ];
        crate::validation::assert_rejected(bad, validate_description);
    }
}
