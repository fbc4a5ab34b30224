//! A secret store for machines with no OS keychain (headless Linux, WSL, a
//! keyring that cannot be unlocked): one file, `secrets.age` beside the
//! journal, encrypted with a passphrase (age, scrypt) and written 0600 and
//! atomically. It is used only when chosen (`--store file`, or
//! `AWS_SETUP_STORE=file` for `credential_process`), never as a silent
//! fallback. The passphrase comes from `AWS_SETUP_STORE_PASSPHRASE`.

use crate::app_data;
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;
use std::sync::Mutex;
use zeroize::Zeroizing;

pub const STORE_ENV: &str = "AWS_SETUP_STORE";
pub const PASSPHRASE_ENV: &str = "AWS_SETUP_STORE_PASSPHRASE";
/// scrypt's cost: about a tenth of a second here, paid on every read.
const WORK_FACTOR: u8 = 15;

/// Whether the user chose the file store for this process.
pub fn selected() -> bool {
    std::env::var(STORE_ENV).is_ok_and(|v| v == "file")
}

/// Chooses the file store for this process and the `credential_process`
/// lines it writes.
pub fn choose() {
    // Set once at start-up, before any thread reads it.
    std::env::set_var(STORE_ENV, "file");
}

fn passphrase() -> Result<SecretString> {
    match std::env::var(PASSPHRASE_ENV) {
        Ok(p) if !p.is_empty() => Ok(SecretString::from(p)),
        _ => Err(EngineError::StorePassphraseMissing),
    }
}

/// account → secret; the secrets are wiped when dropped.
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct Entries(BTreeMap<String, String>);

impl Drop for Entries {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.0.values_mut().for_each(Zeroize::zeroize);
    }
}

/// One read-modify-write at a time within this process; the journal's lock
/// keeps other processes out.
static LOCK: Mutex<()> = Mutex::new(());

fn path() -> Result<std::path::PathBuf> {
    Ok(app_data::data_dir()?.join("secrets.age"))
}

fn load() -> Result<Entries> {
    let path = path()?;
    let sealed = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Entries::default()),
        Err(e) => return Err(EngineError::file(&path, &e)),
    };
    let identity = age::scrypt::Identity::new(passphrase()?);
    let plain = Zeroizing::new(age::decrypt(&identity, &sealed).map_err(|_| EngineError::StorePassphraseWrong)?);
    serde_json::from_slice(&plain).map_err(|_| EngineError::StorePassphraseWrong)
}

fn save(entries: &Entries) -> Result<()> {
    let plain = Zeroizing::new(serde_json::to_vec(entries).map_err(|e| EngineError::Internal(e.to_string()))?);
    let mut recipient = age::scrypt::Recipient::new(passphrase()?);
    recipient.set_work_factor(WORK_FACTOR);
    let sealed = age::encrypt(&recipient, &plain).map_err(|e| EngineError::Internal(e.to_string()))?;
    files::write_atomic(&path()?, &sealed, Overwrite::Replace)
}

pub(crate) fn get(account: &str) -> Result<Option<SecretString>> {
    let _one = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    Ok(load()?.0.get(account).map(|s| SecretString::from(s.clone())))
}

pub(crate) fn set(account: &str, secret: &SecretString) -> Result<()> {
    let _one = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let mut entries = load()?;
    entries.0.insert(account.to_string(), secret.expose_secret().to_string());
    save(&entries)
}

pub(crate) fn delete(account: &str) -> Result<()> {
    let _one = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    let mut entries = load()?;
    if let Some(mut gone) = entries.0.remove(account) {
        zeroize::Zeroize::zeroize(&mut gone);
        save(&entries)?;
    }
    Ok(())
}
