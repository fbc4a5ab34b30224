//! The resume matrix: the CLI dies at every crash point (after an AWS create
//! and before the local record of it, and after every saved step), then runs
//! again. The end state, read from moto, the keychain and every file under
//! the user's home, must equal an uninterrupted run's, read the same way.
//!
//! The points are `engine::crash_points::ALL`; the test build turns them on
//! (the `failpoints` feature) and `FAILPOINTS=<point>=return` aborts the
//! process there, as a crash or SIGKILL would.

use crate::{Machine, FULL_CONFIG};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::Semaphore;
use wizard_tests::Moto;

/// Every step API step, plus what the matrix needs to reach every point: a
/// forced password change (a policy attached to the user) and both CSV exports.
fn matrix_config(machine: &Machine) -> std::path::PathBuf {
    machine.write_config(&format!(
        "{}\n[handoff]\nconsole_csv = {:?}\ncli_csv = {:?}\n",
        FULL_CONFIG.replace("reset_required = false", "reset_required = true"),
        machine.path("exports/aws.user1_credentials.csv"),
        machine.path("exports/aws.user1_accessKeys.csv"),
    ))
}

/// How a run ended.
enum Ran {
    Finished,
    CrashedAt(String),
}

async fn run(machine: &Machine, moto: &Moto, bootstrap: &wizard_tests::TestKey, failpoints: Option<&str>) -> Ran {
    let config = matrix_config(machine);
    let mut cmd = machine.run_command(moto, bootstrap, &config);
    if let Some(spec) = failpoints {
        cmd.env("FAILPOINTS", spec);
    }
    let out = tokio::process::Command::from(cmd).output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if let Some(point) = stderr.lines().find_map(|l| l.strip_prefix("crash-point ")) {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(6), "a crash point aborts the process");
        return Ran::CrashedAt(point.to_string());
    }
    assert!(
        crate::ran_to_the_end(&out),
        "with FAILPOINTS={failpoints:?}: {stderr}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Ran::Finished
}

/// Replaces what legitimately differs between two runs (ids AWS picks,
/// secrets, the temporary home folder) with names, so two end states compare.
#[derive(Default)]
struct Redactions(Vec<(String, String)>);

impl Redactions {
    fn add(&mut self, value: &str, name: &str) {
        if !value.is_empty() && !self.0.iter().any(|(v, _)| v == value) {
            self.0.push((value.to_string(), format!("<{name}>")));
        }
    }

    fn apply(&self, text: &str) -> String {
        // Longest first, so a value inside another is not half-replaced.
        let mut pairs: Vec<&(String, String)> = self.0.iter().collect();
        pairs.sort_by_key(|(value, _)| std::cmp::Reverse(value.len()));
        pairs
            .iter()
            .fold(text.to_string(), |text, (value, name)| text.replace(value.as_str(), name))
    }
}

