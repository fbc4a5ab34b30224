//! A computer with no keychain (headless Linux, WSL): every command says so
//! and names the fix, and the explicit file store, locked with a passphrase,
//! carries the whole walkthrough and the AWS CLI's calls.

use crate::{aws_setup, Machine, FULL_CONFIG};
use std::process::Command;
use wizard_tests::{aws_cli_v2, Moto};

const PASSPHRASE: &str = "correct horse battery staple 42";

#[tokio::test]
async fn with_no_keychain_the_file_store_carries_the_walkthrough() {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    let machine = Machine::new("no-keychain");
    let config = machine.write_config(FULL_CONFIG);
    let no_bus = format!("unix:path={}", machine.path("no-such-bus").display());

    let mut without = machine.run_command(&moto, &bootstrap, &config);
    let without = without.env("DBUS_SESSION_BUS_ADDRESS", &no_bus).output().unwrap();
    let stderr = String::from_utf8_lossy(&without.stderr);
    assert_eq!(without.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("keychain.unavailable") && stderr.contains("--store file"),
        "names the fix: {stderr}"
    );

    let mut with_file = machine.run_command(&moto, &bootstrap, &config);
    let with_file = with_file
        .args(["--store", "file"])
        .env("DBUS_SESSION_BUS_ADDRESS", &no_bus)
        .env("AWS_SETUP_STORE_PASSPHRASE", PASSPHRASE)
        .output()
        .unwrap();
    assert!(crate::ran_to_the_end(&with_file), "{}", String::from_utf8_lossy(&with_file.stderr));

    let store = machine.data_dir().join("secrets.age");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&store).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let mut read = aws_setup();
    machine
        .env(&mut read, &moto)
        .args(["credential-process", "--profile", "aws.user1"])
        .env("DBUS_SESSION_BUS_ADDRESS", &no_bus)
        .env("AWS_SETUP_STORE", "file")
        .env("AWS_SETUP_STORE_PASSPHRASE", PASSPHRASE);
    let read = read.output().unwrap();
    assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
    let json: serde_json::Value = serde_json::from_slice(&read.stdout).unwrap();
    let secret = json["SecretAccessKey"].as_str().unwrap();
    let sealed = std::fs::read(&store).unwrap();
    assert!(
        !sealed.windows(secret.len()).any(|w| w == secret.as_bytes()),
        "the file is encrypted"
    );

    // The AWS CLI's own calls go through the profile's credential_process,
    // which names the file store; the passphrase comes from the environment.
    let mut aws = Command::new(aws_cli_v2());
    machine
        .env(&mut aws, &moto)
        .args(["sts", "get-caller-identity", "--profile", "aws.user1"])
        .env("DBUS_SESSION_BUS_ADDRESS", &no_bus)
        .env("AWS_SETUP_STORE_PASSPHRASE", PASSPHRASE);
    let who = aws.output().unwrap();
    assert!(who.status.success(), "{}", String::from_utf8_lossy(&who.stderr));
    assert!(String::from_utf8_lossy(&who.stdout).contains("user/aws.user1"));

    let mut wrong = aws_setup();
    machine
        .env(&mut wrong, &moto)
        .args(["--store", "file", "credential-process", "--profile", "aws.user1"])
        .env("AWS_SETUP_STORE_PASSPHRASE", "not the passphrase");
    let wrong = wrong.output().unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("keychain.file_store_passphrase_wrong"));
    assert!(wrong.stdout.is_empty());
}
