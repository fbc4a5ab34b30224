//! What moto cannot emulate, with aws-smithy-mocks standing in for AWS:
//! a root identity, a taken alias, AWS's password check, throttling,
//! DeleteConflict, and the root-account flags. Every test here is named
//! `mock_…` so it is plain that no real or simulated AWS answered.

use aws_sdk_iam::operation::create_account_alias::CreateAccountAliasError;
use aws_sdk_iam::operation::create_login_profile::CreateLoginProfileError;
use aws_sdk_iam::operation::delete_user::DeleteUserError;
use aws_sdk_iam::operation::get_account_password_policy::GetAccountPasswordPolicyError;
use aws_sdk_iam::operation::get_account_summary::GetAccountSummaryOutput;
use aws_sdk_iam::operation::get_login_profile::GetLoginProfileError;
use aws_sdk_iam::operation::list_account_aliases::ListAccountAliasesOutput;
use aws_sdk_iam::types::error::{
    DeleteConflictException, EntityAlreadyExistsException, NoSuchEntityException, PasswordPolicyViolationException,
};
use aws_sdk_iam::types::SummaryKeyType;
use aws_sdk_sts::operation::get_caller_identity::{GetCallerIdentityError, GetCallerIdentityOutput};
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use aws_smithy_types::error::ErrorMetadata;
use engine::connection::Connection;
use engine::journal::{Bootstrap, Journal, Resource};
use engine::steps::{account_status, admin_user, alias, bootstrap_cleanup, identity, teardown};
use engine::Lang;

/// Real AWS errors carry their code in the metadata; so do these.
fn aws_meta(code: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message("mocked").build()
}

fn iam(rules: &[&Rule]) -> aws_sdk_iam::Client {
    mock_client!(aws_sdk_iam, RuleMode::MatchAny, rules)
}

fn sts(rules: &[&Rule]) -> aws_sdk_sts::Client {
    mock_client!(aws_sdk_sts, RuleMode::MatchAny, rules)
}

fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("journal.json")).unwrap();
    journal.bind_account("111122223333").unwrap();
    (dir, journal)
}

fn summary(mfa: i32, root_keys: i32) -> Rule {
    mock!(aws_sdk_iam::Client::get_account_summary).then_output(move || {
        GetAccountSummaryOutput::builder()
            .summary_map(SummaryKeyType::AccountMfaEnabled, mfa)
            .summary_map(SummaryKeyType::AccountAccessKeysPresent, root_keys)
            .summary_map(SummaryKeyType::Users, 1)
            .build()
    })
}

fn no_password_policy() -> Rule {
    mock!(aws_sdk_iam::Client::get_account_password_policy).then_error(|| {
        GetAccountPasswordPolicyError::NoSuchEntityException(NoSuchEntityException::builder().meta(aws_meta("NoSuchEntity")).build())
    })
}

#[tokio::test]
async fn mock_root_identity_is_classified_as_root() {
    let who = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account("111122223333")
            .arn("arn:aws:iam::111122223333:root")
            .user_id("111122223333")
            .build()
    });
    let conn = Connection::from_clients(iam(&[]), sts(&[&who]));
    let me = identity::who_am_i(&conn).await.unwrap();
    assert!(me.is_root());
    assert_eq!(me.account_id, "111122223333");
}

#[tokio::test]
async fn mock_taken_alias_offers_three_valid_suggestions() {
    let list = mock!(aws_sdk_iam::Client::list_account_aliases).then_output(|| {
        ListAccountAliasesOutput::builder()
            .set_account_aliases(Some(vec![]))
            .build()
            .unwrap()
    });
    let taken = mock!(aws_sdk_iam::Client::create_account_alias).then_error(|| {
        CreateAccountAliasError::EntityAlreadyExistsException(
            EntityAlreadyExistsException::builder()
                .meta(aws_meta("EntityAlreadyExists"))
                .build(),
        )
    });
    let conn = Connection::from_clients(iam(&[&list, &taken]), sts(&[]));
    let (_dir, mut journal) = journal();
    match alias::set(&conn, &mut journal, "aws-popular", "111122223333", false).await.unwrap() {
        alias::AliasOutcome::Taken { alias, suggestions } => {
            assert_eq!(alias, "aws-popular");
            assert_eq!(suggestions.len(), 3);
            assert!(suggestions.iter().all(|s| alias::validate(s).is_ok() && s != "aws-popular"));
        }
        other => panic!("{other:?}"),
    }
    assert!(journal.data.resources.is_empty(), "a taken alias records nothing");
}

