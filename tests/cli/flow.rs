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

/// Every file under `dir` that contains `needle`, skipping `except`.
fn files_containing(dir: &Path, needle: &str, except: &[&Path]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                stack.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
        } else if !except.contains(&path.as_path()) {
            if let Ok(bytes) = std::fs::read(&path) {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    hits.push(path.display().to_string());
                }
            }
        }
    }
    hits
}

#[tokio::test]
async fn the_whole_walkthrough_then_the_aws_cli_uses_it_and_a_second_run_changes_nothing() {
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
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains(r#""finished":true"#));

    // What AWS (moto) now holds.
    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    let users: Vec<String> = iam
        .list_users()
        .send()
        .await
        .unwrap()
        .users()
        .iter()
        .map(|u| u.user_name().to_string())
        .collect();
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
    let imported = aws(
        &other,
        &moto,
        &["sts", "get-caller-identity", "--profile", "aws.user1", "--output", "json"],
    );
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    assert!(String::from_utf8_lossy(&imported.stdout).contains("user/aws.user1"));

    // Secret scan: the secret key and the password are nowhere but the exports.
    let secret = {
        let mut get = aws_setup();
        machine.env(&mut get, &moto).args(["credential-process", "--profile", "aws.user1"]);
        let out = get.output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["SecretAccessKey"].as_str().unwrap().to_string()
    };
    let password = machine
        .keychain_lookup(&admin_user::password_account(MOTO_ACCOUNT_ID, "aws.user1"))
        .expect("the console password is in the keychain");
    let console_text = std::fs::read_to_string(&console_csv).unwrap();
    assert!(console_text.starts_with("\u{feff}User name,Password,Console sign-in URL\r\n"));
    assert!(console_text.contains(&format!(
        "aws.user1,{},https://aws-hong.signin.aws.amazon.com/console",
        password.as_str()
    )));
    for needle in [secret.as_str(), password.as_str()] {
        assert!(!stdout.contains(needle) && !stderr.contains(needle), "a secret reached the output");
        // The exports and the profile `aws configure import` made were asked for.
        let imported_credentials = other.path(".aws/credentials");
        let exports = [console_csv.as_path(), cli_csv.as_path(), imported_credentials.as_path()];
        assert_eq!(files_containing(machine.home.path(), needle, &exports), Vec::<String>::new());
        assert_eq!(files_containing(&std::env::temp_dir(), needle, &exports), Vec::<String>::new());
    }

    // A second run finds everything done and creates nothing.
    let again = machine.run_command(&moto, &bootstrap, &config).output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
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
    let preview: serde_json::Value = serde_json::from_slice(&preview.output().unwrap().stdout).unwrap();
    assert_eq!(preview["dry_run"], true);
    assert!(preview["planned"].as_array().unwrap().len() >= 10);
    let mut teardown = aws_setup();
    machine
        .env(&mut teardown, &moto)
        .args(["teardown", "--yes", "--json"])
        .env("AWS_ACCESS_KEY_ID", &cleaner.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", cleaner.secret.expose_secret());
    let done = teardown.output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    moto.set_auth(false);
    let left: Vec<String> = iam
        .list_users()
        .send()
        .await
        .unwrap()
        .users()
        .iter()
        .map(|u| u.user_name().to_string())
        .collect();
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
    let out = machine.run_command(&moto, &practice, &config).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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
