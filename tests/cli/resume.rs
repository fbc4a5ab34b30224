//! The resume matrix: the CLI is killed with SIGKILL at every step boundary,
//! then run again; the end state must equal an uninterrupted run's.

use crate::{Machine, FULL_CONFIG};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use wizard_tests::Moto;

const BOUNDARIES: [&str; 8] = [
    "identity",
    "checkup",
    "alias",
    "admin_user",
    "user_mfa",
    "access_key",
    "handoff",
    "bootstrap_cleanup",
];

async fn killed_at_then_resumed(boundary: &str) {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    moto.set_auth(true);
    let machine = Machine::new(&format!("resume-{boundary}"));
    let config = machine.write_config(FULL_CONFIG);

    let mut child = machine
        .run_command(&moto, &bootstrap, &config)
        .env("AWS_SETUP_STOP_AT", boundary)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let reached = stderr
        .lines()
        .map_while(Result::ok)
        .any(|line| line == format!("stopped-at {boundary}"));
    assert!(reached, "the run never reached {boundary}");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let out = machine.run_command(&moto, &bootstrap, &config).output().unwrap();
    assert!(
        out.status.success(),
        "resume after {boundary}: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    let users = iam.list_users().send().await.unwrap();
    let mut names: Vec<&str> = users.users().iter().map(|u| u.user_name()).collect();
    names.sort();
    assert_eq!(names, ["aws.user1", "bootstrap-admin"], "after {boundary}");
    let keys = iam.list_access_keys().user_name("aws.user1").send().await.unwrap();
    assert_eq!(keys.access_key_metadata().len(), 1, "exactly one admin key after {boundary}");
    let key_id = keys.access_key_metadata()[0].access_key_id().unwrap().to_string();
    let stored = machine
        .keychain_lookup(&engine::keychain::access_key_account("aws.user1"))
        .unwrap_or_default();
    assert!(stored.contains(&key_id), "the key's secret is in the keychain after {boundary}");
    let devices = iam.list_virtual_mfa_devices().send().await.unwrap();
    assert_eq!(devices.virtual_mfa_devices().len(), 1, "one MFA device after {boundary}");
    assert!(iam
        .list_access_keys()
        .user_name("bootstrap-admin")
        .send()
        .await
        .unwrap()
        .access_key_metadata()
        .is_empty());
    assert_eq!(iam.list_account_aliases().send().await.unwrap().account_aliases(), ["aws-hong"]);
}

#[tokio::test]
async fn killed_at_every_step_boundary_then_resumed_matches_an_uninterrupted_run() {
    // One boundary at a time: each spawns moto and two CLI runs.
    for boundary in BOUNDARIES {
        killed_at_then_resumed(boundary).await;
    }
}