#[tokio::test]
async fn mock_password_policy_violation_from_aws_is_a_validation_error() {
    use aws_sdk_iam::operation::create_user::CreateUserOutput;
    use aws_sdk_iam::operation::list_users::ListUsersOutput;
    use aws_sdk_iam::types::User;
    let user = || {
        User::builder()
            .user_name("aws.user1")
            .user_id("AIDAEXAMPLE")
            .arn("arn:aws:iam::111122223333:user/aws.user1")
            .path("/")
            .create_date(aws_smithy_types::DateTime::from_secs(0))
            .build()
            .unwrap()
    };
    let rules = [
        no_password_policy(),
        mock!(aws_sdk_iam::Client::list_users).then_output(|| ListUsersOutput::builder().set_users(Some(vec![])).build().unwrap()),
        mock!(aws_sdk_iam::Client::create_user).then_output(move || CreateUserOutput::builder().user(user()).build()),
        // The group is there already (someone else's): it is used, not recorded.
        mock!(aws_sdk_iam::Client::get_group).then_output(|| {
            aws_sdk_iam::operation::get_group::GetGroupOutput::builder()
                .group(
                    aws_sdk_iam::types::Group::builder()
                        .group_name("Administrators")
                        .group_id("AGPAEXAMPLE")
                        .arn("arn:aws:iam::111122223333:group/Administrators")
                        .path("/")
                        .create_date(aws_smithy_types::DateTime::from_secs(0))
                        .build()
                        .unwrap(),
                )
                .set_users(Some(vec![]))
                .build()
                .unwrap()
        }),
        mock!(aws_sdk_iam::Client::attach_group_policy)
            .then_output(|| aws_sdk_iam::operation::attach_group_policy::AttachGroupPolicyOutput::builder().build()),
        mock!(aws_sdk_iam::Client::add_user_to_group)
            .then_output(|| aws_sdk_iam::operation::add_user_to_group::AddUserToGroupOutput::builder().build()),
        mock!(aws_sdk_iam::Client::get_login_profile).then_error(|| {
            GetLoginProfileError::NoSuchEntityException(NoSuchEntityException::builder().meta(aws_meta("NoSuchEntity")).build())
        }),
        mock!(aws_sdk_iam::Client::create_login_profile).then_error(|| {
            CreateLoginProfileError::PasswordPolicyViolationException(
                PasswordPolicyViolationException::builder()
                    .meta(aws_meta("PasswordPolicyViolation"))
                    .build(),
            )
        }),
    ];
    let refs: Vec<&Rule> = rules.iter().collect();
    let conn = Connection::from_clients(iam(&refs), sts(&[]));
    let (_dir, mut journal) = journal();
    let request = admin_user::AdminUserRequest {
        user_name: "aws.user1".into(),
        password: admin_user::PasswordChoice::Generate,
        reset_required: false,
        rights: admin_user::AdminRights::Group,
        set_password_policy: false,
        adopt: false,
    };
    let err = admin_user::run(&conn, &mut journal, "111122223333", &request).await.unwrap_err();
    assert_eq!(err.code(), "validation.password_policy");
    assert!(err.message(Lang::Ko).contains("암호 정책"));
    assert!(!journal.created(&Resource::LoginProfile {
        user_name: "aws.user1".into()
    }));
    engine::keychain::delete(&admin_user::password_account("111122223333", "aws.user1")).unwrap();
}

