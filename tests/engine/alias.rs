use crate::temp_journal;
use engine::connection::Connection;
use engine::journal::Resource;
use engine::steps::alias::{self, AliasOutcome};
use wizard_tests::{Moto, MOTO_ACCOUNT_ID};

#[tokio::test]
async fn alias_is_created_then_reported_as_already_set() {
    let (moto, key) = Moto::with_bootstrap_admin().await;
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let first = alias::set(&conn, &mut journal, "aws-hong", MOTO_ACCOUNT_ID, false).await.unwrap();
    assert_eq!(
        first,
        AliasOutcome::Created {
            alias: "aws-hong".into(),
            sign_in_url: "https://aws-hong.signin.aws.amazon.com/console".into()
        }
    );
    assert!(journal.created(&Resource::Alias { alias: "aws-hong".into() }));
    let second = alias::set(&conn, &mut journal, "aws-hong", MOTO_ACCOUNT_ID, false).await.unwrap();
    assert!(matches!(second, AliasOutcome::AlreadySetToThis { .. }), "{second:?}");
    assert_eq!(alias::current(&conn).await.unwrap().as_deref(), Some("aws-hong"));
}

#[tokio::test]
async fn another_alias_is_replaced_only_when_confirmed() {
    let (moto, key) = Moto::with_bootstrap_admin().await;
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    alias::set(&conn, &mut journal, "first-alias", MOTO_ACCOUNT_ID, false)
        .await
        .unwrap();
    let asked = alias::set(&conn, &mut journal, "second-alias", MOTO_ACCOUNT_ID, false)
        .await
        .unwrap();
    assert!(
        matches!(&asked, AliasOutcome::OtherAliasExists { current, .. } if current == "first-alias"),
        "{asked:?}"
    );
    assert_eq!(alias::current(&conn).await.unwrap().as_deref(), Some("first-alias"));
    let replaced = alias::set(&conn, &mut journal, "second-alias", MOTO_ACCOUNT_ID, true)
        .await
        .unwrap();
    assert!(matches!(replaced, AliasOutcome::Created { .. }));
    assert_eq!(alias::current(&conn).await.unwrap().as_deref(), Some("second-alias"));
}

#[tokio::test]
async fn an_invalid_alias_is_refused_before_any_call() {
    let moto = Moto::start();
    moto.set_auth(true);
    // No valid key at all: a call would fail with InvalidClientTokenId.
    let conn = moto.unauthenticated().await;
    let (_dir, mut journal) = temp_journal();
    let err = alias::set(&conn, &mut journal, "Bad_Alias", MOTO_ACCOUNT_ID, false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "validation.alias_characters");
}
