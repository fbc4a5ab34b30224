//! `aws-setup identity-center`: the single-account Identity Center path
//! against moto's Organizations, SSO Admin and Identity Store, with the real
//! AWS CLI v2 reading the profile it writes. moto makes an Identity Center
//! instance for every account by itself, so "not enabled yet" comes from the
//! fault proxy's canned empty `ListInstances`.

use crate::{aws_setup, Machine};
use engine::classroom::accounts::OrgClients;
use secrecy::ExposeSecret;
use serde_json::Value;
use std::process::{Command, Output};
use wizard_tests::fault_proxy::{Fault, FaultProxy};
use wizard_tests::{aws_cli_v2, Moto, TestKey, MOTO_ACCOUNT_ID};

fn text(out: &Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn identity_center(machine: &Machine, moto: &Moto, endpoint: &str, admin: &TestKey, user: &str) -> (Output, Value) {
    let mut cmd = aws_setup();
    machine
        .env(&mut cmd, moto)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", &admin.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", admin.secret.expose_secret())
        .args(["identity-center", "--user", user, "--given-name", "Minji", "--family-name", "Kim"])
        .args(["--email", "minji@example.com", "--json"]);
    let out = cmd.output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, json)
}

/// The Identity Store users' (name, user type).
async fn store_users(c: &OrgClients) -> Vec<(String, Option<String>)> {
    let store = c.sso_admin.list_instances().send().await.unwrap().instances()[0]
        .identity_store_id()
        .unwrap()
        .to_string();
    let users = c.identity_store.list_users().identity_store_id(&store).send().await.unwrap();
    let mut found: Vec<_> = users
        .users()
        .iter()
        .map(|u| (u.user_name().unwrap_or_default().to_string(), u.user_type().map(str::to_string)))
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn the_admin_becomes_an_identity_center_user_with_a_cli_profile_for_aws_sso_login_and_is_removed_by_teardown() {
    let moto = Moto::start();
    let admin = moto.seed_admin("bootstrap-admin").await;
    let proxy = FaultProxy::start(&moto.url);
    let machine = Machine::new("identity-center");
    let c = OrgClients::from_connection(&moto.unauthenticated().await).unwrap();

    // Identity Center not enabled yet: the organization is made, the console
    // guide is the answer (exit 4: the next step is the user's), nothing else is made.
    proxy.inject("ListInstances", 1, Fault::Answer(r#"{"Instances":[]}"#));
    let (out, first) = identity_center(&machine, &moto, &proxy.url, &admin, "kim.admin");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert_eq!(first["kind"], "not_enabled", "{first}");
    assert_eq!(first["organization_created"], true);
    assert!(first["console_url"].as_str().unwrap().contains("singlesignon"), "{first}");
    assert_eq!(proxy.calls("CreateUser") + proxy.calls("CreatePermissionSet"), 0);
    let org = c.organizations.describe_organization().send().await.unwrap();
    assert_eq!(org.organization().unwrap().master_account_id(), Some(MOTO_ACCOUNT_ID));

    // Enabled (moto's own instance): user, permission set, assignment, profile.
    let (out, ready) = identity_center(&machine, &moto, &proxy.url, &admin, "kim.admin");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(ready["kind"], "ready", "{ready}");
    assert_eq!(ready["organization_created"], false, "the organization of the first run is used");
    let portal = ready["portal_url"].as_str().unwrap();
    assert!(
        portal.starts_with("https://d-") && portal.ends_with(".awsapps.com/start"),
        "{portal}"
    );
    assert_eq!(
        store_users(&c).await,
        [("kim.admin".to_string(), Some("aws-setup-admin".to_string()))]
    );
    let instance = c.sso_admin.list_instances().send().await.unwrap().instances()[0].clone();
    let instance_arn = instance.instance_arn().unwrap();
    let sets = c.sso_admin.list_permission_sets().instance_arn(instance_arn).send().await.unwrap();
    assert_eq!(sets.permission_sets().len(), 1);
    let set_arn = &sets.permission_sets()[0];
    let set = c
        .sso_admin
        .describe_permission_set()
        .instance_arn(instance_arn)
        .permission_set_arn(set_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(set.permission_set().unwrap().name(), Some("AdministratorAccess"));
    let assignments = c
        .sso_admin
        .list_account_assignments()
        .instance_arn(instance_arn)
        .account_id(MOTO_ACCOUNT_ID)
        .permission_set_arn(set_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(assignments.account_assignments().len(), 1, "the admin, on this account");

    // The profile as `aws configure sso` writes it, read by the real AWS CLI v2.
    let config = std::fs::read_to_string(machine.path(".aws/config")).unwrap();
    assert!(config.contains("[sso-session aws-setup]"), "{config}");
    assert!(config.contains(&format!("sso_start_url = {portal}")), "{config}");
    let aws = |args: &[&str]| {
        let mut cmd = Command::new(aws_cli_v2());
        machine.env(&mut cmd, &moto);
        cmd.args(args).output().unwrap()
    };
    let account = aws(&["configure", "get", "sso_account_id", "--profile", "aws-setup-sso"]);
    assert_eq!(
        String::from_utf8_lossy(&account.stdout).trim(),
        MOTO_ACCOUNT_ID,
        "{}",
        text(&account)
    );
    let role = aws(&["configure", "get", "sso_role_name", "--profile", "aws-setup-sso"]);
    assert_eq!(String::from_utf8_lossy(&role.stdout).trim(), "AdministratorAccess");
    // Not signed in yet: the AWS CLI looks for the token of the app's
    // sso-session, so it read the profile as an Identity Center one.
    let before_login = aws(&["sts", "get-caller-identity", "--profile", "aws-setup-sso"]);
    assert!(!before_login.status.success());
    assert!(
        text(&before_login).contains("SSO Token: Token for aws-setup does not exist"),
        "{}",
        text(&before_login)
    );

    // Again: nothing new is made.
    proxy.reset();
    let (out, again) = identity_center(&machine, &moto, &proxy.url, &admin, "kim.admin");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(again["kind"], "ready");
    assert_eq!(
        proxy.calls("CreateUser") + proxy.calls("CreatePermissionSet") + proxy.calls("CreateAccountAssignment"),
        0
    );

    // Someone's own Identity Store user of the asked name is never taken.
    let store = instance.identity_store_id().unwrap();
    c.identity_store
        .create_user()
        .identity_store_id(store)
        .user_name("someone")
        .display_name("Someone")
        .name(
            aws_sdk_identitystore::types::Name::builder()
                .given_name("Some")
                .family_name("One")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let (out, _) = identity_center(&machine, &moto, &proxy.url, &admin, "someone");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("iam.name_taken"), "{}", text(&out));

    // Teardown removes the admin's user, the permission set and both sections.
    let mut cmd = aws_setup();
    machine
        .env(&mut cmd, &moto)
        .env("AWS_ACCESS_KEY_ID", &admin.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", admin.secret.expose_secret())
        .args(["teardown", "--yes"]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let left: Vec<String> = store_users(&c).await.into_iter().map(|(name, _)| name).collect();
    assert_eq!(left, ["someone"], "only the user the app did not make is left");
    let sets = c.sso_admin.list_permission_sets().instance_arn(instance_arn).send().await.unwrap();
    assert!(sets.permission_sets().is_empty());
    let config = std::fs::read_to_string(machine.path(".aws/config")).unwrap();
    assert!(!config.contains("sso"), "{config}");
}