#[tokio::test]
async fn mock_throttling_that_outlasts_the_retries_is_reported_as_retryable() {
    let throttled = mock!(aws_sdk_sts::Client::get_caller_identity)
        .sequence()
        .error(|| GetCallerIdentityError::generic(ErrorMetadata::builder().code("Throttling").message("Rate exceeded").build()))
        .repeatedly()
        .build();
    let client = mock_client!(aws_sdk_sts, RuleMode::MatchAny, [&throttled], |c| c.retry_config(
        aws_sdk_sts::config::retry::RetryConfig::standard()
            .with_max_attempts(3)
            .with_initial_backoff(std::time::Duration::from_millis(1))
    ));
    let conn = Connection::from_clients(iam(&[]), client);
    let err = identity::who_am_i(&conn).await.unwrap_err();
    assert_eq!(throttled.num_calls(), 3, "every attempt the SDK may make, then the error");
    assert_eq!(err.code(), "aws.throttled");
    assert!(err.is_retryable());
    assert!(err.message(Lang::En).contains("progress is saved"));
}

#[tokio::test]
async fn mock_throttling_is_retried_by_the_sdk_and_then_succeeds() {
    let flaky = mock!(aws_sdk_sts::Client::get_caller_identity)
        .sequence()
        .error(|| GetCallerIdentityError::generic(ErrorMetadata::builder().code("Throttling").build()))
        .output(|| {
            GetCallerIdentityOutput::builder()
                .account("111122223333")
                .arn("arn:aws:iam::111122223333:user/a")
                .build()
        })
        .build();
    let client = mock_client!(aws_sdk_sts, RuleMode::MatchAny, [&flaky], |c| c.retry_config(
        aws_sdk_sts::config::retry::RetryConfig::standard()
            .with_max_attempts(3)
            .with_initial_backoff(std::time::Duration::from_millis(1))
    ));
    let conn = Connection::from_clients(iam(&[]), client);
    let me = identity::who_am_i(&conn).await.unwrap();
    assert_eq!(me.account_id, "111122223333");
    assert_eq!(flaky.num_calls(), 2);
}

#[tokio::test]
async fn mock_root_mfa_on_and_no_root_key_are_read_from_the_summary() {
    let conn = Connection::from_clients(iam(&[&summary(1, 0), &no_password_policy(), &admin_mfa()]), sts(&[]));
    let status = account_status::read(&conn).await.unwrap();
    assert!(status.root_mfa_enabled);
    assert!(!status.root_access_key_present);
    let conn = Connection::from_clients(iam(&[&summary(0, 1), &no_password_policy()]), sts(&[]));
    let status = account_status::read(&conn).await.unwrap();
    assert!(!status.root_mfa_enabled);
    assert!(status.root_access_key_present);
}

#[tokio::test]
async fn mock_root_key_is_deleted_by_root_and_confirmed_by_the_admin() {
    let delete = mock!(aws_sdk_iam::Client::delete_access_key)
        .match_requests(|req| req.user_name().is_none() && req.access_key_id() == Some("AKIAROOTROOTROOT0001"))
        .then_output(|| aws_sdk_iam::operation::delete_access_key::DeleteAccessKeyOutput::builder().build());
    let root = Connection::from_clients(iam(&[&delete]), sts(&[&root_identity()])).signing_with("AKIAROOTROOTROOT0001");
    let admin = Connection::from_clients(iam(&[&summary(1, 0), &no_password_policy(), &admin_mfa()]), sts(&[]));
    let (_dir, mut journal) = journal();
    journal.data.admin_sign_in_confirmed = true;
    journal
        .set_bootstrap(Bootstrap::TemporaryKey {
            access_key_id: "AKIAROOTROOTROOT0001".into(),
            user_name: None,
            deleted: false,
        })
        .unwrap();
    let outcome = bootstrap_cleanup::run(Some(&root), &admin, &mut journal, ADMIN).await.unwrap();
    assert_eq!(
        outcome,
        bootstrap_cleanup::CleanupOutcome::Deleted {
            access_key_id: "AKIAROOTROOTROOT0001".into(),
            verified: true
        }
    );
    assert_eq!(delete.num_calls(), 1);
    // Again: nothing more is deleted.
    let again = bootstrap_cleanup::run(Some(&root), &admin, &mut journal, ADMIN).await.unwrap();
    assert!(matches!(again, bootstrap_cleanup::CleanupOutcome::AlreadyDeleted { .. }));
    assert_eq!(delete.num_calls(), 1);
}

