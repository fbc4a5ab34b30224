//! The whole headless walkthrough, then the real AWS CLI v2 using what it made.

use crate::{aws_setup, Machine, FULL_CONFIG};
use engine::steps::admin_user;
use secrecy::ExposeSecret;
use std::path::Path;
use std::process::Command;
use wizard_tests::{aws_cli_v2, Moto, MOTO_ACCOUNT_ID};

fn aws(machine: &Machine, moto: &Moto, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(aws_cli_v2());
    machine.env(&mut cmd, moto).args(args).output().unwrap()
}

/// Every regular file under `dir` written since `since` that contains one of
/// `needles`, but `except`. Only files written while the test ran can hold
/// its secrets, and a developer's temp folder may hold gigabytes of older
/// ones. A file that cannot be read fails the test; one that vanished while
/// the scan ran (another test's) is passed over. Links are not followed.
fn files_containing(dir: &Path, needles: &[(&str, String)], except: &[&Path], since: std::time::SystemTime) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = match std::fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("the secret scan cannot read {}: {e}", path.display()),
        };
        if meta.is_dir() {
            match std::fs::read_dir(&path) {
                Ok(entries) => stack.extend(entries.map(|e| e.unwrap().path())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => panic!("the secret scan cannot list {}: {e}", path.display()),
            }
        } else if meta.is_file() && !except.contains(&path.as_path()) && meta.modified().is_ok_and(|m| m >= since) {
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => panic!("the secret scan cannot read {}: {e}", path.display()),
            };
            for (name, needle) in needles {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    hits.push(format!("{name} in {}", path.display()));
                }
            }
        }
    }
    hits
}

/// The output of a command, named for the scan's report.
struct Said {
    what: String,
    text: Vec<u8>,
}

fn said(what: &str, out: &std::process::Output) -> [Said; 2] {
    [
        Said {
            what: format!("{what} (stdout)"),
            text: out.stdout.clone(),
        },
        Said {
            what: format!("{what} (stderr)"),
            text: out.stderr.clone(),
        },
    ]
}

