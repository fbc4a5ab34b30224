//! The OS keychain: Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows. The store is chosen explicitly per OS, because with no
//! store set keyring-core keeps nothing, and a silent in-memory fallback would
//! lose the one copy of a secret AWS shows only once.
//!
//! Entries use one service name and these accounts:
//! - `access-key/<profile>`: `{"AccessKeyId":…,"SecretAccessKey":…}` for one AWS CLI profile;
//! - `mfa-seed/<account id>/<user or root>`: a TOTP seed the user asked us to keep;
//! - `console-password/…`, `partner/…` and `class/…`: see their steps.
//!
//! Every entry is at most [`MAX_ENTRY_BYTES`] as UTF-16, the form Windows
//! Credential Manager keeps (it caps an entry at 2,560 bytes); [`set`] refuses
//! a larger one on every OS, so the Linux tests catch what Windows would.

use crate::error::{EngineError, Result};
use crate::file_store;
use keyring_core::{Entry, Error as KeyringError};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use zeroize::Zeroizing;

pub const SERVICE: &str = "aws-setup-wizard";

/// The largest entry [`set`] writes, in UTF-16 bytes: under Credential Manager's 2,560.
pub const MAX_ENTRY_BYTES: usize = 2048;

/// An entry's size as Credential Manager stores it (UTF-16).
pub fn entry_bytes(secret: &str) -> usize {
    secret.encode_utf16().count() * 2
}

/// What the keychain holds for one profile. Built only from zeroizing parts.
pub struct StoredAccessKey {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// The IAM user the key belongs to, when the app made it: how an MFA
    /// session finds the seed of "this computer is the authenticator".
    pub user_name: Option<String>,
}

impl std::fmt::Debug for StoredAccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredAccessKey")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AccessKeyRecord<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    user_name: Option<&'a str>,
}

pub fn access_key_account(profile: &str) -> String {
    format!("access-key/{profile}")
}

pub(crate) fn mfa_seed_account(account_id: &str, user: &str) -> String {
    format!("mfa-seed/{account_id}/{user}")
}

/// Sets the OS store once it starts. A store that failed to start (a keyring
/// not yet unlocked, a Secret Service not yet running) is tried again on the
/// next action, never remembered as failed for the life of the window.
fn init_store() -> std::result::Result<(), String> {
    static READY: Mutex<bool> = Mutex::new(false);
    let mut ready = READY.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if *ready {
        return Ok(());
    }
    #[cfg(target_os = "linux")]
    let store = zbus_secret_service_keyring_store::Store::new();
    #[cfg(target_os = "macos")]
    let store = apple_native_keyring_store::keychain::Store::new();
    #[cfg(target_os = "windows")]
    let store = windows_native_keyring_store::Store::new();
    let store = store.map_err(|e| e.to_string())?;
    keyring_core::set_default_store(store);
    *ready = true;
    Ok(())
}

/// Runs `read` (keychain reads), giving up after `limit`: a locked keyring
/// can block its caller until someone unlocks it, and `credential_process`
/// runs where no one sees a prompt.
pub fn within<T: Send + 'static>(limit: std::time::Duration, read: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    let (sender, receiver) = std::sync::mpsc::channel();
    // The thread is left behind on a timeout; the process is about to exit.
    std::thread::spawn(move || {
        let _ = sender.send(read());
    });
    receiver
        .recv_timeout(limit)
        .unwrap_or(Err(EngineError::KeychainNoAnswer(limit.as_secs())))
}

/// [`load_access_key`], giving up after `limit`.
pub fn load_access_key_within(profile: &str, limit: std::time::Duration) -> Result<Option<StoredAccessKey>> {
    let profile = profile.to_string();
    within(limit, move || load_access_key(&profile))
}

fn unavailable(err: impl std::fmt::Display) -> EngineError {
    EngineError::KeychainUnavailable(err.to_string())
}

fn entry(account: &str) -> Result<Entry> {
    init_store().map_err(unavailable)?;
    let service = std::env::var("AWS_SETUP_KEYCHAIN_SERVICE").unwrap_or_else(|_| SERVICE.to_string());
    Entry::new(&service, account).map_err(unavailable)
}

/// Stores a secret under `account`, replacing what was there.
pub fn set(account: &str, secret: &SecretString) -> Result<()> {
    let bytes = entry_bytes(secret.expose_secret());
    if bytes > MAX_ENTRY_BYTES {
        return Err(EngineError::Internal(format!(
            "a keychain entry of {bytes} bytes is over the {MAX_ENTRY_BYTES}-byte limit"
        )));
    }
    if file_store::selected() {
        return file_store::set(account, secret);
    }
    entry(account)?.set_password(secret.expose_secret()).map_err(unavailable)
}