#[tokio::test]
async fn mock_root_key_still_present_is_not_reported_as_verified() {
    let delete = mock!(aws_sdk_iam::Client::delete_access_key)
        .then_output(|| aws_sdk_iam::operation::delete_access_key::DeleteAccessKeyOutput::builder().build());
    let root = Connection::from_clients(iam(&[&delete]), sts(&[&root_identity()])).signing_with("AKIAROOTROOTROOT0002");
    let admin = Connection::from_clients(iam(&[&summary(1, 1), &no_password_policy(), &admin_mfa()]), sts(&[]));
    let (_dir, mut journal) = journal();
    journal.data.admin_sign_in_confirmed = true;
    journal
        .set_bootstrap(Bootstrap::TemporaryKey {
            access_key_id: "AKIAROOTROOTROOT0002".into(),
            user_name: None,
            deleted: false,
        })
        .unwrap();
    let outcome = bootstrap_cleanup::run(Some(&root), &admin, &mut journal, ADMIN).await.unwrap();
    assert!(matches!(
        outcome,
        bootstrap_cleanup::CleanupOutcome::Deleted { verified: false, .. }
    ));
    assert!(
        matches!(journal.data.bootstrap, Some(Bootstrap::TemporaryKey { deleted: false, .. })),
        "a deletion AWS has not confirmed is never recorded as done"
    );
}

/// The admin user every clean-up test stands on.
const ADMIN: &str = "aws.user1";

/// The admin user has an MFA device.
fn admin_mfa() -> Rule {
    mock!(aws_sdk_iam::Client::list_mfa_devices).then_output(|| {
        aws_sdk_iam::operation::list_mfa_devices::ListMfaDevicesOutput::builder()
            .mfa_devices(
                aws_sdk_iam::types::MfaDevice::builder()
                    .user_name(ADMIN)
                    .serial_number("arn:aws:iam::111122223333:mfa/aws.user1")
                    .enable_date(aws_smithy_types::DateTime::from_secs(0))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    })
}

/// Before the root key goes, the admin is proven: MFA on, and a console
/// sign-in confirmed. Either missing, nothing is deleted.
#[tokio::test]
async fn mock_the_root_key_stays_until_the_admin_has_mfa_and_signed_in() {
    let delete = any_delete();
    let root = Connection::from_clients(iam(&[&delete]), sts(&[&root_identity()])).signing_with("AKIAROOTROOTROOT0006");
    let (_dir, mut journal) = journal();
    root_key_record(&mut journal, "AKIAROOTROOTROOT0006");

    let no_devices = mock!(aws_sdk_iam::Client::list_mfa_devices).then_output(|| {
        aws_sdk_iam::operation::list_mfa_devices::ListMfaDevicesOutput::builder()
            .set_mfa_devices(Some(vec![]))
            .build()
            .unwrap()
    });
    let admin_without_mfa = Connection::from_clients(iam(&[&summary(1, 1), &no_devices]), sts(&[]));
    let err = bootstrap_cleanup::run(Some(&root), &admin_without_mfa, &mut journal, ADMIN)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cleanup.admin_has_no_mfa");
    assert!(
        err.message(Lang::Ko).contains("관리자 사용자 MFA"),
        "names the screen: {}",
        err.message(Lang::Ko)
    );
    assert_eq!(
        err.to_ui(Lang::En).next,
        Some(engine::error::NextAction::GoToStep {
            step: engine::walkthrough::StepId::UserMfa
        })
    );

    journal.data.admin_sign_in_confirmed = false;
    let admin = Connection::from_clients(iam(&[&summary(1, 1), &admin_mfa()]), sts(&[]));
    let err = bootstrap_cleanup::run(Some(&root), &admin, &mut journal, ADMIN).await.unwrap_err();
    assert_eq!(err.code(), "cleanup.admin_sign_in_not_confirmed");
    assert_eq!(delete.num_calls(), 0, "nothing was deleted");
    assert!(matches!(
        journal.data.bootstrap,
        Some(Bootstrap::TemporaryKey { deleted: false, .. })
    ));
}

/// The root stand-in: `GetCallerIdentity` answers a root ARN.
fn root_identity() -> Rule {
    mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account("111122223333")
            .arn("arn:aws:iam::111122223333:root")
            .user_id("111122223333")
            .build()
    })
}

