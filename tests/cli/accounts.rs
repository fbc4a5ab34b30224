//! The wrong account, made real: a second account through moto's
//! Organizations (`CreateAccount`, then `AssumeRole` into its
//! `OrganizationAccountAccessRole`). With account B's credentials, every
//! command that changes AWS must refuse to act on account A's journal, and
//! neither account may change.

use crate::{aws_setup, Machine, FULL_CONFIG};
use std::process::{Command, Output};
use wizard_tests::{aws_cli_v2, Moto, MOTO_ACCOUNT_ID};

/// Temporary credentials that act in another account.
struct OtherAccount {
    account_id: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
}

fn aws_json(machine: &Machine, moto: &Moto, creds: Option<&OtherAccount>, args: &[&str]) -> serde_json::Value {
    let mut cmd = Command::new(aws_cli_v2());
    machine.env(&mut cmd, moto).args(args).args(["--output", "json"]);
    match creds {
        Some(c) => cmd
            .env("AWS_ACCESS_KEY_ID", &c.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &c.secret_access_key)
            .env("AWS_SESSION_TOKEN", &c.session_token),
        None => cmd
            .env("AWS_ACCESS_KEY_ID", "AKIAMOTOSEEDERSEEDER")
            .env("AWS_SECRET_ACCESS_KEY", "seed".repeat(10)),
    };
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "aws {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null)
}

fn second_account(machine: &Machine, moto: &Moto) -> OtherAccount {
    aws_json(
        machine,
        moto,
        None,
        &["organizations", "create-organization", "--feature-set", "ALL"],
    );
    let created = aws_json(
        machine,
        moto,
        None,
        &["organizations", "create-account", "--email", "b@example.com", "--account-name", "B"],
    );
    let account_id = created["CreateAccountStatus"]["AccountId"].as_str().unwrap().to_string();
    let role = format!("arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole");
    let assumed = aws_json(
        machine,
        moto,
        None,
        &["sts", "assume-role", "--role-arn", &role, "--role-session-name", "wrong-account"],
    );
    let c = &assumed["Credentials"];
    OtherAccount {
        account_id,
        access_key_id: c["AccessKeyId"].as_str().unwrap().into(),
        secret_access_key: c["SecretAccessKey"].as_str().unwrap().into(),
        session_token: c["SessionToken"].as_str().unwrap().into(),
    }
}

fn as_other(machine: &Machine, moto: &Moto, other: &OtherAccount, args: &[&str]) -> Output {
    let mut cmd = aws_setup();
    machine
        .env(&mut cmd, moto)
        .args(args)
        .env("AWS_ACCESS_KEY_ID", &other.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &other.secret_access_key)
        .env("AWS_SESSION_TOKEN", &other.session_token);
    cmd.output().unwrap()
}

fn user_names(machine: &Machine, moto: &Moto, creds: Option<&OtherAccount>) -> Vec<String> {
    let users = aws_json(machine, moto, creds, &["iam", "list-users"]);
    let mut names: Vec<String> = users["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["UserName"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn with_another_accounts_credentials_every_changing_command_refuses_and_neither_account_changes() {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    let machine = Machine::new("wrong-account");
    let other = second_account(&machine, &moto);
    assert_ne!(other.account_id, MOTO_ACCOUNT_ID);
    // Account B has its own user of the admin's name, and a partner user:
    // exactly what a wrong-account teardown or partner run would destroy.
    aws_json(&machine, &moto, Some(&other), &["iam", "create-user", "--user-name", "aws.user1"]);
    aws_json(&machine, &moto, Some(&other), &["iam", "create-user", "--user-name", "gs-support"]);
    aws_json(
        &machine,
        &moto,
        Some(&other),
        &["iam", "create-access-key", "--user-name", "gs-support"],
    );

    let config = machine.write_config(FULL_CONFIG);
    let out = machine.run_command(&moto, &bootstrap, &config).output().unwrap();
    assert!(crate::ran_to_the_end(&out), "{}", String::from_utf8_lossy(&out.stderr));

    let journal_path = machine.data_dir().join("journal.json");
    let journal_before = std::fs::read(&journal_path).unwrap();
    let users_a = user_names(&machine, &moto, None);
    let users_b = user_names(&machine, &moto, Some(&other));
    let keys_b = aws_json(
        &machine,
        &moto,
        Some(&other),
        &["iam", "list-access-keys", "--user-name", "gs-support"],
    );
    assert!(users_a.contains(&"aws.user1".to_string()));

    let roster = machine.path("roster.csv");
    std::fs::write(&roster, "student01\n").unwrap();
    let roster = roster.display().to_string();
    let out_dir = machine.path("out").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["teardown", "--yes"],
        vec!["partner", "--out-dir", &out_dir],
        vec!["budget", "--email", "me@example.com"],
        vec![
            "contacts",
            "put",
            "security",
            "--name",
            "Kim",
            "--title",
            "CISO",
            "--email",
            "sec@example.com",
            "--phone",
            "+82-10-1234-5678",
        ],
        vec!["class", "create", "--roster", &roster, "--class-id", "wrong", "--out-dir", &out_dir],
    ];
    for args in commands {
        let out = as_other(&machine, &moto, &other, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?} must refuse: {stderr}");
        assert!(stderr.contains("journal.wrong_account"), "{args:?}: {stderr}");
        assert!(
            stderr.contains(MOTO_ACCOUNT_ID) && stderr.contains(&other.account_id),
            "{args:?} names both accounts: {stderr}"
        );
    }

    assert_eq!(
        std::fs::read(&journal_path).unwrap(),
        journal_before,
        "account A's journal is untouched"
    );
    assert_eq!(user_names(&machine, &moto, None), users_a, "account A is unchanged");
    assert_eq!(user_names(&machine, &moto, Some(&other)), users_b, "account B is unchanged");
    assert_eq!(
        aws_json(
            &machine,
            &moto,
            Some(&other),
            &["iam", "list-access-keys", "--user-name", "gs-support"]
        ),
        keys_b,
        "B's own partner user keeps its key"
    );
    let budgets = aws_json(
        &machine,
        &moto,
        Some(&other),
        &["budgets", "describe-budgets", "--account-id", &other.account_id],
    );
    assert!(budgets["Budgets"].as_array().is_none_or(|b| b.is_empty()), "{budgets}");
}
