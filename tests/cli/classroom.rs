//! Classroom labs end to end: 40 students against moto with auth on.

use crate::{aws_setup, Machine};
use secrecy::ExposeSecret;
use std::process::{Command, Output};
use wizard_tests::{aws_cli_v2, Moto, TestKey};

fn roster(machine: &Machine, prefix: &str, count: usize) -> std::path::PathBuf {
    let mut text = String::from("\u{feff}사용자 이름,표시 이름,이메일\r\n");
    for i in 1..=count {
        text.push_str(&format!("{prefix}{i:02},학생 {i},{prefix}{i:02}@example.com\r\n"));
    }
    let path = machine.path(&format!("{prefix}roster.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

fn class(machine: &Machine, moto: &Moto, admin: &TestKey, args: &[&str]) -> Output {
    let mut cmd = aws_setup();
    machine
        .env(&mut cmd, moto)
        .arg("class")
        .args(args)
        .env("AWS_ACCESS_KEY_ID", &admin.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", admin.secret.expose_secret());
    cmd.output().unwrap()
}

async fn users_under(moto: &Moto, path: &str) -> Vec<String> {
    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    let users = iam.list_users().path_prefix(path).send().await.unwrap();
    moto.set_auth(true);
    users.users().iter().map(|u| u.user_name().to_string()).collect()
}

#[tokio::test]
async fn forty_students_are_created_and_torn_down_without_touching_another_class() {
    let (moto, admin) = Moto::with_bootstrap_admin().await;
    let machine = Machine::new("classroom-40");
    let out_dir = machine.path("handout");
    std::fs::create_dir_all(&out_dir).unwrap();
    let other = roster(&machine, "other", 3);
    let created = class(
        &machine,
        &moto,
        &admin,
        &[
            "create",
            "--class-id",
            "other-lab",
            "--roster",
            other.to_str().unwrap(),
            "--out-dir",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));

    let roster40 = roster(&machine, "student", 40);
    let out = class(
        &machine,
        &moto,
        &admin,
        &[
            "create",
            "--class-id",
            "cs101",
            "--roster",
            roster40.to_str().unwrap(),
            "--keys",
            "--concurrency",
            "4",
            "--out-dir",
            out_dir.to_str().unwrap(),
            "--json",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["report"]["created"].as_array().unwrap().len(), 40);
    assert!(
        stderr.contains("done 40 / failed 0 / remaining 0") || stderr.contains("완료 40 / 실패 0 / 남음 0"),
        "{stderr}"
    );

    // Windows Credential Manager holds 2,560 bytes of UTF-16 per entry: every
    // entry this class wrote stays under 2,048.
    let entries = machine.keychain_entries();
    let class_entries: Vec<_> = entries.iter().filter(|(account, _)| account.starts_with("class/cs101/")).collect();
    assert_eq!(class_entries.len(), 40, "one entry per student");
    for (account, secret) in &entries {
        let utf16_bytes = secret.encode_utf16().count() * 2;
        assert!(utf16_bytes <= 2048, "{account}: {utf16_bytes} bytes");
    }

    let mut names = users_under(&moto, "/class/cs101/").await;
    names.sort();
    assert_eq!(names.len(), 40);
    assert_eq!(names[0], "student01");
    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    for name in ["student01", "student40"] {
        assert!(iam.get_login_profile().user_name(name).send().await.is_ok());
        assert_eq!(
            iam.list_access_keys()
                .user_name(name)
                .send()
                .await
                .unwrap()
                .access_key_metadata()
                .len(),
            1
        );
        let groups = iam.list_groups_for_user().user_name(name).send().await.unwrap();
        assert_eq!(groups.groups()[0].group_name(), "class-cs101");
    }
    moto.set_auth(true);

    // The hand-out: 0600, and the AWS CLI v2 imports it and a student's key works.
    let csv = out_dir.join("cs101-handout.csv");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&csv).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let sheets = std::fs::read_to_string(out_dir.join("cs101-sheets.html")).unwrap();
    assert_eq!(sheets.matches("<section>").count(), 40);
    let mut import = Command::new(aws_cli_v2());
    machine
        .env(&mut import, &moto)
        .args(["configure", "import", "--csv", &format!("file://{}", csv.display())]);
    let import = import.output().unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    let mut who = Command::new(aws_cli_v2());
    machine.env(&mut who, &moto).args([
        "sts",
        "get-caller-identity",
        "--profile",
        "student07",
        "--output",
        "text",
        "--query",
        "Arn",
    ]);
    let who = who.output().unwrap();
    assert!(who.status.success(), "{}", String::from_utf8_lossy(&who.stderr));
    assert_eq!(
        String::from_utf8_lossy(&who.stdout).trim(),
        "arn:aws:iam::123456789012:user/class/cs101/student07"
    );

    // Teardown: a preview with counts, then everything of cs101 and nothing else.
    let preview = class(&machine, &moto, &admin, &["teardown", "--class-id", "cs101", "--json"]);
    let preview: serde_json::Value = serde_json::from_slice(&preview.stdout).unwrap();
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["counts"]["users"], 40);
    assert_eq!(preview["counts"]["access_keys"], 40);
    assert_eq!(preview["counts"]["login_profiles"], 40);
    assert_eq!(preview["counts"]["groups"], 1);
    assert_eq!(users_under(&moto, "/class/cs101/").await.len(), 40, "a preview deletes nothing");
    let gone = class(
        &machine,
        &moto,
        &admin,
        &["teardown", "--class-id", "cs101", "--yes", "--concurrency", "8"],
    );
    assert!(gone.status.success(), "{}", String::from_utf8_lossy(&gone.stderr));
    assert!(users_under(&moto, "/class/cs101/").await.is_empty());
    assert_eq!(
        users_under(&moto, "/class/other-lab/").await.len(),
        3,
        "the other class is untouched"
    );
    assert_eq!(users_under(&moto, "/").await.len(), 4, "the admin and the other class remain");
}

#[tokio::test]
async fn a_failed_student_is_reported_and_a_retry_completes_without_duplicates() {
    let moto = Moto::start();
    let admin = moto.seed_admin("bootstrap-admin").await;
    // Someone else's user with a student's name: that student must fail.
    moto.seed_user("pupil05", &[]).await;
    moto.set_auth(true);
    let machine = Machine::new("classroom-retry");
    let roster10 = roster(&machine, "pupil", 10);
    let args = [
        "create",
        "--class-id",
        "retry",
        "--roster",
        roster10.to_str().unwrap(),
        "--out-dir",
        machine.home.path().to_str().unwrap(),
        "--json",
    ];
    let first = class(&machine, &moto, &admin, &args);
    assert_eq!(first.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(json["report"]["created"].as_array().unwrap().len(), 9);
    assert_eq!(json["report"]["failed"][0]["user_name"], "pupil05");
    assert_eq!(json["report"]["failed"][0]["error"]["code"], "iam.name_taken");
    assert!(!machine.path("retry-handout.csv").exists(), "no hand-out until everyone is done");

    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    let key = iam.list_access_keys().user_name("pupil05").send().await.unwrap();
    for k in key.access_key_metadata() {
        iam.delete_access_key()
            .user_name("pupil05")
            .access_key_id(k.access_key_id().unwrap())
            .send()
            .await
            .unwrap();
    }
    iam.delete_user().user_name("pupil05").send().await.unwrap();
    moto.set_auth(true);

    let second = class(&machine, &moto, &admin, &args);
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let json: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(json["report"]["created"], serde_json::json!(["pupil05"]));
    assert_eq!(json["report"]["already_done"].as_array().unwrap().len(), 9);
    assert_eq!(users_under(&moto, "/class/retry/").await.len(), 10);
    let handout = std::fs::read_to_string(machine.path("retry-handout.csv")).unwrap();
    assert_eq!(handout.lines().count(), 11, "a header and ten students, each once");
}

#[test]
fn a_roster_with_bad_lines_is_refused_whole_with_line_numbers() {
    let machine = Machine::new("classroom-bad");
    let path = machine.path("bad.csv");
    std::fs::write(&path, "good01\nbad name\ngood02\nGOOD01\n").unwrap();
    let moto = Moto::start();
    let mut cmd = aws_setup();
    machine.env(&mut cmd, &moto).args([
        "--lang",
        "en",
        "class",
        "create",
        "--class-id",
        "bad",
        "--roster",
        path.to_str().unwrap(),
    ]);
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.csv:2:") && stderr.contains("bad.csv:4:"), "{stderr}");
    assert!(stderr.contains("line 1"), "{stderr}");
}