fn iam_user_identity(user: &'static str) -> Rule {
    mock!(aws_sdk_sts::Client::get_caller_identity).then_output(move || {
        GetCallerIdentityOutput::builder()
            .account("111122223333")
            .arn(format!("arn:aws:iam::111122223333:user/{user}"))
            .user_id("AIDAEXAMPLE")
            .build()
    })
}

fn root_key_record(journal: &mut Journal, access_key_id: &str) {
    journal.data.admin_sign_in_confirmed = true;
    journal
        .set_bootstrap(Bootstrap::TemporaryKey {
            access_key_id: access_key_id.into(),
            user_name: None,
            deleted: false,
        })
        .unwrap();
}

fn any_delete() -> Rule {
    mock!(aws_sdk_iam::Client::delete_access_key)
        .then_output(|| aws_sdk_iam::operation::delete_access_key::DeleteAccessKeyOutput::builder().build())
}

#[tokio::test]
async fn mock_connected_as_the_admin_the_root_key_is_never_deleted_and_the_console_guide_is_given() {
    // Connected as the admin user: DeleteAccessKey without a user name would act
    // on the admin's own keys, and NoSuchEntity would look like "deleted".
    let delete = any_delete();
    let as_admin = Connection::from_clients(iam(&[&delete]), sts(&[&iam_user_identity("aws.user1")])).signing_with("AKIAROOTROOTROOT0003");
    let admin = Connection::from_clients(iam(&[&summary(1, 1), &no_password_policy(), &admin_mfa()]), sts(&[]));
    let (_dir, mut journal) = journal();
    root_key_record(&mut journal, "AKIAROOTROOTROOT0003");
    let outcome = bootstrap_cleanup::run(Some(&as_admin), &admin, &mut journal, ADMIN).await.unwrap();
    assert!(
        matches!(outcome, bootstrap_cleanup::CleanupOutcome::NeedsConsole { .. }),
        "{outcome:?}"
    );
    assert_eq!(delete.num_calls(), 0);
    assert!(matches!(
        journal.data.bootstrap,
        Some(Bootstrap::TemporaryKey { deleted: false, .. })
    ));
}

#[tokio::test]
async fn mock_root_signing_with_another_key_does_not_delete_the_recorded_one() {
    let delete = any_delete();
    let other_root_key = Connection::from_clients(iam(&[&delete]), sts(&[&root_identity()])).signing_with("AKIAROOTROOTROOTOTHR");
    let admin = Connection::from_clients(iam(&[&summary(1, 1), &no_password_policy(), &admin_mfa()]), sts(&[]));
    let (_dir, mut journal) = journal();
    root_key_record(&mut journal, "AKIAROOTROOTROOT0004");
    let outcome = bootstrap_cleanup::run(Some(&other_root_key), &admin, &mut journal, ADMIN)
        .await
        .unwrap();
    assert!(
        matches!(outcome, bootstrap_cleanup::CleanupOutcome::NeedsConsole { .. }),
        "{outcome:?}"
    );
    assert_eq!(delete.num_calls(), 0);
}