/// `None` when there is no such entry: that is an answer, not an error.
pub fn get(account: &str) -> Result<Option<SecretString>> {
    if file_store::selected() {
        return file_store::get(account);
    }
    match entry(account)?.get_password() {
        Ok(secret) => Ok(Some(SecretString::from(secret))),
        Err(KeyringError::NoEntry) => Ok(None),
        Err(err) => Err(unavailable(err)),
    }
}

/// Deleting what is not there succeeds, so teardown can run twice.
pub fn delete(account: &str) -> Result<()> {
    if file_store::selected() {
        return file_store::delete(account);
    }
    match entry(account)?.delete_credential() {
        Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
        Err(err) => Err(unavailable(err)),
    }
}

/// Characters per part of a [`set_in_parts`] secret: 1,000 UTF-16 units
/// (2,000 bytes), under [`MAX_ENTRY_BYTES`] whatever the characters are.
const PART_CHARS: usize = 1000;

fn part_account(account: &str, index: usize) -> String {
    format!("{account}/part-{index}")
}

/// Stores a secret that may be larger than one entry (an MFA session's token)
/// as numbered parts, then `account` itself holding the number of parts. The
/// count is written last, so a reader never joins parts of two writes.
pub fn set_in_parts(account: &str, secret: &SecretString) -> Result<()> {
    let chars: Zeroizing<Vec<u16>> = Zeroizing::new(secret.expose_secret().encode_utf16().collect());
    let parts: Vec<&[u16]> = chars.chunks(PART_CHARS).collect();
    for (index, part) in parts.iter().enumerate() {
        let text = Zeroizing::new(String::from_utf16(part).map_err(|_| EngineError::Internal("a secret split inside a character".into()))?);
        set(&part_account(account, index), &SecretString::from(text.as_str()))?;
    }
    set(account, &SecretString::from(parts.len().to_string()))
}

/// What [`set_in_parts`] stored; `None` when anything is missing.
pub fn get_in_parts(account: &str) -> Result<Option<SecretString>> {
    let Some(count) = get(account)? else { return Ok(None) };
    let Ok(count) = count.expose_secret().parse::<usize>() else {
        return Ok(None);
    };
    let mut joined = Zeroizing::new(String::new());
    for index in 0..count {
        let Some(part) = get(&part_account(account, index))? else {
            return Ok(None);
        };
        joined.push_str(part.expose_secret());
    }
    Ok(Some(SecretString::from(joined.as_str())))
}

/// Deletes every part [`set_in_parts`] wrote, the count first.
pub fn delete_in_parts(account: &str) -> Result<()> {
    let count = get(account)?.and_then(|c| c.expose_secret().parse::<usize>().ok()).unwrap_or(0);
    delete(account)?;
    for index in 0..count {
        delete(&part_account(account, index))?;
    }
    Ok(())
}

pub fn store_access_key(profile: &str, key: &StoredAccessKey) -> Result<()> {
    let json = Zeroizing::new(
        serde_json::to_string(&AccessKeyRecord {
            access_key_id: &key.access_key_id,
            secret_access_key: key.secret_access_key.expose_secret(),
            user_name: key.user_name.as_deref(),
        })
        .map_err(|e| EngineError::Internal(e.to_string()))?,
    );
    set(&access_key_account(profile), &SecretString::from(json.as_str()))?;
    // Read it back: a store that accepts and forgets must not pass for a save.
    match load_access_key(profile)? {
        Some(stored) if stored.access_key_id == key.access_key_id => Ok(()),
        _ => Err(unavailable("the keychain did not keep the entry")),
    }
}

pub fn load_access_key(profile: &str) -> Result<Option<StoredAccessKey>> {
    let Some(secret) = get(&access_key_account(profile))? else {
        return Ok(None);
    };
    let record: AccessKeyRecord =
        serde_json::from_str(secret.expose_secret()).map_err(|_| unavailable("a keychain entry is not in the expected form"))?;
    Ok(Some(StoredAccessKey {
        access_key_id: record.access_key_id.to_string(),
        secret_access_key: SecretString::from(record.secret_access_key),
        user_name: record.user_name.map(str::to_string),
    }))
}

#[cfg(test)]
#[path = "keychain_tests.rs"]
mod tests;
