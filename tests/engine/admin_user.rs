use crate::temp_journal;
use engine::connection::Connection;
use engine::journal::Resource;
use engine::steps::admin_user::{self, AdminRights, AdminUserOutcome, AdminUserRequest, PasswordChoice};
use engine::{keychain, passwords};
use secrecy::{ExposeSecret, SecretString};
use wizard_tests::{Moto, MOTO_ACCOUNT_ID};

fn request(user_name: &str) -> AdminUserRequest {
    AdminUserRequest {
        user_name: user_name.into(),
        password: PasswordChoice::Generate,
        reset_required: true,
        rights: AdminRights::Group,
        set_password_policy: true,
        adopt: false,
    }
}

#[tokio::test]
async fn admin_user_is_created_with_group_password_policy_and_kept_password() {
    let (moto, key) = Moto::with_bootstrap_admin().await;
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let outcome = admin_user::run(&conn, &mut journal, MOTO_ACCOUNT_ID, &request("admin-create-test"))
        .await
        .unwrap();
    match outcome {
        AdminUserOutcome::Ready {
            created_now,
            verified,
            password_in_keychain,
            ..
        } => {
            assert!(created_now && verified && password_in_keychain);
        }
        other => panic!("{other:?}"),
    }
    let groups = conn.iam.list_groups_for_user().user_name("admin-create-test").send().await.unwrap();
    assert_eq!(groups.groups()[0].group_name(), admin_user::ADMIN_GROUP);
    let tags = conn.iam.list_user_tags().user_name("admin-create-test").send().await.unwrap();
    assert!(tags
        .tags()
        .iter()
        .any(|t| t.key() == "created-by" && t.value() == "aws-setup-wizard"));
    let attached = conn
        .iam
        .list_attached_user_policies()
        .user_name("admin-create-test")
        .send()
        .await
        .unwrap();
    assert!(attached
        .attached_policies()
        .iter()
        .any(|p| p.policy_arn() == Some(admin_user::CHANGE_PASSWORD_POLICY_ARN)));
    let policy = admin_user::account_password_policy(&conn).await.unwrap().unwrap();
    assert_eq!(policy, passwords::PasswordPolicy::cis());
    let password = keychain::get(&admin_user::password_account(MOTO_ACCOUNT_ID, "admin-create-test"))
        .unwrap()
        .unwrap();
    assert_eq!(passwords::check(password.expose_secret(), Some(&policy)), Ok(()));
    assert!(journal.created(&Resource::LoginProfile {
        user_name: "admin-create-test".into()
    }));

    // Running it again changes nothing.
    let again = admin_user::run(&conn, &mut journal, MOTO_ACCOUNT_ID, &request("admin-create-test"))
        .await
        .unwrap();
    assert!(
        matches!(
            again,
            AdminUserOutcome::Ready {
                created_now: false,
                verified: true,
                ..
            }
        ),
        "{again:?}"
    );
    let users = conn.iam.list_users().send().await.unwrap();
    assert_eq!(users.users().len(), 2, "bootstrap admin and the new user");
    let password_again = keychain::get(&admin_user::password_account(MOTO_ACCOUNT_ID, "admin-create-test"))
        .unwrap()
        .unwrap();
    assert_eq!(
        password.expose_secret(),
        password_again.expose_secret(),
        "the password was not changed"
    );
    keychain::delete(&admin_user::password_account(MOTO_ACCOUNT_ID, "admin-create-test")).unwrap();
}

#[tokio::test]
async fn a_name_that_differs_only_in_case_from_someone_elses_user_is_taken() {
    let moto = Moto::start();
    let key = moto.seed_admin("bootstrap-admin").await;
    moto.seed_user("Existing.Person", &[]).await;
    moto.set_auth(true);
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let outcome = admin_user::run(&conn, &mut journal, MOTO_ACCOUNT_ID, &request("existing.person"))
        .await
        .unwrap();
    assert_eq!(
        outcome,
        AdminUserOutcome::NameTaken {
            existing_user_name: "Existing.Person".into(),
            adoptable: false,
        }
    );
    assert!(journal.data.resources.is_empty(), "nothing was created");
}

#[tokio::test]
async fn a_custom_password_that_breaks_the_policy_is_refused_before_anything_is_created() {
    let (moto, key) = Moto::with_bootstrap_admin().await;
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let mut req = request("weak-password-user");
    req.password = PasswordChoice::Custom(SecretString::from("short1A!".to_string()));
    let err = admin_user::run(&conn, &mut journal, MOTO_ACCOUNT_ID, &req).await.unwrap_err();
    assert_eq!(err.code(), "validation.password_policy");
    assert!(!err.message(engine::Lang::En).contains("short1A!"));
    assert!(admin_user::find_user(&conn, "weak-password-user").await.unwrap().is_none());
}

#[tokio::test]
async fn a_user_without_iam_rights_gets_access_denied_naming_the_permission() {
    let moto = Moto::start();
    let reader = moto.seed_user("read-only", &["arn:aws:iam::aws:policy/ReadOnlyAccess"]).await;
    moto.set_auth(true);
    let conn = Connection::open(&reader.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let mut req = request("denied-user");
    req.set_password_policy = false;
    let err = admin_user::run(&conn, &mut journal, MOTO_ACCOUNT_ID, &req).await.unwrap_err();
    assert_eq!(err.code(), "aws.access_denied");
    assert!(
        err.message(engine::Lang::En).contains("iam:CreateUser"),
        "{}",
        err.message(engine::Lang::En)
    );
}

/// The journal alone is not proof: a same-named user without the app's marker
/// (made by hand, or by another installation of the app) is never changed,
/// neither by the step nor by teardown.
#[tokio::test]
async fn a_user_the_journal_records_but_aws_does_not_mark_as_ours_is_never_changed() {
    use engine::steps::teardown;
    let moto = Moto::start();
    let key = moto.seed_admin("bootstrap-admin").await;
    moto.seed_user("by-hand", &[]).await;
    let seeder = moto.unauthenticated().await;
    seeder.iam.create_user().user_name("other-install").send().await.unwrap();
    for (k, v) in [
        ("created-by", "aws-setup-wizard"),
        ("aws-setup-install", "0000another0install0000000000000"),
    ] {
        let tag = aws_sdk_iam::types::Tag::builder().key(k).value(v).build().unwrap();
        seeder.iam.tag_user().user_name("other-install").tags(tag).send().await.unwrap();
    }
    moto.set_auth(true);
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    for name in ["by-hand", "other-install"] {
        let (_dir, mut journal) = temp_journal();
        journal.record(Resource::User { user_name: name.into() }).unwrap();
        let outcome = admin_user::run(&conn, &mut journal, MOTO_ACCOUNT_ID, &request(name)).await.unwrap();
        assert_eq!(
            outcome,
            AdminUserOutcome::NameTaken {
                existing_user_name: name.into(),
                adoptable: false,
            },
            "{name}"
        );
        let report = teardown::run(&conn, &mut journal, true, engine::Lang::En).await.unwrap();
        assert!(report.removed.iter().all(|r| !r.belongs_to_user(name)), "{name}: {report:?}");
        assert_eq!(report.failed[0].1.code, "iam.name_taken", "{name}");
        assert!(conn.iam.get_user().user_name(name).send().await.is_ok(), "{name} is still there");
        assert!(
            conn.iam.get_login_profile().user_name(name).send().await.is_err(),
            "{name} got no password"
        );
    }
}
