//! Classroom accounts mode end to end: `aws-setup class create --mode
//! accounts` against moto's Organizations, Identity Center, STS and Budgets,
//! checked through moto's own API. What moto never says (a Service Quotas
//! value for Organizations, a FAILED account creation) comes from the fault
//! proxy's canned answers.
//!
//! Moto runs with auth off here: the `OrganizationAccountAccessRole` moto
//! makes in a new account carries no policy (AWS's has AdministratorAccess),
//! so with auth on every call inside a student account would be denied.

use crate::{aws_setup, Machine};
use aws_sdk_organizations::types::PolicyType;
use engine::classroom::accounts::OrgClients;
use secrecy::ExposeSecret;
use serde_json::Value;
use std::collections::HashMap;
use std::process::Output;
use wizard_tests::fault_proxy::{Fault, FaultProxy};
use wizard_tests::{Moto, TestKey};

/// Service Quotas' answer for an organization allowed 10 accounts.
const QUOTA_OF_TEN: &str =
    r#"{"Quota":{"ServiceCode":"organizations","QuotaCode":"L-29A0C5DF","QuotaName":"Default maximum number of accounts","Value":10.0}}"#;
/// Organizations' answer for a creation AWS gave up on.
const CREATION_FAILED: &str =
    r#"{"CreateAccountStatus":{"Id":"car-injectedfailure","AccountName":"x","State":"FAILED","FailureReason":"INTERNAL_FAILURE"}}"#;

fn roster(machine: &Machine, prefix: &str, count: usize) -> std::path::PathBuf {
    let mut text = String::from("user name,display name,email\n");
    for i in 1..=count {
        text.push_str(&format!("{prefix}{i:02},Student {i},{prefix}{i:02}@school.example\n"));
    }
    let path = machine.path(&format!("{prefix}-roster.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

/// `aws-setup class …` on a computer without the AWS CLI: recycling then
/// cleans IAM and budgets only, and says so (the leftovers test gives it one).
fn class(machine: &Machine, moto: &Moto, endpoint: &str, admin: &TestKey, args: &[&str]) -> Output {
    class_with_cli(machine, moto, endpoint, admin, args, &machine.path("no-aws-cli/aws"))
}

fn class_with_cli(machine: &Machine, moto: &Moto, endpoint: &str, admin: &TestKey, args: &[&str], aws_cli: &std::path::Path) -> Output {
    let mut cmd = aws_setup();
    machine
        .env(&mut cmd, moto)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_SETUP_AWS_CLI", aws_cli)
        .arg("class")
        .args(args)
        .env("AWS_ACCESS_KEY_ID", &admin.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", admin.secret.expose_secret());
    cmd.output().unwrap()
}

/// `class create --mode accounts` with the usual flags and `extra`.
fn create(
    machine: &Machine,
    moto: &Moto,
    endpoint: &str,
    admin: &TestKey,
    class_id: &str,
    roster: &std::path::Path,
    extra: &[&str],
) -> (Output, Value) {
    let out_dir = machine.path(&format!("handout-{class_id}"));
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut args = vec![
        "create",
        "--mode",
        "accounts",
        "--class-id",
        class_id,
        "--roster",
        roster.to_str().unwrap(),
        "--instructor-email",
        "teacher@school.example",
        "--out-dir",
        out_dir.to_str().unwrap(),
        "--overwrite",
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = class(machine, moto, endpoint, admin, &args);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, json)
}

fn names(report: &Value, field: &str) -> Vec<String> {
    report["report"][field]
        .as_array()
        .unwrap_or_else(|| panic!("no {field} in {report}"))
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v["user_name"].as_str().unwrap().to_string())
        })
        .collect()
}

/// Moto with an administrator key for the organization's management account.
async fn management() -> (Moto, TestKey) {
    let moto = Moto::start();
    let admin = moto.seed_admin("instructor").await;
    (moto, admin)
}

/// Moto's clients as its default caller, for reading what the class made.
async fn clients(moto: &Moto) -> OrgClients {
    OrgClients::from_connection(&moto.unauthenticated().await).unwrap()
}

async fn ou_named(c: &OrgClients, name: &str) -> Option<String> {
    let org = &c.organizations;
    let root = org.list_roots().send().await.unwrap().roots()[0].id().unwrap().to_string();
    let ous = org.list_organizational_units_for_parent().parent_id(&root).send().await.unwrap();
    ous.organizational_units()
        .iter()
        .find(|o| o.name() == Some(name))
        .map(|o| o.id().unwrap().to_string())
}

/// Every page, as a user of the SDK reads them (moto pages by 20).
async fn accounts_in(c: &OrgClients, ou: &str) -> Vec<String> {
    let pages: Vec<_> = c
        .organizations
        .list_accounts_for_parent()
        .parent_id(ou)
        .into_paginator()
        .send()
        .collect()
        .await;
    let mut ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.unwrap().accounts.unwrap_or_default())
        .map(|a| a.id.unwrap())
        .collect();
    ids.sort();
    ids
}