#[tokio::test]
async fn mock_an_invalid_credential_answer_is_never_read_as_deleted() {
    let delete = any_delete();
    let invalid =
        mock!(aws_sdk_sts::Client::get_caller_identity).then_error(|| GetCallerIdentityError::generic(aws_meta("InvalidClientTokenId")));
    let dead_key = Connection::from_clients(iam(&[&delete]), sts(&[&invalid])).signing_with("AKIAROOTROOTROOT0005");
    let (_dir, mut journal) = journal();
    root_key_record(&mut journal, "AKIAROOTROOTROOT0005");
    // The admin still sees a root key: it is not gone, whatever the answer said.
    let admin = Connection::from_clients(iam(&[&summary(1, 1), &no_password_policy(), &admin_mfa()]), sts(&[]));
    let outcome = bootstrap_cleanup::run(Some(&dead_key), &admin, &mut journal, ADMIN).await.unwrap();
    assert!(
        matches!(outcome, bootstrap_cleanup::CleanupOutcome::NeedsConsole { .. }),
        "{outcome:?}"
    );
    assert!(matches!(
        journal.data.bootstrap,
        Some(Bootstrap::TemporaryKey { deleted: false, .. })
    ));
    // Once the admin sees none, it was deleted (by hand): recorded as such.
    let admin = Connection::from_clients(iam(&[&summary(1, 0), &no_password_policy(), &admin_mfa()]), sts(&[]));
    let outcome = bootstrap_cleanup::run(Some(&dead_key), &admin, &mut journal, ADMIN).await.unwrap();
    assert!(
        matches!(outcome, bootstrap_cleanup::CleanupOutcome::AlreadyDeleted { .. }),
        "{outcome:?}"
    );
    assert!(matches!(
        journal.data.bootstrap,
        Some(Bootstrap::TemporaryKey { deleted: true, .. })
    ));
    assert_eq!(delete.num_calls(), 0);
}

#[tokio::test]
async fn mock_delete_conflict_in_teardown_is_reported_and_the_rest_continues() {
    let who = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account("111122223333")
            .arn("arn:aws:iam::111122223333:user/other-admin")
            .build()
    });
    let conflict = mock!(aws_sdk_iam::Client::delete_user).then_error(|| {
        DeleteUserError::DeleteConflictException(DeleteConflictException::builder().meta(aws_meta("DeleteConflict")).build())
    });
    let delete_group =
        mock!(aws_sdk_iam::Client::delete_group).then_output(|| aws_sdk_iam::operation::delete_group::DeleteGroupOutput::builder().build());
    // The user carries the app's marker (made before install ids existed).
    let marked = mock!(aws_sdk_iam::Client::list_user_tags).then_output(|| {
        aws_sdk_iam::operation::list_user_tags::ListUserTagsOutput::builder()
            .tags(
                aws_sdk_iam::types::Tag::builder()
                    .key("created-by")
                    .value("aws-setup-wizard")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    });
    let conn = Connection::from_clients(iam(&[&conflict, &delete_group, &marked]), sts(&[&who]));
    let (_dir, mut journal) = journal();
    journal.record(Resource::User { user_name: "stuck".into() }).unwrap();
    journal.record(Resource::Group { group_name: "lab".into() }).unwrap();
    let report = teardown::run(&conn, &mut journal, true, Lang::En).await.unwrap();
    assert_eq!(report.removed, vec![Resource::Group { group_name: "lab".into() }]);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].1.code, "aws.unexpected");
    assert!(report.failed[0].1.message.contains("DeleteConflict"));
    assert_eq!(
        journal.data.resources,
        vec![Resource::User { user_name: "stuck".into() }],
        "the failed item stays for a retry"
    );
}

