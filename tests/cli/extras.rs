//! Budget, checkup, alternate contacts and the partner preset, against moto.

use crate::{aws_setup, Machine};
use secrecy::ExposeSecret;
use std::io::Read;
use std::process::{Command, Output};
use wizard_tests::{aws_cli_v2, Moto, TestKey};

fn run(machine: &Machine, moto: &Moto, key: &TestKey, args: &[&str]) -> Output {
    let mut cmd = aws_setup();
    machine
        .env(&mut cmd, moto)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", &key.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", key.secret.expose_secret());
    cmd.output().unwrap()
}

/// The JSON a command printed; the command must have succeeded.
fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    parsed(out)
}

fn parsed(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&out.stdout)))
}

#[tokio::test]
async fn a_budget_is_created_once_described_and_removed_by_teardown() {
    let (moto, admin) = Moto::with_bootstrap_admin().await;
    let machine = Machine::new("budget");
    let first = json(&run(
        &machine,
        &moto,
        &admin,
        &["budget", "--email", "me@example.com", "--limit", "10", "--json"],
    ));
    assert_eq!(first["outcome"], "created");
    assert_eq!(first["budget"]["name"], "aws-setup-monthly");
    let again = json(&run(&machine, &moto, &admin, &["budget", "--email", "me@example.com", "--json"]));
    assert_eq!(again["outcome"], "already_exists", "a second run reports, never duplicates");

    let iam_free = moto.unauthenticated().await;
    moto.set_auth(false);
    let budgets = iam_free.budgets.describe_budgets().account_id("123456789012").send().await.unwrap();
    moto.set_auth(true);
    assert_eq!(budgets.budgets().len(), 1);
    assert_eq!(budgets.budgets()[0].budget_limit().unwrap().amount(), "10");

    let bad = run(&machine, &moto, &admin, &["--lang", "ko", "budget", "--email", "not-an-email"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("validation.email"));

    let gone = run(&machine, &moto, &admin, &["teardown", "--yes", "--json"]);
    assert!(gone.status.success(), "{}", String::from_utf8_lossy(&gone.stderr));
    moto.set_auth(false);
    let budgets = iam_free.budgets.describe_budgets().account_id("123456789012").send().await.unwrap();
    assert!(budgets.budgets().is_empty());
}

#[tokio::test]
async fn checkup_json_lists_every_check_and_sees_user_level_facts() {
    let moto = Moto::start();
    let admin = moto.seed_admin("bootstrap-admin").await;
    // A console user without MFA, with admin rights attached directly.
    let seeder = moto.unauthenticated().await;
    seeder
        .iam
        .create_login_profile()
        .user_name("bootstrap-admin")
        .password("Some-Password-123!")
        .send()
        .await
        .unwrap();
    moto.set_auth(true);
    let machine = Machine::new("checkup");
    let report = machine.path("checkup.html");
    let report_ko = machine.path("checkup-ko.html");
    let out = run(
        &machine,
        &moto,
        &admin,
        &["checkup", "--json", "--lang", "en", "--out", report.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(4), "failing checks exit with 4");
    let checks = parsed(&out);
    let checks = checks.as_array().unwrap();
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "root_mfa",
            "root_access_key",
            "password_policy",
            "console_users_mfa",
            "access_keys_rotated",
            "one_active_key_per_user",
            "admin_via_group",
            "budget_exists",
            "alias_set"
        ]
    );
    for c in checks {
        assert!(["pass", "fail", "unknown"].contains(&c["status"].as_str().unwrap()));
        assert!(!c["why"].as_str().unwrap().is_empty() && !c["fix"].as_str().unwrap().is_empty());
    }
    let by_id = |id: &str| checks.iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(by_id("console_users_mfa")["status"], "fail");
    assert_eq!(by_id("console_users_mfa")["detail"], "bootstrap-admin");
    assert_eq!(by_id("admin_via_group")["status"], "fail");
    assert_eq!(by_id("password_policy")["status"], "fail");
    assert_eq!(by_id("one_active_key_per_user")["status"], "pass");
    assert_eq!(by_id("alias_set")["status"], "fail");
    // The report, in each language.
    let korean = run(
        &machine,
        &moto,
        &admin,
        &["checkup", "--lang", "ko", "--out", report_ko.to_str().unwrap()],
    );
    assert_eq!(korean.status.code(), Some(4));
    for (path, refresh) in [(&report, "4 hours"), (&report_ko, "4시간")] {
        let html = std::fs::read_to_string(path).unwrap();
        assert!(html.contains("<table>"), "{}: a table", path.display());
        assert!(html.contains(refresh), "{}: says {refresh}", path.display());
        assert!(!html.contains(admin.secret.expose_secret()));
    }
}