async fn all_accounts(c: &OrgClients) -> usize {
    let pages: Vec<_> = c.organizations.list_accounts().into_paginator().send().collect().await;
    pages.into_iter().map(|p| p.unwrap().accounts.unwrap_or_default().len()).sum()
}

/// Credentials acting inside a member account through its access role.
async fn member_credentials(c: &OrgClients, account_id: &str, session: &str) -> aws_sdk_sts::types::Credentials {
    let assumed = c
        .management
        .sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"))
        .role_session_name(session)
        .send()
        .await
        .unwrap();
    assumed.credentials().unwrap().clone()
}

/// The budgets inside a member account, read as that account through its access role.
async fn member_budgets(moto: &Moto, c: &OrgClients, account_id: &str) -> Vec<String> {
    let creds = member_credentials(c, account_id, "test-reader").await;
    let creds = &creds;
    let config = aws_sdk_budgets::config::Builder::new()
        .behavior_version(aws_sdk_budgets::config::BehaviorVersion::latest())
        .region(aws_sdk_budgets::config::Region::new("us-east-1"))
        .endpoint_url(&moto.url)
        .credentials_provider(aws_credential_types::Credentials::new(
            creds.access_key_id(),
            creds.secret_access_key(),
            Some(creds.session_token().to_string()),
            None,
            "test",
        ))
        .build();
    let budgets = aws_sdk_budgets::Client::from_conf(config);
    let out = budgets.describe_budgets().account_id(account_id).send().await.unwrap();
    out.budgets().iter().map(|b| b.budget_name().to_string()).collect()
}

