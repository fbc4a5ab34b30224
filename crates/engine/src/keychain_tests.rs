//! The keychain of the OS the tests run on: gnome-keyring's Secret Service
//! under `scripts/lib/hermetic`, Credential Manager on Windows, and on macOS a
//! temporary keychain the CI job creates, unlocks and makes the default.
//! Compiled on every OS; the tests that only make sense on one are gated.
//!
//! Every test that touches the store holds [`STORE`], because the macOS test
//! locks the keychain for a moment. Entries use a test account id, so they
//! never meet a real one, and each test removes what it wrote.

use super::*;
use crate::classroom::create::StudentSecrets;
use crate::classroom::student_account;
use crate::error::ErrorCode;
use crate::lang::Lang;
use crate::steps::admin_user::password_account;
use crate::steps::partner::{secrets_account, PartnerSecrets};

static STORE: Mutex<()> = Mutex::new(());

fn hold_store() -> std::sync::MutexGuard<'static, ()> {
    STORE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

const ACCOUNT: &str = "000000000000";
/// IAM's longest user name, password and access key id; a secret access key is 40.
const LONGEST_NAME: usize = 64;
const LONGEST_PASSWORD: usize = 128;
const LONGEST_KEY_ID: usize = 128;
const SECRET_KEY_LEN: usize = 40;
/// An AWS virtual MFA seed is 320 bits, 64 Base32 characters; twice that to be safe.
const LONGEST_SEED: usize = 128;

fn longest(prefix: &str, len: usize) -> String {
    let mut s = prefix.to_string();
    s.extend(std::iter::repeat_n('x', len.saturating_sub(prefix.len())));
    s
}

/// Every kind of entry the app writes, each at the largest it can be,
/// serialised exactly as the app serialises it. `tag` keeps tests apart.
fn largest_entries(tag: &str) -> Vec<(String, SecretString)> {
    let user = longest(&format!("t-{tag}-"), LONGEST_NAME);
    let password = longest("P@ss/", LONGEST_PASSWORD);
    let key_id = longest("AKIA", LONGEST_KEY_ID);
    let secret_key = longest("sEcReT+/", SECRET_KEY_LEN);
    let access_key = serde_json::to_string(&AccessKeyRecord {
        access_key_id: &key_id,
        secret_access_key: &secret_key,
        user_name: Some(&user),
    })
    .unwrap();
    let partner = serde_json::to_string(&PartnerSecrets {
        password: password.clone(),
        access_key_id: key_id.clone(),
        secret_access_key: secret_key.clone(),
    })
    .unwrap();
    let student = serde_json::to_string(&StudentSecrets {
        password: Some(password.clone()),
        access_key_id: Some(key_id.clone()),
        secret_access_key: Some(secret_key.clone()),
    })
    .unwrap();
    [
        (access_key_account(&user), access_key),
        (password_account(ACCOUNT, &user), password.clone()),
        (mfa_seed_account(ACCOUNT, &user), longest("JBSWY3DP", LONGEST_SEED)),
        (secrets_account(ACCOUNT, &user), partner),
        (student_account(&longest("c", LONGEST_NAME), &user), student),
    ]
    .into_iter()
    .map(|(account, secret)| (account, SecretString::from(secret)))
    .collect()
}

/// The two documented answers of a keychain that cannot be used: "not
/// available" (missing, or refusing while locked), naming the file store as
/// the way out, and "did not answer" (waiting on an unlock prompt no one sees).
fn is_documented_unusable(err: &EngineError) -> bool {
    let message = err.to_ui(Lang::En).message;
    match err.code() {
        ErrorCode::KeychainUnavailable => message.contains("--store file"),
        ErrorCode::KeychainNoAnswer => message.contains("unlock the keychain"),
        _ => false,
    }
}

#[test]
fn the_largest_entry_the_app_writes_stays_under_2048_bytes() {
    let entries = largest_entries("size");
    assert_eq!(entries.len(), 5, "one of each kind");
    for (account, secret) in &entries {
        let bytes = entry_bytes(secret.expose_secret());
        assert!(bytes < MAX_ENTRY_BYTES, "{account}: {bytes} bytes as UTF-16");
    }
}

/// An MFA session (id, secret, a long token, expiry) is larger than one
/// Credential Manager entry, so it is kept in parts, each under the limit.
#[test]
fn a_cached_session_is_kept_in_parts_each_under_2048_bytes() {
    let _store = hold_store();
    let account = "mfa-session/test-parts";
    // STS session tokens run to about 1,000 characters; four times that.
    let token = longest("IQoJb3JpZ2luX2VjE/+=", 4000);
    let secret = SecretString::from(format!("{{\"SessionToken\":\"{token}\",\"Name\":\"가나다\"}}"));
    set_in_parts(account, &secret).unwrap();
    let count: usize = get(account).unwrap().unwrap().expose_secret().parse().unwrap();
    assert!(count >= 4, "{count} parts");
    for index in 0..count {
        let part = get(&format!("{account}/part-{index}")).unwrap().unwrap();
        let bytes = entry_bytes(part.expose_secret());
        assert!(bytes <= MAX_ENTRY_BYTES, "part {index}: {bytes} bytes");
    }
    assert_eq!(get_in_parts(account).unwrap().unwrap().expose_secret(), secret.expose_secret());
    delete_in_parts(account).unwrap();
    assert!(get_in_parts(account).unwrap().is_none());
    assert!(get(&format!("{account}/part-0")).unwrap().is_none(), "the parts went too");
}