#[tokio::test]
async fn the_whole_walkthrough_then_the_aws_cli_uses_it_and_a_second_run_changes_nothing() {
    // Whole seconds: some file systems keep modification times no finer.
    let started = std::time::SystemTime::now() - std::time::Duration::from_secs(2);
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    let cleaner = moto.seed_admin("teardown-admin").await;
    moto.set_auth(true);
    let machine = Machine::new("full-flow");
    let console_csv = machine.path("exports/aws.user1_credentials.csv");
    let cli_csv = machine.path("exports/aws.user1_accessKeys.csv");
    let config = machine.write_config(&format!(
        "{FULL_CONFIG}\n[handoff]\ncli_profile = true\nplaintext_credentials = false\nconsole_csv = {:?}\ncli_csv = {:?}\n",
        console_csv, cli_csv
    ));

    let out = machine.run_command(&moto, &bootstrap, &config).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(crate::ran_to_the_end(&out), "stdout: {stdout}\nstderr: {stderr}");
    // Every output of every command below, for the secret scan at the end.
    let mut outputs: Vec<Said> = said("the first run", &out).into();

    // What AWS (moto) now holds.
    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    let users = moto.user_names().await;
    assert!(users.contains(&"aws.user1".to_string()));
    assert_eq!(iam.list_account_aliases().send().await.unwrap().account_aliases(), ["aws-hong"]);
    let groups = iam.list_groups_for_user().user_name("aws.user1").send().await.unwrap();
    assert_eq!(groups.groups()[0].group_name(), "Administrators");
    assert_eq!(
        iam.list_mfa_devices()
            .user_name("aws.user1")
            .send()
            .await
            .unwrap()
            .mfa_devices()
            .len(),
        1
    );
    let keys = iam.list_access_keys().user_name("aws.user1").send().await.unwrap();
    assert_eq!(keys.access_key_metadata().len(), 1);
    let bootstrap_keys = iam.list_access_keys().user_name("bootstrap-admin").send().await.unwrap();
    assert!(
        bootstrap_keys.access_key_metadata().is_empty(),
        "the temporary bootstrap key was deleted"
    );
    moto.set_auth(true);

    // The real AWS CLI v2 through our credential_process profile.
    let who = aws(
        &machine,
        &moto,
        &["sts", "get-caller-identity", "--profile", "aws.user1", "--output", "json"],
    );
    assert!(who.status.success(), "{}", String::from_utf8_lossy(&who.stderr));
    outputs.extend(said("aws sts get-caller-identity", &who));
    let who: serde_json::Value = serde_json::from_slice(&who.stdout).unwrap();
    assert_eq!(who["Arn"], format!("arn:aws:iam::{MOTO_ACCOUNT_ID}:user/aws.user1"));
    let config_text = std::fs::read_to_string(machine.path(".aws/config")).unwrap();
    assert!(config_text.contains("credential_process = \""), "{config_text}");
    assert!(!machine.path(".aws/credentials").exists(), "no plaintext keys unless asked");

    // `aws configure import` of our CSV creates a working profile, on another machine.
    let other = Machine::new("import");
    let import = aws(
        &other,
        &moto,
        &["configure", "import", "--csv", &format!("file://{}", cli_csv.display())],
    );
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    outputs.extend(said("aws configure import", &import));
    let imported = aws(
        &other,
        &moto,
        &["sts", "get-caller-identity", "--profile", "aws.user1", "--output", "json"],
    );
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    outputs.extend(said("aws sts get-caller-identity, imported", &imported));
    assert!(String::from_utf8_lossy(&imported.stdout).contains("user/aws.user1"));

    // Every secret the run handled, for the scan at the end.
    let served = {
        let mut get = aws_setup();
        machine.env(&mut get, &moto).args(["credential-process", "--profile", "aws.user1"]);
        get.output().unwrap()
    };
    let json: serde_json::Value = serde_json::from_slice(&served.stdout).unwrap();
    let secret = json["SecretAccessKey"].as_str().unwrap().to_string();
    // Its stdout is the credential, by design; its stderr is scanned.
    outputs.push(said("credential-process", &served).into_iter().nth(1).unwrap());
    let password = machine
        .keychain_lookup(&admin_user::password_account(MOTO_ACCOUNT_ID, "aws.user1"))
        .expect("the console password is in the keychain");
    let seed = machine
        .keychain_lookup(&format!("mfa-seed/{MOTO_ACCOUNT_ID}/aws.user1"))
        .expect("--mfa this-computer keeps the MFA seed in the keychain");
    let console_text = std::fs::read_to_string(&console_csv).unwrap();
    assert!(console_text.starts_with("\u{feff}User name,Password,Console sign-in URL\r\n"));
    assert!(console_text.contains(&format!(
        "aws.user1,{},https://aws-hong.signin.aws.amazon.com/console",
        password.as_str()
    )));
    let secrets = [
        ("the admin's secret key", secret.clone()),
        ("the console password", password.clone()),
        ("the MFA seed", seed.clone()),
        ("the bootstrap secret", bootstrap.secret.expose_secret().to_string()),
        ("the teardown admin's secret", cleaner.secret.expose_secret().to_string()),
    ];
    assert!(secrets.iter().all(|(_, s)| s.len() >= 16), "every secret was found");

    // A second run finds everything done and creates nothing.
    let again = machine.run_command(&moto, &bootstrap, &config).output().unwrap();
    assert!(crate::ran_to_the_end(&again), "{}", String::from_utf8_lossy(&again.stderr));
    outputs.extend(said("the second run", &again));
    moto.set_auth(false);
    assert_eq!(
        iam.list_access_keys()
            .user_name("aws.user1")
            .send()
            .await
            .unwrap()
            .access_key_metadata()
            .len(),
        1
    );
    assert_eq!(iam.list_users().send().await.unwrap().users().len(), users.len());
    moto.set_auth(true);

    // Teardown, run by another admin, removes everything the app made.
    let mut preview = aws_setup();
    machine.env(&mut preview, &moto).args(["teardown", "--json"]);
    let preview = preview.output().unwrap();
    outputs.extend(said("teardown's preview", &preview));
    let preview: serde_json::Value = serde_json::from_slice(&preview.stdout).unwrap();
    assert_eq!(preview["dry_run"], true);
    assert!(preview["planned"].as_array().unwrap().len() >= 10);
    let mut teardown = machine.teardown_as(&moto, &cleaner);
    teardown.arg("--json");
    let done = teardown.output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    outputs.extend(said("teardown", &done));
    moto.set_auth(false);
    let left = moto.user_names().await;
    assert_eq!(left.len(), 2, "only the two seeded admins remain: {left:?}");
    assert!(iam.list_account_aliases().send().await.unwrap().account_aliases().is_empty());
    assert!(iam.list_groups().send().await.unwrap().groups().is_empty());
    assert!(iam
        .list_virtual_mfa_devices()
        .send()
        .await
        .unwrap()
        .virtual_mfa_devices()
        .is_empty());
    let config_after = std::fs::read_to_string(machine.path(".aws/config")).unwrap_or_default();
    assert!(!config_after.contains("aws.user1"));

    // The secret scan: no secret in any output, nor in any file under either
    // home folder (app data included) or the temp folder, but the files the
    // user asked for: the two exports, and what `aws configure import` made.
    let mut leaks: Vec<String> = Vec::new();
    for out in &outputs {
        for (name, needle) in &secrets {
            if out.text.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                leaks.push(format!("{name} in {}", out.what));
            }
        }
    }
    let imported_credentials = other.path(".aws/credentials");
    let asked_for = [console_csv.as_path(), cli_csv.as_path(), imported_credentials.as_path()];
    for dir in [machine.home.path(), other.home.path(), std::env::temp_dir().as_path()] {
        leaks.extend(files_containing(dir, &secrets, &asked_for, started));
    }
    leaks.sort();
    leaks.dedup();
    assert_eq!(leaks, Vec::<String>::new(), "secrets outside the exports the user asked for");
    assert!(outputs.len() >= 13, "every command's output was scanned");
}

