//! The fault matrix: every mutating call of the headless walkthrough, failed
//! once by the fault proxy in each of four ways. The run either completes or
//! stops with a clear, retryable error; a second run completes; and AWS (moto)
//! then holds exactly what an untroubled run leaves: one admin key whose
//! secret is in the keychain, no untracked key, one MFA device and no
//! unassigned one, and the bootstrap key deleted.

use crate::{Machine, FULL_CONFIG};
use std::process::Output;
use wizard_tests::fault_proxy::{Fault, FaultProxy};
use wizard_tests::{Moto, TestKey};

/// Every call the headless walkthrough makes that changes AWS.
const MUTATING_CALLS: [&str; 12] = [
    "CreateAccountAlias",
    "UpdateAccountPasswordPolicy",
    "CreateUser",
    "CreateGroup",
    "AttachGroupPolicy",
    "AddUserToGroup",
    "CreateLoginProfile",
    "CreateVirtualMFADevice",
    "EnableMFADevice",
    "CreateAccessKey",
    "TagUser",
    "DeleteAccessKey",
];

const RETRYABLE: [&str; 3] = ["aws.network", "aws.throttled", "aws.unavailable"];

fn run_through(machine: &Machine, moto: &Moto, proxy: &FaultProxy, bootstrap: &TestKey) -> Output {
    let config = machine.write_config(FULL_CONFIG);
    let mut cmd = machine.run_command(moto, bootstrap, &config);
    cmd.env("AWS_ENDPOINT_URL", &proxy.url);
    cmd.output().unwrap()
}

/// What an untroubled run leaves, read from AWS and the keychain.
async fn assert_invariants(moto: &Moto, machine: &Machine, label: &str) {
    let iam = moto.unauthenticated().await.iam;
    let keys = iam.list_access_keys().user_name("aws.user1").send().await.unwrap();
    let ids: Vec<&str> = keys.access_key_metadata().iter().filter_map(|k| k.access_key_id()).collect();
    assert_eq!(ids.len(), 1, "{label}: exactly one admin key, none untracked: {ids:?}");
    let stored = machine
        .keychain_lookup("access-key/aws.user1")
        .unwrap_or_else(|| panic!("{label}: the key's secret is in the keychain"));
    assert!(stored.contains(ids[0]), "{label}: the keychain holds the key AWS has");
    let devices = iam.list_mfa_devices().user_name("aws.user1").send().await.unwrap();
    assert_eq!(devices.mfa_devices().len(), 1, "{label}: one MFA device");
    let unassigned = iam
        .list_virtual_mfa_devices()
        .assignment_status(aws_sdk_iam::types::AssignmentStatusType::Unassigned)
        .send()
        .await
        .unwrap();
    assert!(
        unassigned.virtual_mfa_devices().is_empty(),
        "{label}: no unassigned device left behind"
    );
    let bootstrap_keys = iam.list_access_keys().user_name("bootstrap-admin").send().await.unwrap();
    assert!(
        bootstrap_keys.access_key_metadata().is_empty(),
        "{label}: the bootstrap key is deleted"
    );
    let aliases = iam.list_account_aliases().send().await.unwrap();
    assert_eq!(aliases.account_aliases(), ["aws-hong"], "{label}");
    let groups = iam.list_groups_for_user().user_name("aws.user1").send().await.unwrap();
    assert_eq!(groups.groups().len(), 1, "{label}: in the Administrators group");
    assert!(
        iam.get_login_profile().user_name("aws.user1").send().await.is_ok(),
        "{label}: console password"
    );
}

/// Runs one fault across every mutating call; returns (first runs that
/// completed, runs that needed the second).
async fn matrix(fault: Fault) -> (u32, u32) {
    let (mut completed_first, mut needed_second) = (0, 0);
    for operation in MUTATING_CALLS {
        let label = format!("{operation} × {fault:?}");
        let moto = Moto::start();
        let bootstrap = moto.seed_admin("bootstrap-admin").await;
        let proxy = FaultProxy::start(&moto.url);
        proxy.inject(operation, 1, fault);
        let machine = Machine::new(&format!("fault-{operation}-{fault:?}").replace([' ', '(', ')'], ""));

        let first = run_through(&machine, &moto, &proxy, &bootstrap);
        assert!(proxy.calls(operation) >= 1, "{label}: the walkthrough makes this call");
        let stderr = String::from_utf8_lossy(&first.stderr);
        if crate::ran_to_the_end(&first) {
            completed_first += 1;
        } else {
            assert_eq!(first.status.code(), Some(1), "{label}: {stderr}");
            assert!(
                RETRYABLE.iter().any(|code| stderr.contains(code)),
                "{label}: a clear, retryable error: {stderr}"
            );
            proxy.reset();
            let second = run_through(&machine, &moto, &proxy, &bootstrap);
            assert!(
                crate::ran_to_the_end(&second),
                "{label}: the second run completes: {}",
                String::from_utf8_lossy(&second.stderr)
            );
            needed_second += 1;
        }
        assert_invariants(&moto, &machine, &label).await;
    }
    println!("fault-matrix {fault:?}: {completed_first} completed first time, {needed_second} needed a second run, 0 broke an invariant");
    (completed_first, needed_second)
}

#[tokio::test]
async fn fault_matrix_reset_before_forwarding() {
    matrix(Fault::ResetBeforeForward).await;
}

#[tokio::test]
async fn fault_matrix_service_unavailable() {
    matrix(Fault::Status(503)).await;
}

#[tokio::test]
async fn fault_matrix_throttling() {
    matrix(Fault::Throttle).await;
}

