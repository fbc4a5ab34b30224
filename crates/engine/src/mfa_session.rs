//! MFA sessions for the AWS CLI. A profile set up this way keeps the admin's
//! key in the keychain, but the AWS CLI never sees it: `credential_process`
//! hands out `GetSessionToken` credentials made with the admin's MFA, and
//! caches them in the keychain until 5 minutes before they expire, so a
//! repeated call makes no AWS call at all. Because the request included MFA,
//! the session may call IAM (a session without MFA may not).
//!
//! The profile says what it is: `credential_process` carries `--mfa-session
//! <length>`, and `mfa_serial` names the admin's MFA device, the key the AWS
//! CLI itself uses for the same purpose.

use crate::connection::{validate_region, DEFAULT_REGION};
use crate::error::{EngineError, Result};
use crate::keychain::{self, StoredAccessKey};
use crate::steps::user_mfa::{self, MfaSeed};
use crate::validation::Invalid;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime};
use zeroize::Zeroizing;

/// A working day, as `aws-vault` and the console default to.
pub const DEFAULT_LENGTH: Duration = Duration::from_secs(12 * 3600);
/// `GetSessionToken`'s limits for an IAM user.
pub const SHORTEST: Duration = Duration::from_secs(15 * 60);
pub const LONGEST: Duration = Duration::from_secs(36 * 3600);
/// A cached session is handed out until this long before it ends, so the
/// AWS CLI never starts a command with credentials about to expire.
pub const REFRESH_BEFORE: Duration = Duration::from_secs(5 * 60);

/// `90m`, `12h`: minutes or hours, within `GetSessionToken`'s limits.
pub fn parse_length(text: &str) -> std::result::Result<Duration, Invalid> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let number: u64 = number.parse().map_err(|_| Invalid::SessionLength)?;
    let seconds = match unit {
        "m" => number.checked_mul(60),
        "h" => number.checked_mul(3600),
        _ => None,
    }
    .ok_or(Invalid::SessionLength)?;
    let length = Duration::from_secs(seconds);
    if (SHORTEST..=LONGEST).contains(&length) {
        Ok(length)
    } else {
        Err(Invalid::SessionLength)
    }
}

/// The form [`parse_length`] reads: whole hours as `12h`, else minutes.
pub fn format_length(length: Duration) -> String {
    let seconds = length.as_secs();
    if seconds.is_multiple_of(3600) {
        format!("{}h", seconds / 3600)
    } else {
        format!("{}m", seconds / 60)
    }
}

/// Temporary credentials of one session. Only zeroizing parts.
pub struct SessionCredentials {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    pub session_token: SecretString,
    pub expiration: SystemTime,
}

impl std::fmt::Debug for SessionCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("expiration", &self.expiration)
            .finish_non_exhaustive()
    }
}

/// The cached form, and what `credential_process` prints (with `Version`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SessionRecord<'a> {
    #[serde(default = "version_one")]
    version: u8,
    access_key_id: &'a str,
    secret_access_key: &'a str,
    session_token: &'a str,
    /// RFC 3339, as the AWS CLI reads it.
    expiration: String,
}

fn version_one() -> u8 {
    1
}

/// A time as RFC 3339, the form the AWS CLI reads and prints.
pub fn rfc3339(time: SystemTime) -> Result<String> {
    DateTime::from(time)
        .fmt(Format::DateTime)
        .map_err(|e| EngineError::Internal(e.to_string()))
}

impl SessionCredentials {
    /// The JSON the AWS CLI reads from `credential_process`: with a
    /// `SessionToken`, and an `Expiration` so it asks again in time.
    pub fn process_json(&self) -> Result<Zeroizing<String>> {
        let record = SessionRecord {
            version: 1,
            access_key_id: &self.access_key_id,
            secret_access_key: self.secret_access_key.expose_secret(),
            session_token: self.session_token.expose_secret(),
            expiration: rfc3339(self.expiration)?,
        };
        serde_json::to_string(&record)
            .map(Zeroizing::new)
            .map_err(|e| EngineError::Internal(e.to_string()))
    }