/// The README's practice-mode example: moto with auth off answers any key as
/// its default caller, a user that does not exist in IAM.
#[test]
fn the_readme_practice_example_completes() {
    let moto = Moto::start();
    let machine = Machine::new("practice-example");
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/setup.toml");
    let practice = wizard_tests::TestKey {
        access_key_id: "AKIAPRACTICEPRACTICE".into(),
        secret: secrecy::SecretString::from("PracticePracticePracticePracticePractice".to_string()),
    };
    // Without the admin's console sign-in, the run stops before the clean-up
    // and says how to sign in; `confirm admin-sign-in` then lets it finish.
    let out = machine.run_command(&moto, &practice, &config).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(r#""needs_you":"admin_sign_in""#));
    assert!(String::from_utf8_lossy(&out.stderr).contains("aws-setup confirm admin-sign-in"));
    let mut confirm = crate::aws_setup();
    machine.env(&mut confirm, &moto).args(["confirm", "admin-sign-in"]);
    assert!(confirm.output().unwrap().status.success());
    let out = machine.run_command(&moto, &practice, &config).output().unwrap();
    assert!(crate::ran_to_the_end(&out), "{}", String::from_utf8_lossy(&out.stderr));
    let mut who = Command::new(aws_cli_v2());
    machine.env(&mut who, &moto).args([
        "sts",
        "get-caller-identity",
        "--profile",
        "aws.user1",
        "--query",
        "Arn",
        "--output",
        "text",
    ]);
    let who = who.output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&who.stdout).trim(),
        "arn:aws:iam::123456789012:user/aws.user1"
    );
}

/// `run` never says "all done" while console-only steps are open: it lists
/// them, in the user's language, and exits 4 until each is confirmed.
#[tokio::test]
async fn run_lists_the_console_steps_still_open_and_exits_4_until_they_are_confirmed() {
    let (moto, bootstrap) = Moto::with_bootstrap_admin().await;
    let machine = Machine::new("console-steps");
    let config = machine.write_config(FULL_CONFIG);
    let out = machine.run_command(&moto, &bootstrap, &config).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    let last: serde_json::Value = serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap()).unwrap();
    assert_eq!(last["finished"], true);
    assert_eq!(
        last["console_tasks_open"],
        serde_json::json!(["account_signup", "root_mfa", "billing_access"]),
        "moto has no root user: root MFA reads as off"
    );

    let text_run = |lang: &str| {
        let mut cmd = crate::aws_setup();
        machine
            .env(&mut cmd, &moto)
            .args(["--lang", lang, "run", "--mfa", "this-computer", "--config"])
            .arg(&config)
            .env("AWS_SETUP_BOOTSTRAP_ACCESS_KEY_ID", &bootstrap.access_key_id)
            .env("AWS_SETUP_BOOTSTRAP_SECRET_ACCESS_KEY", bootstrap.secret.expose_secret());
        cmd.output().unwrap()
    };
    let korean = text_run("ko");
    let said = String::from_utf8_lossy(&korean.stdout).to_string();
    assert_eq!(korean.status.code(), Some(4), "{said}");
    for title in ["계정 만들기", "루트 사용자 MFA", "결제 정보 접근"] {
        assert!(said.contains(title), "lists {title}: {said}");
    }
    assert!(!said.contains("모든 단계가 끝났습니다"), "{said}");
    assert!(
        !said.contains("root_mfa") && !said.contains("billing_access"),
        "no internal ids: {said}"
    );

    for task in ["account-signup", "root-mfa", "billing-access"] {
        let mut confirm = crate::aws_setup();
        machine.env(&mut confirm, &moto).args(["confirm", task]);
        let confirmed = confirm.output().unwrap();
        assert!(confirmed.status.success(), "{task}: {}", String::from_utf8_lossy(&confirmed.stderr));
    }
    let english = text_run("en");
    assert_eq!(english.status.code(), Some(0), "{}", String::from_utf8_lossy(&english.stderr));
    assert!(String::from_utf8_lossy(&english.stdout).contains("Every step is done."));
}