/// Everything the run left, as sorted lines: IAM as moto has it, the
/// keychain, and every file under the home folder.
async fn end_state(moto: &Moto, machine: &Machine, bootstrap: &wizard_tests::TestKey) -> Vec<String> {
    use secrecy::ExposeSecret;
    let mut redact = Redactions::default();
    redact.add(&machine.home.path().display().to_string(), "home");
    redact.add(&bootstrap.access_key_id, "bootstrap-key");
    redact.add(bootstrap.secret.expose_secret(), "bootstrap-secret");

    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    let mut facts = Vec::new();
    let users = moto.user_names().await;
    for user in &users {
        let keys = iam.list_access_keys().user_name(user).send().await.unwrap();
        for (n, key) in keys.access_key_metadata().iter().enumerate() {
            let id = key.access_key_id().unwrap();
            redact.add(id, &format!("key-{n}-of-{user}"));
            facts.push(format!("user {user} key {id} {:?}", key.status()));
        }
        for tag in iam.list_user_tags().user_name(user).send().await.unwrap().tags() {
            facts.push(format!("user {user} tag {}={}", tag.key(), tag.value()));
        }
        for policy in iam
            .list_attached_user_policies()
            .user_name(user)
            .send()
            .await
            .unwrap()
            .attached_policies()
        {
            facts.push(format!("user {user} policy {}", policy.policy_arn().unwrap()));
        }
        for group in iam.list_groups_for_user().user_name(user).send().await.unwrap().groups() {
            facts.push(format!("user {user} group {}", group.group_name()));
        }
        if let Ok(profile) = iam.get_login_profile().user_name(user).send().await {
            facts.push(format!(
                "user {user} login profile, reset required {:?}",
                profile.login_profile().map(|p| p.password_reset_required())
            ));
        }
        for device in iam.list_mfa_devices().user_name(user).send().await.unwrap().mfa_devices() {
            facts.push(format!("user {user} mfa {}", device.serial_number()));
        }
    }
    for group in iam.list_groups().send().await.unwrap().groups() {
        let name = group.group_name();
        for policy in iam
            .list_attached_group_policies()
            .group_name(name)
            .send()
            .await
            .unwrap()
            .attached_policies()
        {
            facts.push(format!("group {name} policy {}", policy.policy_arn().unwrap()));
        }
        facts.push(format!("group {name}"));
    }
    for device in iam.list_virtual_mfa_devices().send().await.unwrap().virtual_mfa_devices() {
        facts.push(format!(
            "virtual mfa {} assigned to {:?}",
            device.serial_number(),
            device.user().map(|u| u.user_name())
        ));
    }
    for alias in iam.list_account_aliases().send().await.unwrap().account_aliases() {
        facts.push(format!("alias {alias}"));
    }
    match iam.get_account_password_policy().send().await {
        Ok(policy) => facts.push(format!("password policy {:?}", policy.password_policy())),
        Err(_) => facts.push("no password policy".into()),
    }

    // The keychain: every entry by name. The access key's entry must name a
    // key IAM has (its id is redacted only if IAM listed it).
    for (account, secret) in machine.keychain_entries() {
        if let Ok(serde_json::Value::Object(record)) = serde_json::from_str(&secret) {
            let field = |name: &str| record.get(name).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            redact.add(&field("SecretAccessKey"), &format!("secret of {account}"));
            facts.push(format!("keychain {account} holds the key {}", field("AccessKeyId")));
        } else {
            redact.add(&secret, &format!("secret of {account}"));
            facts.push(format!("keychain {account}"));
        }
    }

    // Every file under the home folder, by relative path and content.
    let home = machine.home.path();
    if let Ok(id) = std::fs::read_to_string(machine.data_dir().join("install-id")) {
        redact.add(id.trim(), "install-id");
    }
    for (path, content) in files_under(home) {
        let rel = path.strip_prefix(home).unwrap().display().to_string();
        if rel == "setup.toml" {
            continue;
        }
        let text = if path.file_name().is_some_and(|n| n == "journal.json") {
            normalized_journal(&content)
        } else {
            String::from_utf8(content).unwrap_or_else(|e| format!("<{} bytes>", e.as_bytes().len()))
        };
        facts.push(format!("file {rel}:\n{text}"));
    }

    let mut facts: Vec<String> = facts.iter().map(|f| redact.apply(f)).collect();
    facts.sort();
    facts
}

/// Every file under `dir`, read. A file that cannot be read fails the test.
fn files_under(dir: &Path) -> BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else {
            let content = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            files.insert(path, content);
        }
    }
    files
}

/// The journal with its resources in a fixed order: a resumed run records
/// the same things in another order.
fn normalized_journal(bytes: &[u8]) -> String {
    let mut journal: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    if let Some(resources) = journal.get_mut("resources").and_then(|r| r.as_array_mut()) {
        resources.sort_by_key(|r| r.to_string());
    }
    serde_json::to_string_pretty(&journal).unwrap()
}

/// One case: a fresh account and machine, a run with `failpoints`, then a
/// plain run; returns where it crashed (if it did) and the end state.
async fn crash_then_resume(matrix: &str, case: String, failpoints: Option<String>) -> (Option<String>, Vec<String>) {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    moto.set_auth(true);
    // The keychain service is named after the machine: unique across both matrices.
    let machine = Machine::new(&format!("{matrix}-{}", case.replace(['.', '*', '>', '-'], "_")));
    let crashed = match run(&machine, &moto, &bootstrap, failpoints.as_deref()).await {
        Ran::CrashedAt(point) => {
            assert!(matches!(run(&machine, &moto, &bootstrap, None).await, Ran::Finished));
            Some(point)
        }
        Ran::Finished => None,
    };
    (crashed, end_state(&moto, &machine, &bootstrap).await)
}

/// Runs the cases three at a time (each is a moto server and two CLI runs).
async fn run_cases(matrix: &'static str, cases: Vec<(String, Option<String>)>) -> Vec<(String, Option<String>, Vec<String>)> {
    let slots = Arc::new(Semaphore::new(3));
    let mut tasks = tokio::task::JoinSet::new();
    for (case, failpoints) in cases {
        let slots = slots.clone();
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await.unwrap();
            let (crashed, state) = crash_then_resume(matrix, case.clone(), failpoints).await;
            (case, crashed, state)
        });
    }
    let mut results = Vec::new();
    while let Some(result) = tasks.join_next().await {
        results.push(result.unwrap());
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));
    results
}