#[tokio::test]
async fn thirty_students_get_accounts_guardrails_budgets_and_their_own_sign_in_and_are_recycled_into_the_pool() {
    let (moto, admin) = management().await;
    let machine = Machine::new("class-accounts-30");
    let roster30 = roster(&machine, "student", 30);
    // moto serves one request at a time, and the first AssumeRole into each
    // new account takes it about a second. Two at once is as fast against
    // moto as four (scripts/bench: 58 s vs 65 s at one), and keeps every call
    // well inside the SDK's 20 s attempt timeout while other tests share the
    // two cores; at four, a loaded run saw students fail on timeouts.
    let quota = ["--account-quota", "40", "--concurrency", "2"];

    let (out, report) = create(&machine, &moto, &moto.url, &admin, "cs101", &roster30, &quota);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(names(&report, "created").len(), 30, "{report}");
    assert!(names(&report, "failed").is_empty());
    let portal = report["report"]["portal_url"].as_str().unwrap();
    assert!(
        portal.starts_with("https://d-") && portal.ends_with(".awsapps.com/start"),
        "{portal}"
    );
    let sheets = std::fs::read_to_string(machine.path("handout-cs101/cs101-accounts-sheets.html")).unwrap();
    assert!(sheets.contains("Forgot password") && sheets.contains("cs101-student07"));

    // An unrelated OU with its own account, which nothing may touch.
    let c = clients(&moto).await;
    let root = c.organizations.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_string();
    let other_ou = c
        .organizations
        .create_organizational_unit()
        .parent_id(&root)
        .name("research")
        .send()
        .await
        .unwrap()
        .organizational_unit()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let status = c
        .organizations
        .create_account()
        .email("lab@research.example")
        .account_name("research-lab")
        .send()
        .await
        .unwrap();
    let research_account = status.create_account_status().unwrap().account_id().unwrap().to_string();
    c.organizations
        .move_account()
        .account_id(&research_account)
        .source_parent_id(&root)
        .destination_parent_id(&other_ou)
        .send()
        .await
        .unwrap();

    // 30 accounts in the class OU, each tagged for its student.
    let class_ou = ou_named(&c, "class-cs101").await.expect("the class OU");
    let class_accounts = accounts_in(&c, &class_ou).await;
    assert_eq!(class_accounts.len(), 30);
    let mut student_of = HashMap::new();
    for id in &class_accounts {
        let tags = c.organizations.list_tags_for_resource().resource_id(id).send().await.unwrap();
        let student = tags
            .tags()
            .iter()
            .find(|t| t.key() == "aws-setup-student")
            .unwrap()
            .value()
            .to_string();
        student_of.insert(id.clone(), student);
    }
    // The three guardrails beside FullAWSAccess.
    let scps = c
        .organizations
        .list_policies_for_target()
        .target_id(&class_ou)
        .filter(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let mut scp_names: Vec<&str> = scps.policies().iter().filter_map(|p| p.name()).collect();
    scp_names.sort();
    assert_eq!(
        scp_names,
        [
            "FullAWSAccess",
            "aws-setup-cs101-protect",
            "aws-setup-cs101-regions",
            "aws-setup-cs101-spending"
        ]
    );
    // A budget in every account.
    for id in &class_accounts {
        assert_eq!(member_budgets(&moto, &c, id).await, ["class-cs101"], "{id}");
    }
    // 30 Identity Store users, each assigned to exactly its own account.
    let instance = c.sso_admin.list_instances().send().await.unwrap().instances()[0].clone();
    let (instance_arn, store) = (instance.instance_arn().unwrap(), instance.identity_store_id().unwrap());
    let users = c
        .identity_store
        .list_users()
        .identity_store_id(store)
        .max_results(100)
        .send()
        .await
        .unwrap();
    let class_users: Vec<_> = users
        .users()
        .iter()
        .filter(|u| u.user_name().unwrap_or_default().starts_with("cs101-"))
        .collect();
    assert_eq!(class_users.len(), 30);
    for user in class_users {
        let assignments = c
            .sso_admin
            .list_account_assignments_for_principal()
            .instance_arn(instance_arn)
            .principal_id(user.user_id())
            .principal_type(aws_sdk_ssoadmin::types::PrincipalType::User)
            .send()
            .await
            .unwrap();
        let accounts: Vec<&str> = assignments.account_assignments().iter().filter_map(|a| a.account_id()).collect();
        assert_eq!(accounts.len(), 1, "{user:?}");
        assert_eq!(format!("cs101-{}", student_of[accounts[0]]), user.user_name().unwrap());
    }
    let total_before = all_accounts(&c).await;

    // A re-run creates nothing new.
    let (out, again) = create(&machine, &moto, &moto.url, &admin, "cs101", &roster30, &quota);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(names(&again, "created").is_empty() && names(&again, "reused").is_empty(), "{again}");
    assert_eq!(names(&again, "already_done").len(), 30);
    assert_eq!(all_accounts(&c).await, total_before);

    // The dry run lists and changes nothing; then the teardown recycles.
    let teardown = |yes: bool| {
        let mut args = vec!["teardown", "--class-id", "cs101", "--concurrency", "2", "--json"];
        if yes {
            args.push("--yes");
        }
        class(&machine, &moto, &moto.url, &admin, &args)
    };
    let preview = teardown(false);
    assert!(preview.status.success(), "{}", String::from_utf8_lossy(&preview.stderr));
    let preview: Value = serde_json::from_slice(&preview.stdout).unwrap();
    assert_eq!(preview["dry_run"], true);
    assert_eq!(
        preview["leftovers_checked"], false,
        "no AWS CLI here: EC2 and S3 were not looked at"
    );
    assert_eq!(preview["recycled"].as_array().unwrap().len(), 30);
    assert_eq!(accounts_in(&c, &class_ou).await.len(), 30);
    let done = teardown(true);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let done: Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(done["sign_ins_removed"], 30, "{done}");

    let pool = ou_named(&c, "aws-setup-ready-pool").await.expect("the pool OU");
    assert_eq!(accounts_in(&c, &pool).await, class_accounts);
    assert_eq!(ou_named(&c, "class-cs101").await, None, "the empty class OU is removed");
    assert_eq!(
        accounts_in(&c, &other_ou).await,
        [research_account.as_str()],
        "another OU is untouched"
    );
    let left = c.identity_store.list_users().identity_store_id(store).send().await.unwrap();
    assert!(left
        .users()
        .iter()
        .all(|u| !u.user_name().unwrap_or_default().starts_with("cs101-")));

    // The next class takes its accounts from the pool: nothing new is created.
    let roster5 = roster(&machine, "next", 5);
    let (out, next) = create(&machine, &moto, &moto.url, &admin, "cs102", &roster5, &quota);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(names(&next, "reused").len(), 5, "{next}");
    assert!(names(&next, "created").is_empty());
    assert_eq!(all_accounts(&c).await, total_before);
    assert_eq!(accounts_in(&c, &pool).await.len(), 25);
    let cs102 = ou_named(&c, "class-cs102").await.unwrap();
    assert_eq!(accounts_in(&c, &cs102).await.len(), 5);

    // The class id used again: each returning student gets their own old
    // account back. Three students whose accounts the next class left in the
    // pool (which ones it took depends on the order the pool lists them).
    let mut pooled: Vec<String> = accounts_in(&c, &pool).await.iter().map(|id| student_of[id].clone()).collect();
    pooled.sort();
    let mut text = String::from("user name,display name,email\n");
    for name in pooled.iter().take(3) {
        text.push_str(&format!("{name},Returning {name},{name}@school.example\n"));
    }
    let returning = machine.path("returning-roster.csv");
    std::fs::write(&returning, text).unwrap();
    let (out, again) = create(&machine, &moto, &moto.url, &admin, "cs101", &returning, &quota);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(names(&again, "reused").len(), 3, "{again}");
    for account in again["report"]["accounts"].as_array().unwrap() {
        let id = account["account_id"].as_str().unwrap();
        assert_eq!(student_of[id], account["user_name"].as_str().unwrap(), "{again}");
    }
    assert_eq!(all_accounts(&c).await, total_before);
}

#[tokio::test]
async fn a_class_that_does_not_fit_the_account_quota_stops_before_anything_is_created() {
    let (moto, admin) = management().await;
    let proxy = FaultProxy::start(&moto.url);
    proxy.inject("GetServiceQuota", 1, Fault::Answer(QUOTA_OF_TEN));
    let machine = Machine::new("class-accounts-quota");
    let roster12 = roster(&machine, "student", 12);
    for lang in ["en", "ko"] {
        proxy.reset();
        proxy.inject("GetServiceQuota", 1, Fault::Answer(QUOTA_OF_TEN));
        let (out, json) = create(&machine, &moto, &proxy.url, &admin, "big", &roster12, &["--lang", lang]);
        assert!(!out.status.success());
        assert_eq!(json["error"]["code"], "classroom.account_quota", "{json}");
        let message = json["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("10") && message.contains("12") && message.contains("servicequotas"),
            "{message}"
        );
        if lang == "ko" {
            assert!(message.contains("아무것도 만들지 않았습니다"), "{message}");
        }
        for creating in ["CreateOrganization", "CreateOrganizationalUnit", "CreateAccount", "CreatePolicy"] {
            assert_eq!(proxy.calls(creating), 0, "{creating} was called");
        }
    }
    let c = clients(&moto).await;
    assert!(
        c.organizations.describe_organization().send().await.is_err(),
        "no organization was made"
    );
}

#[tokio::test]
async fn one_failed_account_creation_leaves_the_others_and_a_retry_creates_only_that_one() {
    let (moto, admin) = management().await;
    let proxy = FaultProxy::start(&moto.url);
    proxy.inject("CreateAccount", 3, Fault::Answer(CREATION_FAILED));
    let machine = Machine::new("class-accounts-failed");
    let roster6 = roster(&machine, "student", 6);
    let flags = ["--account-quota", "20", "--concurrency", "2", "--signin", "iam"];

    let (out, first) = create(&machine, &moto, &proxy.url, &admin, "lab", &roster6, &flags);
    assert!(!out.status.success());
    let failed = names(&first, "failed");
    assert_eq!(failed.len(), 1, "{first}");
    assert_eq!(first["report"]["failed"][0]["error"]["code"], "classroom.account_creation_failed");
    assert_eq!(names(&first, "created").len(), 5);
    assert!(
        !machine.path("handout-lab/lab-accounts-handout.csv").exists(),
        "no hand-out while someone failed"
    );

    proxy.reset();
    let (out, retry) = create(&machine, &moto, &proxy.url, &admin, "lab", &roster6, &flags);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(names(&retry, "created"), failed);
    assert_eq!(names(&retry, "already_done").len(), 5);
    assert_eq!(
        proxy.calls("CreateAccount"),
        1,
        "only the failed student's account is created again"
    );
    let csv = std::fs::read_to_string(machine.path("handout-lab/lab-accounts-handout.csv")).unwrap();
    assert_eq!(csv.lines().count(), 7, "{csv}");
    assert!(csv.contains(".signin.aws.amazon.com/console"));

    let c = clients(&moto).await;
    let ou = ou_named(&c, "class-lab").await.unwrap();
    assert_eq!(accounts_in(&c, &ou).await.len(), 6);
}

#[tokio::test]
async fn closing_stays_within_the_allowance_and_an_email_of_someone_elses_account_is_never_taken() {
    let (moto, admin) = management().await;
    let machine = Machine::new("class-accounts-close");
    let c = clients(&moto).await;
    c.organizations
        .create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    // An account someone made by hand with the address the app would give student03.
    let foreign = c
        .organizations
        .create_account()
        .email("student03+small-student03@school.example")
        .account_name("hand-made")
        .send()
        .await
        .unwrap();
    let foreign = foreign.create_account_status().unwrap().account_id().unwrap().to_string();
    let roster3 = roster(&machine, "student", 3);
    let flags = ["--account-quota", "20", "--signin", "iam"];

    let (out, report) = create(&machine, &moto, &moto.url, &admin, "small", &roster3, &flags);
    assert!(!out.status.success());
    assert_eq!(names(&report, "failed"), ["student03"]);
    assert_eq!(report["report"]["failed"][0]["error"]["code"], "classroom.account_email_taken");
    assert_eq!(names(&report, "created").len(), 2);

    let status = class(&machine, &moto, &moto.url, &admin, &["status", "--class-id", "small", "--json"]);
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let status: Value = serde_json::from_slice(&status.stdout).unwrap();
    let students = status["students"].as_array().unwrap();
    assert_eq!(students.len(), 2, "{status}");
    assert!(students.iter().all(|s| s["state"] == "ACTIVE" && s["in_class_ou"] == true));
    assert_eq!(
        status["guardrails"].as_array().unwrap().len(),
        4,
        "three guardrails and FullAWSAccess"
    );

    let teardown = |class_id: &str, yes: bool| {
        let mut args = vec!["teardown", "--class-id", class_id, "--close", "--json"];
        if yes {
            args.push("--yes");
        }
        let out = class(&machine, &moto, &moto.url, &admin, &args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let preview = teardown("small", false);
    assert_eq!(
        preview["close_allowance"],
        serde_json::json!({ "limit": 10, "closed_recently": 0, "remaining": 10 })
    );
    assert_eq!(preview["closed"].as_array().unwrap().len(), 2);
    let closed = teardown("small", true);
    assert_eq!(closed["closed"].as_array().unwrap().len(), 2, "{closed}");
    let accounts: Vec<_> = c.organizations.list_accounts().send().await.unwrap().accounts().to_vec();
    let status = |id: &str| {
        accounts
            .iter()
            .find(|a| a.id() == Some(id))
            .unwrap()
            .status()
            .unwrap()
            .as_str()
            .to_string()
    };
    for account in closed["accounts"].as_array().unwrap() {
        assert_eq!(status(account["account_id"].as_str().unwrap()), "SUSPENDED");
    }
    assert_eq!(status(&foreign), "ACTIVE", "someone else's account is untouched");

    // The next class sees the two closes counted against the allowance.
    let roster1 = roster(&machine, "next", 1);
    let (out, _) = create(&machine, &moto, &moto.url, &admin, "small2", &roster1, &flags);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let preview = teardown("small2", false);
    assert_eq!(preview["close_allowance"]["closed_recently"], 2);
    assert_eq!(preview["close_allowance"]["remaining"], 8);
}

#[tokio::test]
async fn lost_answers_to_create_account_and_create_user_are_taken_up_again_without_a_second_of_either() {
    let (moto, admin) = management().await;
    let proxy = FaultProxy::start(&moto.url);
    // AWS made student02's account and student03's Identity Store user
    // (the second CreateUser: student02 stops before its own), and the
    // answers never came back.
    proxy.inject("CreateAccount", 2, Fault::DropAfterCommit);
    proxy.inject("CreateUser", 2, Fault::DropAfterCommit);
    let machine = Machine::new("class-accounts-lost");
    let roster3 = roster(&machine, "student", 3);
    let flags = ["--account-quota", "20", "--concurrency", "1"];

    let (_, first) = create(&machine, &moto, &proxy.url, &admin, "lost", &roster3, &flags);
    let first_failed = names(&first, "failed");
    assert!(first_failed.contains(&"student02".to_string()), "{first}");
    proxy.reset();
    let (out, again) = create(&machine, &moto, &proxy.url, &admin, "lost", &roster3, &flags);
    assert!(
        out.status.success(),
        "first run: {first}\nsecond run: {again}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(names(&again, "failed").is_empty(), "{again}");
    assert_eq!(
        proxy.calls("CreateAccount"),
        0,
        "the account whose answer was lost is taken up, not made twice (first run failed: {first_failed:?})"
    );
    // student02 stopped at its lost account, so its user is made now; student03's
    // user, whose answer was lost, is taken up (by the SDK's retry meeting a
    // conflict, or by this run finding it), never made again.
    assert_eq!(proxy.calls("CreateUser"), 1, "first run: {first}");

    let c = clients(&moto).await;
    let ou = ou_named(&c, "class-lost").await.unwrap();
    assert_eq!(accounts_in(&c, &ou).await.len(), 3);
    assert_eq!(all_accounts(&c).await, 4, "the management account and 3 students: no stray account");
    let store = c.sso_admin.list_instances().send().await.unwrap().instances()[0]
        .identity_store_id()
        .unwrap()
        .to_string();
    let users = c.identity_store.list_users().identity_store_id(&store).send().await.unwrap();
    let mut class_users: Vec<&str> = users.users().iter().filter_map(|u| u.user_name()).collect();
    class_users.sort();
    assert_eq!(class_users, ["lost-student01", "lost-student02", "lost-student03"]);
}

/// The AWS CLI v2 acting inside a member account through its access role, as a student's tools would.
async fn as_member(moto: &Moto, c: &OrgClients, account_id: &str) -> impl Fn(&[&str]) -> Output {
    let creds = member_credentials(c, account_id, "a-student").await;
    let url = moto.url.clone();
    move |args: &[&str]| {
        let out = std::process::Command::new(wizard_tests::aws_cli_v2())
            .args(args)
            .args(["--region", "us-east-1", "--output", "json", "--endpoint-url", &url])
            .env("AWS_ACCESS_KEY_ID", creds.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", creds.secret_access_key())
            .env("AWS_SESSION_TOKEN", creds.session_token())
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap();
        assert!(out.status.success(), "aws {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    }
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

#[tokio::test]
async fn recycling_removes_the_instances_volumes_addresses_keys_and_buckets_a_student_left() {
    let (moto, admin) = management().await;
    let machine = Machine::new("class-accounts-leftovers");
    let roster2 = roster(&machine, "student", 2);
    let flags = ["--account-quota", "20", "--signin", "iam", "--concurrency", "1"];
    let (out, report) = create(&machine, &moto, &moto.url, &admin, "lab2", &roster2, &flags);
    assert!(out.status.success(), "{report}");
    let c = clients(&moto).await;
    let ou = ou_named(&c, "class-lab2").await.unwrap();
    let accounts = accounts_in(&c, &ou).await;
    let student = as_member(&moto, &c, &accounts[0]).await;

    // What a lab leaves behind in student01's account.
    let images = json_of(&student(&[
        "ec2",
        "describe-images",
        "--owners",
        "amazon",
        "--query",
        "Images[0].ImageId",
    ]));
    let instance = json_of(&student(&[
        "ec2",
        "run-instances",
        "--image-id",
        images.as_str().unwrap(),
        "--instance-type",
        "t3.micro",
        "--count",
        "1",
    ]));
    let instance_id = instance["Instances"][0]["InstanceId"].as_str().unwrap().to_string();
    student(&["ec2", "create-volume", "--availability-zone", "us-east-1a", "--size", "8"]);
    student(&["ec2", "allocate-address", "--domain", "vpc"]);
    student(&["ec2", "create-key-pair", "--key-name", "lab-key"]);
    student(&["s3api", "create-bucket", "--bucket", "student01-lab-bucket"]);
    student(&["s3api", "put-object", "--bucket", "student01-lab-bucket", "--key", "notes.txt"]);
    // A bucket with versioning on: two versions of a file and a deleted one's marker.
    let versioned = "student01-versioned-bucket";
    student(&["s3api", "create-bucket", "--bucket", versioned]);
    student(&[
        "s3api",
        "put-bucket-versioning",
        "--bucket",
        versioned,
        "--versioning-configuration",
        "Status=Enabled",
    ]);
    for key in ["notes.txt", "notes.txt", "old.txt"] {
        student(&["s3api", "put-object", "--bucket", versioned, "--key", key]);
    }
    student(&["s3api", "delete-object", "--bucket", versioned, "--key", "old.txt"]);

    // The instructor's computer has just started: the AWS CLI's first
    // `--version` reads its whole bundle from disk. Slow is not missing.
    let slow_cli = machine.path("slow-start-aws");
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = --version ]; then sleep 11; fi\nexec '{}' \"$@\"\n",
        wizard_tests::aws_cli_v2().display()
    );
    std::fs::write(&slow_cli, script).unwrap();
    std::fs::set_permissions(&slow_cli, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let teardown = |yes: bool| {
        let mut args = vec!["teardown", "--class-id", "lab2", "--json"];
        if yes {
            args.push("--yes");
        }
        let out = class_with_cli(&machine, &moto, &moto.url, &admin, &args, &slow_cli);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        json_of(&out)
    };
    let preview = teardown(false);
    assert_eq!(
        preview["leftovers_checked"], true,
        "a slow first `aws --version` is not a missing AWS CLI: {preview}"
    );
    let found = &preview["cleanup"];
    assert_eq!(
        [
            &found["ec2_instances"],
            &found["ebs_volumes"],
            &found["elastic_ips"],
            &found["key_pairs"],
            &found["s3_buckets"]
        ],
        [1, 1, 1, 1, 2],
        "{preview}"
    );
    let running = json_of(&student(&["ec2", "describe-instances", "--instance-ids", &instance_id]));
    assert_eq!(
        running["Reservations"][0]["Instances"][0]["State"]["Name"], "running",
        "the dry run changes nothing"
    );

    let done = teardown(true);
    assert_eq!(done["cleanup"]["ec2_instances"], 1, "{done}");
    let after = json_of(&student(&["ec2", "describe-instances", "--instance-ids", &instance_id]));
    assert_eq!(after["Reservations"][0]["Instances"][0]["State"]["Name"], "terminated");
    let volumes = json_of(&student(&["ec2", "describe-volumes", "--filters", "Name=status,Values=available"]));
    assert_eq!(volumes["Volumes"], serde_json::json!([]));
    assert_eq!(
        json_of(&student(&["ec2", "describe-addresses"]))["Addresses"],
        serde_json::json!([])
    );
    assert_eq!(json_of(&student(&["ec2", "describe-key-pairs"]))["KeyPairs"], serde_json::json!([]));
    let buckets = json_of(&student(&["s3api", "list-buckets"]));
    assert_eq!(buckets["Buckets"], serde_json::json!([]));
    let pool = ou_named(&c, "aws-setup-ready-pool").await.unwrap();
    assert_eq!(accounts_in(&c, &pool).await, accounts, "both cleaned accounts are in the pool");
}