    fn from_json(json: &str) -> Option<SessionCredentials> {
        let record: SessionRecord = serde_json::from_str(json).ok()?;
        let expiration = DateTime::from_str(&record.expiration, Format::DateTime).ok()?;
        Some(SessionCredentials {
            access_key_id: record.access_key_id.to_string(),
            secret_access_key: SecretString::from(record.secret_access_key),
            session_token: SecretString::from(record.session_token),
            expiration: SystemTime::try_from(expiration).ok()?,
        })
    }

    /// Still good for at least [`REFRESH_BEFORE`] at `now`.
    pub fn fresh_at(&self, now: SystemTime) -> bool {
        now + REFRESH_BEFORE < self.expiration
    }
}

/// The keychain entry of a profile's cached session. A session token is long
/// enough to pass a Windows Credential Manager entry, so it is kept in parts.
pub fn cache_account(profile: &str) -> String {
    format!("mfa-session/{profile}")
}

/// The profile's cached session, if it is still fresh at `now`.
pub fn cached(profile: &str, now: SystemTime) -> Result<Option<SessionCredentials>> {
    let Some(json) = keychain::get_in_parts(&cache_account(profile))? else {
        return Ok(None);
    };
    Ok(SessionCredentials::from_json(json.expose_secret()).filter(|s| s.fresh_at(now)))
}

/// When the profile's cached session ends, fresh or not (for `login-status`).
pub fn cached_until(profile: &str) -> Result<Option<SystemTime>> {
    let Some(json) = keychain::get_in_parts(&cache_account(profile))? else {
        return Ok(None);
    };
    Ok(SessionCredentials::from_json(json.expose_secret()).map(|s| s.expiration))
}

pub fn keep(profile: &str, session: &SessionCredentials) -> Result<()> {
    let json = session.process_json()?;
    keychain::set_in_parts(&cache_account(profile), &SecretString::from(json.as_str()))
}

pub fn forget(profile: &str) -> Result<()> {
    keychain::delete_in_parts(&cache_account(profile))
}

/// `arn:aws:iam::123456789012:mfa/name` → `123456789012`.
fn account_of_serial(serial: &str) -> Option<&str> {
    if !serial.starts_with("arn:aws") {
        return None;
    }
    let account = serial.split(':').nth(4)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// With "this computer is the authenticator", the seed the app keeps for the
/// key's user; `None` when the user has a phone app (or the key predates the
/// user name being kept with it).
pub fn this_computer_seed(serial: &str, key: &StoredAccessKey) -> Result<Option<MfaSeed>> {
    let (Some(account), Some(user)) = (account_of_serial(serial), key.user_name.as_deref()) else {
        return Ok(None);
    };
    let Some(seed) = keychain::get(&keychain::mfa_seed_account(account, user))? else {
        return Ok(None);
    };
    Ok(MfaSeed::parse(seed.expose_secret()).ok())
}

/// The code "this computer" shows now.
pub fn this_computer_code(seed: &MfaSeed) -> String {
    user_mfa::current_code(seed).0
}

/// A typed code must be 6 digits before AWS sees it.
pub fn check_code(code: &str) -> std::result::Result<String, Invalid> {
    let code = code.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_string())
    } else {
        Err(Invalid::MfaCodeFormat)
    }
}

/// `GetSessionToken` with the stored key and the MFA code. The region and any
/// endpoint come from the environment, as for the AWS CLI that called us
/// (`AWS_REGION`, `AWS_ENDPOINT_URL`), never from the profile being served,
/// whose `credential_process` would call us again.
pub async fn start(profile: &str, key: &StoredAccessKey, serial: &str, code: &str, length: Duration) -> Result<SessionCredentials> {
    let code = check_code(code)?;
    let region = std::env::var("AWS_REGION")
        .ok()
        .filter(|r| validate_region(r).is_ok())
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region))
        .credentials_provider(Credentials::new(
            &key.access_key_id,
            key.secret_access_key.expose_secret(),
            None,
            None,
            "aws-setup-keychain",
        ))
        .load()
        .await;
    request(&aws_sdk_sts::Client::new(&config), profile, &code, serial, length).await
}