/// How `state` differs from the reference, or `None`.
fn difference(case: &str, reference: &[String], state: &[String]) -> Option<String> {
    let missing: Vec<&String> = reference.iter().filter(|f| !state.contains(f)).collect();
    let extra: Vec<&String> = state.iter().filter(|f| !reference.contains(f)).collect();
    (!missing.is_empty() || !extra.is_empty())
        .then(|| format!("{case}: the end state differs from an uninterrupted run's\nmissing: {missing:#?}\nextra: {extra:#?}"))
}

/// Every case's end state equals the reference's; all differences are reported at once.
fn assert_all_match(results: &[(String, Option<String>, Vec<String>)]) {
    let reference = &results.iter().find(|(case, ..)| case == "uninterrupted").unwrap().2;
    let differences: Vec<String> = results
        .iter()
        .filter_map(|(case, _, state)| difference(case, reference, state))
        .collect();
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_crash_point_recovers_to_the_uninterrupted_end_state() {
    let points: Vec<&str> = engine::crash_points::ALL
        .iter()
        .copied()
        .filter(|p| *p != "walkthrough.step_saved")
        .collect();
    let mut cases = vec![("uninterrupted".to_string(), None)];
    cases.extend(points.iter().map(|p| (p.to_string(), Some(format!("{p}=return")))));
    let results = run_cases("crash-point", cases).await;

    let reference = &results.iter().find(|(case, ..)| case == "uninterrupted").unwrap().2;
    assert!(
        reference.iter().any(|f| f.starts_with("user aws.user1 mfa ")),
        "the reference run is complete"
    );
    for (case, crashed, _) in &results {
        let expected = (case != "uninterrupted").then_some(case.as_str());
        assert_eq!(crashed.as_deref(), expected, "where {case} stopped");
    }
    assert_all_match(&results);
    eprintln!("{} crash points, each recovered to the uninterrupted end state", points.len());
}

/// Killed after the k-th saved step state, for every k until a run finishes
/// without reaching the point: every step boundary, whatever their number.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_after_every_saved_step_then_resumed_matches_an_uninterrupted_run() {
    const MOST_BOUNDARIES: usize = 12;
    let mut cases = vec![("uninterrupted".to_string(), None)];
    cases.extend((0..MOST_BOUNDARIES).map(|k| (format!("step-{k:02}"), Some(format!("walkthrough.step_saved={k}*off->return")))));
    let results = run_cases("step-boundary", cases).await;

    let crashed: Vec<_> = results.iter().filter(|(_, crashed, _)| crashed.is_some()).collect();
    assert!(
        crashed.len() >= 8,
        "a full run saves a step state at least 8 times, got {}",
        crashed.len()
    );
    assert!(
        crashed.len() < MOST_BOUNDARIES,
        "some k lies past the last boundary, so every one was reached"
    );
    assert_all_match(&results);
    eprintln!("{} step boundaries, each recovered", crashed.len());
}

/// The window's calls, in the window's order and with the window's answers:
/// each step the journal does not have as done, one session method each, as
/// the screens call them. Runs only as the child process the window matrix
/// starts (it aborts at a crash point, so it cannot run inside the harness).
#[tokio::test]
#[ignore = "the window matrix's child process, started with WINDOW_CALLS_EXPORTS"]
async fn window_calls() {
    use engine::session::{AdminUserForm, CliProfileForm, ExportKind, WizardSession};
    use engine::steps::access_key::AccessKeyOutcome;
    use engine::steps::admin_user::AdminRights;
    use engine::steps::handoff::CliAccess;
    use engine::walkthrough::{StepId, StepState};
    let Some(exports) = std::env::var_os("WINDOW_CALLS_EXPORTS") else {
        panic!("started by hand: this is the window matrix's child process");
    };
    let exports = std::path::PathBuf::from(exports);
    let session = WizardSession::default();
    let pasted = engine::connection::CredentialSource::pasted(
        &std::env::var("AWS_SETUP_BOOTSTRAP_ACCESS_KEY_ID").unwrap(),
        secrecy::SecretString::from(std::env::var("AWS_SETUP_BOOTSTRAP_SECRET_ACCESS_KEY").unwrap()),
    )
    .unwrap();
    let done = |step: StepId| {
        let session = &session;
        async move {
            let steps = session.steps().await;
            matches!(steps.iter().find(|s| s.id == step).unwrap().state, StepState::Done { .. })
        }
    };
    // The identity screen: the pasted key; once it is deleted, the app's own profile.
    match session.connect(&pasted, true).await {
        Err(engine::EngineError::InvalidCredentials) => {
            session
                .connect(&engine::connection::CredentialSource::Profile("aws.user1".into()), false)
                .await
                .unwrap();
        }
        other => {
            other.unwrap();
        }
    }
    if !done(StepId::Alias).await {
        session.set_alias("aws-hong", false).await.unwrap();
    }
    if !done(StepId::AdminUser).await {
        let form = AdminUserForm {
            user_name: "aws.user1".into(),
            password: None,
            reset_required: true,
            rights: AdminRights::Group,
            set_password_policy: true,
            adopt: false,
        };
        session.create_admin_user(form).await.unwrap();
    }
    if !done(StepId::UserMfa).await {
        // The screen offers "this computer" only with a QR code to scan.
        if let engine::steps::user_mfa::MfaBegin::ScanQr { .. } = session.begin_user_mfa("aws.user1").await.unwrap() {
            session.this_computer_mfa("aws.user1").await.unwrap();
        }
    }
    // The access-key screen, also where the window goes when the admin's key is needed.
    let outcome = session.create_access_key("myec2-s3-accesskey", "aws.user1", false).await.unwrap();
    if let AccessKeyOutcome::SecretLost { .. } = outcome {
        // The screen's "replace it" button.
        session.create_access_key("myec2-s3-accesskey", "aws.user1", true).await.unwrap();
    }
    if !done(StepId::Handoff).await {
        let cli = std::path::PathBuf::from(env!("CARGO_BIN_EXE_aws-setup"));
        let form = CliProfileForm {
            profile: "aws.user1".into(),
            region: "ap-northeast-2".into(),
            access: CliAccess::Key,
            session_length: None,
            replace_existing: false,
        };
        session.configure_cli_profile(&form, &cli).await.unwrap();
    }
    for (kind, name) in [
        (ExportKind::Console, "aws.user1_credentials.csv"),
        (ExportKind::CliImport, "aws.user1_accessKeys.csv"),
    ] {
        let path = exports.join(name);
        if !path.exists() {
            session.export_csv(kind, &path, false).await.unwrap();
        }
    }
    if !done(StepId::BootstrapCleanup).await {
        // The clean-up screen's "I signed in as the admin" button.
        session.confirm_admin_sign_in().await.unwrap();
        session.cleanup_bootstrap().await.unwrap();
    }
}

