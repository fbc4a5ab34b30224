use engine::connection::{Connection, CredentialSource};
use engine::steps::identity::{self, CallerKind, IdentityStatus};
use engine::Lang;
use secrecy::SecretString;
use wizard_tests::{Moto, MOTO_ACCOUNT_ID};

#[tokio::test]
async fn who_am_i_reports_the_bootstrap_admin_as_an_iam_user() {
    let (moto, key) = Moto::with_bootstrap_admin().await;
    let connection = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let me = identity::who_am_i(&connection).await.unwrap();
    assert_eq!(me.account_id, MOTO_ACCOUNT_ID);
    assert_eq!(me.arn, format!("arn:aws:iam::{MOTO_ACCOUNT_ID}:user/bootstrap-admin"));
    assert_eq!(
        me.caller,
        CallerKind::IamUser {
            user_name: "bootstrap-admin".into()
        }
    );
    assert!(!me.is_root());
}

#[tokio::test]
async fn an_unknown_key_is_reported_as_wrong_in_both_languages() {
    let (moto, _key) = Moto::with_bootstrap_admin().await;
    let stranger = CredentialSource::pasted(
        "AKIAUNKNOWNUNKNOWN00",
        SecretString::from("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_string()),
    )
    .unwrap();
    for lang in [Lang::En, Lang::Ko] {
        match identity::status(&stranger, &moto.options(), lang).await {
            IdentityStatus::Failed { error } => {
                assert_eq!(error.code, "aws.invalid_credentials", "{}", error.message);
                assert!(!error.message.contains("wJalr"), "the secret never reaches an error");
            }
            other => panic!("expected a failure, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_missing_profile_is_named_in_the_error() {
    let moto = Moto::start();
    match identity::status(&CredentialSource::Profile("no-such-profile".into()), &moto.options(), Lang::En).await {
        IdentityStatus::Failed { error } => {
            assert_eq!(error.code, "identity.profile_not_found");
            assert!(error.message.contains("no-such-profile"));
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}