#[tokio::test]
async fn mock_checkup_passes_root_flags_and_says_unknown_for_what_it_could_not_read() {
    use engine::steps::checkup::{self, CheckStatus};
    // Every other read fails, as it would with a throttled or partial answer.
    let refused = || ErrorMetadata::builder().code("ServiceFailure").build();
    let report = mock!(aws_sdk_iam::Client::generate_credential_report)
        .then_error(move || aws_sdk_iam::operation::generate_credential_report::GenerateCredentialReportError::generic(refused()));
    let users =
        mock!(aws_sdk_iam::Client::list_users).then_error(move || aws_sdk_iam::operation::list_users::ListUsersError::generic(refused()));
    let aliases = mock!(aws_sdk_iam::Client::list_account_aliases)
        .then_error(move || aws_sdk_iam::operation::list_account_aliases::ListAccountAliasesError::generic(refused()));
    let conn = Connection::from_clients(iam(&[&summary(1, 0), &no_password_policy(), &report, &users, &aliases]), sts(&[]));
    let checks = checkup::run(&conn, "111122223333", Lang::En).await;
    let status = |id: &str| checks.iter().find(|c| c.id == id).unwrap().status;
    assert_eq!(status("root_mfa"), CheckStatus::Pass);
    assert_eq!(status("root_access_key"), CheckStatus::Pass);
    assert_eq!(status("password_policy"), CheckStatus::Fail, "no policy at all fails");
    for id in [
        "console_users_mfa",
        "access_keys_rotated",
        "one_active_key_per_user",
        "admin_via_group",
        "budget_exists",
        "alias_set",
    ] {
        assert_eq!(status(id), CheckStatus::Unknown, "{id}: no answer is never a pass");
    }
    let conn = Connection::from_clients(iam(&[&summary(0, 1), &no_password_policy(), &report, &users, &aliases]), sts(&[]));
    let checks = checkup::run(&conn, "111122223333", Lang::Ko).await;
    assert_eq!(checks[0].status, CheckStatus::Fail);
    assert_eq!(checks[1].status, CheckStatus::Fail);
    assert!(checks[1].fix.contains("정리"));
}

fn invalid_token() -> GetCallerIdentityError {
    GetCallerIdentityError::generic(aws_meta("InvalidClientTokenId"))
}

/// The one hand-written retry loop: a brand-new key that AWS calls invalid
/// twice, then accepts.
#[tokio::test]
async fn mock_a_new_key_invalid_twice_then_valid_is_waited_for() {
    use engine::steps::access_key;
    let settling = mock!(aws_sdk_sts::Client::get_caller_identity)
        .sequence()
        .error(invalid_token)
        .times(2)
        .output(|| {
            GetCallerIdentityOutput::builder()
                .account("111122223333")
                .arn("arn:aws:iam::111122223333:user/aws.user1")
                .build()
        })
        .build();
    let conn = Connection::from_clients(iam(&[]), sts(&[&settling]));
    let started = std::time::Instant::now();
    access_key::until_valid(conn, std::time::Duration::from_secs(60)).await.unwrap();
    assert_eq!(settling.num_calls(), 3);
    // Backoff of 250 ms, then 500 ms, before the third call.
    assert!(started.elapsed() >= std::time::Duration::from_millis(750));
}

/// A key that stays invalid past the limit is an error, after a bounded number of calls.
#[tokio::test]
async fn mock_a_key_that_stays_invalid_gives_up_at_the_limit() {
    use engine::steps::access_key;
    let never = mock!(aws_sdk_sts::Client::get_caller_identity)
        .sequence()
        .error(invalid_token)
        .repeatedly()
        .build();
    let conn = Connection::from_clients(iam(&[]), sts(&[&never]));
    let err = access_key::until_valid(conn, std::time::Duration::from_millis(2500))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "aws.invalid_credentials");
    // Calls at 0, 0.25, 0.75 and 1.75 s; the next wait (2 s) would pass the 2.5 s limit.
    assert_eq!(never.num_calls(), 4);
}

/// AWS answers a wrong (or reused) MFA code to `GetSessionToken` with
/// AccessDenied; moto accepts any code. The user is told the code was
/// refused, by profile, not that a permission is missing.
#[tokio::test]
async fn mock_a_refused_mfa_code_is_named_as_such() {
    use aws_sdk_sts::operation::get_session_token::GetSessionTokenError;
    let refused = mock!(aws_sdk_sts::Client::get_session_token).then_error(|| {
        GetSessionTokenError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("MultiFactorAuthentication failed with invalid MFA one time pass code.")
                .build(),
        )
    });
    let length = engine::mfa_session::DEFAULT_LENGTH;
    let err = engine::mfa_session::request(&sts(&[&refused]), "aws.user1", "123456", "arn:aws:iam::111122223333:mfa/a", length)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "mfa_session.code_rejected");
    let message = err.message(Lang::En);
    assert!(
        message.contains("aws.user1") && message.contains("current 6-digit code"),
        "{message}"
    );
}