/// `GetSessionToken` itself, on a given client (the mock tests give theirs).
pub async fn request(sts: &aws_sdk_sts::Client, profile: &str, code: &str, serial: &str, length: Duration) -> Result<SessionCredentials> {
    let out = sts
        .get_session_token()
        .duration_seconds(length.as_secs() as i32)
        .serial_number(serial)
        .token_code(code)
        .send()
        .await
        .map_err(|err| match crate::aws_error::from_sdk(err) {
            // AWS answers a wrong or reused code with AccessDenied
            // ("MultiFactorAuthentication failed ...").
            EngineError::AccessDenied { .. } | EngineError::Invalid(_) => EngineError::MfaCodeRejected(profile.to_string()),
            other => other,
        })?;
    let credentials = out
        .credentials()
        .ok_or_else(|| EngineError::Internal("GetSessionToken returned no credentials".into()))?;
    Ok(SessionCredentials {
        access_key_id: credentials.access_key_id().to_string(),
        secret_access_key: SecretString::from(credentials.secret_access_key().to_string()),
        session_token: SecretString::from(credentials.session_token().to_string()),
        expiration: SystemTime::try_from(*credentials.expiration()).map_err(|e| EngineError::Internal(e.to_string()))?,
    })
}

/// What `credential_process --mfa-session` hands out: the cached session
/// while it is fresh (no AWS call), else a new one, made with a code from
/// this computer's seed or from `ask` (a terminal or a window), and cached.
/// `None` when the keychain has no key for the profile.
pub fn serve(
    profile: &str,
    length: Duration,
    keychain_wait: Duration,
    ask: impl FnOnce() -> Option<String>,
) -> Result<Option<SessionCredentials>> {
    let owned = profile.to_string();
    let (cached, key) = keychain::within(keychain_wait, move || {
        let cached = cached(&owned, SystemTime::now())?;
        let key = match cached {
            Some(_) => None,
            None => keychain::load_access_key(&owned)?,
        };
        Ok((cached, key))
    })?;
    if let Some(session) = cached {
        return Ok(Some(session));
    }
    let Some(key) = key else { return Ok(None) };
    let serial = serial_of(profile)?;
    let code = match this_computer_seed(&serial, &key)? {
        Some(seed) => this_computer_code(&seed),
        None => ask().ok_or(EngineError::MfaCodeNeeded(profile.to_string()))?,
    };
    let session = block_on(start(profile, &key, &serial, &code, length))??;
    keep(profile, &session)?;
    Ok(Some(session))
}

/// The MFA device a profile's sessions are made with (its `mfa_serial`).
fn serial_of(profile: &str) -> Result<String> {
    crate::aws_cli_config::config_value(profile, "mfa_serial").ok_or(EngineError::MfaCodeNeeded(profile.to_string()))
}

/// The session length a profile was set up with: the `--mfa-session LENGTH`
/// of its `credential_process` line. `None` for any other profile.
pub fn length_of_profile(profile: &str) -> Option<Duration> {
    let line = crate::aws_cli_config::config_value(profile, "credential_process")?;
    let after = line.split("--mfa-session").nth(1)?;
    parse_length(after.split_whitespace().next()?).ok()
}

/// A new session for a profile set up for MFA sessions, with a code the user
/// typed (in a terminal, or in the app's small code window), cached for the
/// AWS CLI's next calls. Returns when it ends.
///
/// The typed code is used even when this computer holds the seed: the user
/// asked for a session made with that code.
pub async fn start_for_profile(profile: &str, code: &str) -> Result<SystemTime> {
    let code = check_code(code)?;
    let length = length_of_profile(profile).ok_or_else(|| EngineError::ProfileNotFound(profile.to_string()))?;
    let serial = serial_of(profile)?;
    let key = keychain::load_access_key(profile)?.ok_or(EngineError::NeedsEarlierStep(crate::walkthrough::StepId::AccessKey))?;
    let session = start(profile, &key, &serial, &code, length).await?;
    keep(profile, &session)?;
    Ok(session.expiration)
}