#[tokio::test]
async fn fault_matrix_answer_lost_after_commit() {
    let (_, needed_second) = matrix(Fault::DropAfterCommit).await;
    // The creating calls are sent once, so a lost answer stops the run.
    assert!(needed_second >= 5, "{needed_second}");
}

fn extra_command(machine: &Machine, moto: &Moto, proxy: &FaultProxy, admin: &TestKey, args: &[&str]) -> Output {
    use secrecy::ExposeSecret;
    let mut cmd = crate::aws_setup();
    machine
        .env(&mut cmd, moto)
        .args(args)
        .env("AWS_ENDPOINT_URL", &proxy.url)
        .env("AWS_ACCESS_KEY_ID", &admin.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", admin.secret.expose_secret());
    cmd.output().unwrap()
}

/// Either done, or stopped with a retryable error and done on the second run.
fn done_in_at_most_two(label: &str, proxy: &FaultProxy, run: impl Fn() -> Output) -> bool {
    let first = run();
    if first.status.success() {
        return true;
    }
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        RETRYABLE.iter().any(|code| stderr.contains(code)),
        "{label}: a clear, retryable error: {stderr}"
    );
    proxy.reset();
    let second = run();
    assert!(
        second.status.success(),
        "{label}: the second run completes: {}",
        String::from_utf8_lossy(&second.stderr)
    );
    false
}

#[tokio::test]
async fn fault_matrix_partner() {
    for operation in ["CreateUser", "AttachUserPolicy", "CreateLoginProfile", "CreateAccessKey"] {
        for fault in [Fault::DropAfterCommit, Fault::ResetBeforeForward] {
            let label = format!("partner: {operation} × {fault:?}");
            let moto = Moto::start();
            let admin = moto.seed_admin("bootstrap-admin").await;
            let proxy = FaultProxy::start(&moto.url);
            proxy.inject(operation, 1, fault);
            let machine = Machine::new(&format!("partner-fault-{operation}-{fault:?}").replace([' ', '(', ')'], ""));
            let out_dir = machine.path("out");
            std::fs::create_dir_all(&out_dir).unwrap();
            done_in_at_most_two(&label, &proxy, || {
                extra_command(
                    &machine,
                    &moto,
                    &proxy,
                    &admin,
                    &["partner", "--out-dir", out_dir.to_str().unwrap()],
                )
            });
            let iam = moto.unauthenticated().await.iam;
            let keys = iam.list_access_keys().user_name("gs-support").send().await.unwrap();
            assert_eq!(keys.access_key_metadata().len(), 1, "{label}: one key, none untracked");
            let kept = machine
                .keychain_lookup(&format!("partner/{}/gs-support", wizard_tests::MOTO_ACCOUNT_ID))
                .unwrap();
            assert!(
                kept.contains(keys.access_key_metadata()[0].access_key_id().unwrap()),
                "{label}: its secret is kept"
            );
            assert!(iam.get_login_profile().user_name("gs-support").send().await.is_ok(), "{label}");
        }
    }
}

#[tokio::test]
async fn fault_matrix_class_one_students_fault_never_stops_the_others() {
    for operation in ["CreateUser", "AddUserToGroup", "CreateLoginProfile", "CreateAccessKey"] {
        for fault in [Fault::DropAfterCommit, Fault::ResetBeforeForward] {
            let label = format!("class: {operation} × {fault:?}");
            let moto = Moto::start();
            let admin = moto.seed_admin("bootstrap-admin").await;
            let proxy = FaultProxy::start(&moto.url);
            // The second student's call fails; concurrency 1 keeps the order.
            proxy.inject(operation, 2, fault);
            let machine = Machine::new(&format!("class-fault-{operation}-{fault:?}").replace([' ', '(', ')'], ""));
            let roster = machine.path("roster.csv");
            std::fs::write(&roster, "s01\ns02\ns03\n").unwrap();
            let out_dir = machine.path("out");
            std::fs::create_dir_all(&out_dir).unwrap();
            let args = [
                "class",
                "create",
                "--roster",
                roster.to_str().unwrap(),
                "--class-id",
                "faults",
                "--keys",
                "--concurrency",
                "1",
                "--out-dir",
                out_dir.to_str().unwrap(),
                "--overwrite",
                "--json",
            ];
            let first = extra_command(&machine, &moto, &proxy, &admin, &args);
            if !first.status.success() {
                let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
                let failed = report["report"]["failed"].as_array().unwrap();
                assert_eq!(failed.len(), 1, "{label}: only that student failed: {report}");
                let done = report["report"]["created"].as_array().unwrap().len();
                assert_eq!(done, 2, "{label}: the others were made: {report}");
                proxy.reset();
                let second = extra_command(&machine, &moto, &proxy, &admin, &args);
                assert!(second.status.success(), "{label}: {}", String::from_utf8_lossy(&second.stderr));
                let report: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
                assert_eq!(
                    report["report"]["created"].as_array().unwrap().len(),
                    1,
                    "{label}: only the missing one: {report}"
                );
            }
            let iam = moto.unauthenticated().await.iam;
            for student in ["s01", "s02", "s03"] {
                let keys = iam.list_access_keys().user_name(student).send().await.unwrap();
                assert_eq!(keys.access_key_metadata().len(), 1, "{label}: {student} has one key");
                assert!(
                    iam.get_login_profile().user_name(student).send().await.is_ok(),
                    "{label}: {student}"
                );
                let groups = iam.list_groups_for_user().user_name(student).send().await.unwrap();
                assert_eq!(groups.groups().len(), 1, "{label}: {student} is in the class group");
            }
        }
    }
}