#[test]
fn an_entry_over_the_limit_is_refused_before_any_store_sees_it() {
    let too_big = SecretString::from("x".repeat(MAX_ENTRY_BYTES / 2 + 1));
    let err = set("test/too-big", &too_big).unwrap_err();
    assert!(
        matches!(err, EngineError::Internal(ref m) if m.contains("2048-byte limit")),
        "{err:?}"
    );
    assert_eq!(entry_bytes("가"), 2);
}

#[test]
fn keychain_round_trips_every_kind_of_entry() {
    let _store = hold_store();
    for (account, secret) in largest_entries("rt") {
        set(&account, &secret).unwrap_or_else(|e| panic!("{account}: {e:?}"));
        let read = get(&account).unwrap().unwrap_or_else(|| panic!("{account} was not kept"));
        assert_eq!(read.expose_secret(), secret.expose_secret(), "{account}");
        delete(&account).unwrap();
        assert!(get(&account).unwrap().is_none(), "{account} was not deleted");
        delete(&account).unwrap();
    }
}

#[test]
fn keychain_keeps_an_access_key_through_its_own_functions() {
    let _store = hold_store();
    let profile = "test-os-access-key";
    let key = StoredAccessKey {
        access_key_id: "AKIAOSKEYCHAINTEST01".into(),
        secret_access_key: SecretString::from("os/keychain+secret".to_string()),
        user_name: Some("aws.admin".into()),
    };
    store_access_key(profile, &key).unwrap();
    let read = load_access_key_within(profile, std::time::Duration::from_secs(20))
        .unwrap()
        .unwrap();
    assert_eq!(read.access_key_id, key.access_key_id);
    assert_eq!(read.secret_access_key.expose_secret(), "os/keychain+secret");
    delete(&access_key_account(profile)).unwrap();
    assert!(load_access_key(profile).unwrap().is_none());
}

/// Run by the tests below in a child process whose store is missing or
/// locked; `init_store` keeps a started store for the life of a process.
#[test]
#[ignore = "run in a child process by the missing- and locked-store tests"]
fn child_reads_the_keychain() {
    // Timed, as credential_process reads: a locked keychain may wait on a prompt.
    let err = load_access_key_within("test-child-read", std::time::Duration::from_secs(15))
        .expect_err("the keychain answered, but it should be missing or locked");
    assert!(is_documented_unusable(&err), "{err:?}");
}

/// Runs [`child_reads_the_keychain`] in a new process with `env` changed.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn child_reads_with(env: &[(&str, &str)]) -> std::process::Output {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child.args([
        "--ignored",
        "--exact",
        "keychain::tests::child_reads_the_keychain",
        "--test-threads=1",
    ]);
    for (name, value) in env {
        child.env(name, value);
    }
    child.output().unwrap()
}

#[cfg(any(target_os = "linux", target_os = "macos"))]
fn assert_child_passed(out: &std::process::Output) {
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("1 passed"),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// No Secret Service (headless Linux, WSL): the documented error, naming the fix.
#[cfg(target_os = "linux")]
#[test]
fn keychain_missing_secret_service_gives_the_documented_error() {
    assert_child_passed(&child_reads_with(&[(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/aws-setup-test-bus",
    )]));
}

/// A locked keychain never shows a prompt from a test runner: it refuses, and
/// the app says which error it is. CI sets the temporary keychain's password
/// in AWS_SETUP_TEST_KEYCHAIN_PASSWORD (.github/workflows/ci.yml), so the
/// keychain is unlocked again afterwards; without it the test will not lock
/// a developer's own login keychain, and fails to say so.
#[cfg(target_os = "macos")]
#[test]
fn keychain_locked_gives_the_documented_error() {
    let password = std::env::var("AWS_SETUP_TEST_KEYCHAIN_PASSWORD")
        .expect("AWS_SETUP_TEST_KEYCHAIN_PASSWORD: the temporary keychain's password, set by CI");
    let _store = hold_store();
    let security = |args: &[&str]| {
        let status = std::process::Command::new("security").args(args).status().unwrap();
        assert!(status.success(), "security {args:?}");
    };
    security(&["lock-keychain"]);
    let out = child_reads_with(&[]);
    security(&["unlock-keychain", "-p", &password]);
    assert_child_passed(&out);
}

/// Credential Manager really refuses an entry over its cap, which is why
/// [`set`] stops at [`MAX_ENTRY_BYTES`]; and the largest entry fits.
#[cfg(target_os = "windows")]
#[test]
fn keychain_credential_manager_caps_an_entry_at_2560_bytes() {
    let _store = hold_store();
    let account = "test/os-cap";
    let over = "x".repeat(2560 / 2 + 1);
    assert!(
        entry(account).unwrap().set_password(&over).is_err(),
        "Credential Manager took {over_len} UTF-16 bytes",
        over_len = over.len() * 2
    );
    let fits = "x".repeat(MAX_ENTRY_BYTES / 2);
    set(account, &SecretString::from(fits.clone())).unwrap();
    assert_eq!(get(account).unwrap().unwrap().expose_secret(), fits);
    delete(account).unwrap();
}