/// [`start_for_profile`] from a caller with no async runtime (the CLI).
pub fn start_for_profile_blocking(profile: &str, code: &str) -> Result<SystemTime> {
    block_on(start_for_profile(profile, code))?
}

/// Runs one future on a runtime made for it: `credential_process` starts
/// none up front, to stay cheap on a cache hit.
fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| EngineError::Internal(e.to_string()))?;
    Ok(runtime.block_on(future))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_minutes_or_hours_within_aws_limits() {
        assert_eq!(parse_length("12h"), Ok(DEFAULT_LENGTH));
        assert_eq!(parse_length("15m"), Ok(SHORTEST));
        assert_eq!(parse_length("36h"), Ok(LONGEST));
        assert_eq!(parse_length("90m"), Ok(Duration::from_secs(5400)));
        for bad in ["14m", "37h", "12", "h", "", "-1h", "1.5h", "12d", "99999999999999999999h"] {
            assert_eq!(parse_length(bad), Err(Invalid::SessionLength), "{bad:?}");
        }
        for length in [SHORTEST, DEFAULT_LENGTH, LONGEST, Duration::from_secs(5400)] {
            assert_eq!(parse_length(&format_length(length)), Ok(length));
        }
    }

    #[test]
    fn the_json_round_trips_and_never_debug_prints_a_secret() {
        let session = SessionCredentials {
            access_key_id: "ASIAEXAMPLE123456789".into(),
            secret_access_key: SecretString::from("session/secret+key".to_string()),
            session_token: SecretString::from("token".repeat(300)),
            expiration: SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000),
        };
        let json = session.process_json().unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["Version"], 1);
        assert_eq!(value["Expiration"], "2030-03-17T17:46:40Z");
        assert!(value["SessionToken"].as_str().unwrap().starts_with("tokentoken"));
        let read = SessionCredentials::from_json(&json).unwrap();
        assert_eq!(read.expiration, session.expiration);
        assert_eq!(read.session_token.expose_secret(), session.session_token.expose_secret());
        let debug = format!("{session:?}");
        assert!(!debug.contains("secret+key") && !debug.contains("tokentoken"), "{debug}");
    }

    #[test]
    fn a_session_is_handed_out_until_five_minutes_before_it_ends() {
        let end = SystemTime::UNIX_EPOCH + Duration::from_secs(10_000);
        let session = SessionCredentials {
            access_key_id: "ASIA".into(),
            secret_access_key: SecretString::from("s".to_string()),
            session_token: SecretString::from("t".to_string()),
            expiration: end,
        };
        assert!(session.fresh_at(end - Duration::from_secs(301)));
        assert!(!session.fresh_at(end - Duration::from_secs(300)));
        assert!(!session.fresh_at(end));
    }

    #[test]
    fn the_account_is_read_from_the_mfa_serial() {
        assert_eq!(account_of_serial("arn:aws:iam::123456789012:mfa/admin"), Some("123456789012"));
        assert_eq!(account_of_serial("arn:aws-cn:iam::123456789012:mfa/admin"), Some("123456789012"));
        assert_eq!(account_of_serial("GAHT12345678"), None);
        assert_eq!(account_of_serial("arn:aws:iam::12:mfa/admin"), None);
    }

    #[test]
    fn typed_codes_are_six_digits() {
        assert_eq!(check_code(" 123456\n"), Ok("123456".into()));
        for bad in ["12345", "1234567", "12345a", ""] {
            assert_eq!(check_code(bad), Err(Invalid::MfaCodeFormat), "{bad:?}");
        }
    }
}
