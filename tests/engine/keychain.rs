//! The real OS keychain (gnome-keyring's Secret Service under scripts/test).

use engine::keychain::{self, StoredAccessKey};
use secrecy::{ExposeSecret, SecretString};

#[test]
fn keychain_writes_reads_and_deletes() {
    let account = "test/keychain-roundtrip";
    keychain::set(account, &SecretString::from("s3cr3t-value".to_string())).unwrap();
    assert_eq!(keychain::get(account).unwrap().unwrap().expose_secret(), "s3cr3t-value");
    keychain::delete(account).unwrap();
    assert!(keychain::get(account).unwrap().is_none());
    keychain::delete(account).unwrap();
}

#[test]
fn a_secret_written_here_is_read_by_another_process() {
    // An in-memory store would pass a same-process round trip; a second
    // process reading it proves the secret reached the real keychain.
    let profile = "cross-process-profile";
    keychain::store_access_key(
        profile,
        &StoredAccessKey {
            access_key_id: "AKIACROSSPROCESS0001".into(),
            secret_access_key: SecretString::from("cross/process+secret".to_string()),
            user_name: None,
        },
    )
    .unwrap();
    let out = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            keychain::SERVICE,
            "username",
            &keychain::access_key_account(profile),
        ])
        .output()
        .expect("secret-tool (libsecret-tools) is installed by scripts/test");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("AKIACROSSPROCESS0001") && text.contains("cross/process+secret"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    keychain::delete(&keychain::access_key_account(profile)).unwrap();
}