/// The same points, reached through the window's calls instead of `aws-setup run`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_crash_point_through_the_window_s_calls_recovers() {
    let window = |machine: &Machine, moto: &Moto, bootstrap: &wizard_tests::TestKey| {
        let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
        machine
            .env(&mut cmd, moto)
            .args([
                "crash_points::window_calls",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("WINDOW_CALLS_EXPORTS", machine.path("exports"))
            .env("AWS_SETUP_BOOTSTRAP_ACCESS_KEY_ID", &bootstrap.access_key_id)
            .env(
                "AWS_SETUP_BOOTSTRAP_SECRET_ACCESS_KEY",
                secrecy::ExposeSecret::expose_secret(&bootstrap.secret),
            )
            .env("RUST_BACKTRACE", "0")
            .env_remove("FAILPOINTS");
        cmd
    };
    // Only the points on the window's path: `flow.rs` is the CLI's driver.
    let points: Vec<&str> = engine::crash_points::ALL
        .iter()
        .copied()
        .filter(|p| !["walkthrough.step_saved", "handoff.csv_exported"].contains(p))
        .collect();
    let slots = Arc::new(Semaphore::new(3));
    let mut tasks = tokio::task::JoinSet::new();
    for case in std::iter::once("uninterrupted").chain(points.iter().copied()) {
        let slots = slots.clone();
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await.unwrap();
            let moto = Moto::start();
            let bootstrap = moto.seed_admin("bootstrap-admin").await;
            moto.set_auth(true);
            let machine = Machine::new(&format!("window-{}", case.replace('.', "_")));
            std::fs::create_dir_all(machine.path("exports")).unwrap();
            let mut first = window(&machine, &moto, &bootstrap);
            if case != "uninterrupted" {
                first.env("FAILPOINTS", format!("{case}=return"));
            }
            let out = tokio::process::Command::from(first).output().await.unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            let crashed = stderr.lines().find_map(|l| l.strip_prefix("crash-point ")).map(str::to_string);
            if crashed.is_some() {
                let out = tokio::process::Command::from(window(&machine, &moto, &bootstrap))
                    .output()
                    .await
                    .unwrap();
                assert!(out.status.success(), "{case}, resumed: {}", String::from_utf8_lossy(&out.stderr));
            } else {
                assert!(out.status.success(), "{case}: {stderr}");
            }
            (case.to_string(), crashed, end_state(&moto, &machine, &bootstrap).await)
        });
    }
    let mut results = Vec::new();
    while let Some(result) = tasks.join_next().await {
        results.push(result.unwrap());
    }
    for (case, crashed, _) in &results {
        let expected = (case != "uninterrupted").then_some(case.as_str());
        assert_eq!(crashed.as_deref(), expected, "where {case} stopped");
    }
    assert_all_match(&results);
    eprintln!("{} crash points on the window's path, each recovered", points.len());
}