#[tokio::test]
async fn alternate_contacts_are_put_read_and_deleted() {
    let (moto, admin) = Moto::with_bootstrap_admin().await;
    let machine = Machine::new("contacts");
    let put = run(
        &machine,
        &moto,
        &admin,
        &[
            "contacts",
            "put",
            "security",
            "--name",
            "홍길동",
            "--title",
            "Owner",
            "--email",
            "sec@example.com",
            "--phone",
            "+82 10-1234-5678",
        ],
    );
    assert!(put.status.success(), "{}", String::from_utf8_lossy(&put.stderr));
    let got = json(&run(&machine, &moto, &admin, &["contacts", "get", "--json"]));
    assert_eq!(got["security"]["email"], "sec@example.com");
    assert_eq!(got["security"]["name"], "홍길동");
    assert!(got["billing"].is_null());
    let bad = run(
        &machine,
        &moto,
        &admin,
        &[
            "contacts",
            "put",
            "billing",
            "--name",
            "x",
            "--title",
            "t",
            "--email",
            "b@example.com",
            "--phone",
            "call me",
        ],
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("validation.contact_phone"));
    let del = run(&machine, &moto, &admin, &["contacts", "delete", "security"]);
    assert!(del.status.success(), "{}", String::from_utf8_lossy(&del.stderr));
    let got = json(&run(&machine, &moto, &admin, &["contacts", "get", "--json"]));
    assert!(got["security"].is_null());
}

#[tokio::test]
async fn the_partner_user_can_read_but_not_create_users_and_its_secrets_are_locked() {
    let (moto, admin) = Moto::with_bootstrap_admin().await;
    let machine = Machine::new("partner");
    let out_dir = machine.path("partner");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = json(&run(
        &machine,
        &moto,
        &admin,
        &["partner", "--out-dir", out_dir.to_str().unwrap(), "--json"],
    ));
    assert_eq!(out["outcome"]["outcome"], "ready");
    let key_id = out["outcome"]["handoff"]["access_key_id"].as_str().unwrap().to_string();
    let zip_password = out["zip_password"].as_str().unwrap().to_string();

    let sheet = std::fs::read_to_string(out_dir.join("gs-support-handoff.md")).unwrap();
    assert!(sheet.contains(&key_id) && sheet.contains("Never email") && sheet.contains("평문 이메일"));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(out_dir.join("gs-support-credentials.zip")).unwrap()).unwrap();
    // Locked: the zip crate opens an unencrypted entry with any password, so
    // the entry must refuse no password and a wrong one.
    assert!(archive.by_name("gs-support_credentials.csv").is_err(), "no password: refused");
    assert!(
        archive.by_name_decrypt("gs-support_credentials.csv", b"not-the-password").is_err(),
        "a wrong password: refused"
    );
    let mut csv = String::new();
    archive
        .by_name_decrypt("gs-support_credentials.csv", zip_password.as_bytes())
        .unwrap()
        .read_to_string(&mut csv)
        .unwrap();
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let secret = row[4].to_string();
    assert!(!sheet.contains(&secret), "the sheet holds no secret");

    // The partner's own key: reading works, creating users is denied.
    let mut list = Command::new(aws_cli_v2());
    machine
        .env(&mut list, &moto)
        .args(["iam", "list-users", "--output", "json"])
        .env("AWS_ACCESS_KEY_ID", &key_id)
        .env("AWS_SECRET_ACCESS_KEY", &secret);
    let list = list.output().unwrap();
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    let mut create = Command::new(aws_cli_v2());
    machine
        .env(&mut create, &moto)
        .args(["iam", "create-user", "--user-name", "intruder"])
        .env("AWS_ACCESS_KEY_ID", &key_id)
        .env("AWS_SECRET_ACCESS_KEY", &secret);
    let create = create.output().unwrap();
    assert!(!create.status.success());
    assert!(
        String::from_utf8_lossy(&create.stderr).contains("AccessDenied"),
        "{}",
        String::from_utf8_lossy(&create.stderr)
    );

    let again = json(&run(
        &machine,
        &moto,
        &admin,
        &["partner", "--out-dir", out_dir.to_str().unwrap(), "--json"],
    ));
    assert_eq!(
        again["outcome"]["handoff"]["access_key_id"],
        key_id.as_str(),
        "a second run keeps the same key"
    );
}

/// The stricter preset: ViewOnlyAccess instead of ReadOnlyAccess, and a
/// later run with the other preset swaps the policy instead of adding one.
#[tokio::test]
async fn the_partner_view_only_preset_attaches_view_only_access() {
    let (moto, admin) = Moto::with_bootstrap_admin().await;
    let machine = Machine::new("partner-view-only");
    let out_dir = machine.path("partner");
    std::fs::create_dir_all(&out_dir).unwrap();
    let policies = |preset: &str| {
        let out = json(&run(
            &machine,
            &moto,
            &admin,
            &["partner", "--preset", preset, "--out-dir", out_dir.to_str().unwrap(), "--json"],
        ));
        assert_eq!(out["outcome"]["outcome"], "ready");
        let mut list = Command::new(aws_cli_v2());
        machine
            .env(&mut list, &moto)
            .args([
                "iam",
                "list-attached-user-policies",
                "--user-name",
                "gs-support",
                "--query",
                "AttachedPolicies[].PolicyName",
                "--output",
                "text",
            ])
            .env("AWS_ACCESS_KEY_ID", &admin.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", admin.secret.expose_secret());
        let mut names: Vec<String> = String::from_utf8_lossy(&list.output().unwrap().stdout)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        names.sort();
        names
    };
    assert_eq!(policies("view-only"), ["AWSSupportAccess", "ViewOnlyAccess"]);
    assert_eq!(
        policies("read-only"),
        ["AWSSupportAccess", "ReadOnlyAccess"],
        "the other preset's policy is removed"
    );
}
