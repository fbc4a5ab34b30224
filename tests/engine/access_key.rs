use crate::temp_journal;
use engine::connection::Connection;
use engine::keychain;
use engine::steps::access_key::{self, AccessKeyOutcome, AccessKeyRequest};
use engine::steps::identity::{self, CallerKind};
use secrecy::ExposeSecret;
use std::time::Duration;
use wizard_tests::Moto;

#[tokio::test]
async fn a_new_key_is_kept_in_the_keychain_tagged_and_usable() {
    let moto = Moto::start();
    let key = moto.seed_admin("bootstrap-admin").await;
    moto.seed_user("key-user", &[]).await;
    moto.set_auth(true);
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let request = AccessKeyRequest {
        user_name: "key-user",
        profile: "key-user-profile",
        description: "myec2-s3-accesskey",
        replace_lost: false,
    };
    let (outcome, pending) = access_key::create(&conn, &mut journal, &request).await.unwrap();
    assert!(pending.is_none());
    let AccessKeyOutcome::Ready {
        access_key_id,
        created_now: true,
        ..
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    let stored = keychain::load_access_key("key-user-profile").unwrap().unwrap();
    assert_eq!(stored.access_key_id, access_key_id);
    assert_eq!(stored.secret_access_key.expose_secret().len(), 40);

    let tags = conn.iam.list_user_tags().user_name("key-user").send().await.unwrap();
    assert!(tags
        .tags()
        .iter()
        .any(|t| t.key() == access_key_id && t.value() == "myec2-s3-accesskey"));

    let as_user = access_key::wait_until_usable("key-user-profile", &moto.options(), Duration::from_secs(60))
        .await
        .unwrap();
    let me = identity::who_am_i(&as_user).await.unwrap();
    assert_eq!(
        me.caller,
        CallerKind::IamUser {
            user_name: "key-user".into()
        }
    );

    let (again, _) = access_key::create(&conn, &mut journal, &request).await.unwrap();
    assert!(matches!(again, AccessKeyOutcome::Ready { created_now: false, .. }), "{again:?}");
    let keys = conn.iam.list_access_keys().user_name("key-user").send().await.unwrap();
    // The harness gave the user one key; the step added exactly one more.
    assert_eq!(keys.access_key_metadata().len(), 2);
    keychain::delete(&keychain::access_key_account("key-user-profile")).unwrap();
}

#[tokio::test]
async fn at_the_two_key_limit_only_our_keys_are_offered() {
    let moto = Moto::start();
    let key = moto.seed_admin("bootstrap-admin").await;
    moto.seed_user("full-user", &[]).await;
    let seeder = moto.unauthenticated().await;
    seeder.iam.create_access_key().user_name("full-user").send().await.unwrap();
    moto.set_auth(true);
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let request = AccessKeyRequest {
        user_name: "full-user",
        profile: "full-user-profile",
        description: "",
        replace_lost: false,
    };
    let (outcome, _) = access_key::create(&conn, &mut journal, &request).await.unwrap();
    match outcome {
        AccessKeyOutcome::AtLimit { keys } => {
            assert_eq!(keys.len(), 2);
            assert!(
                keys.iter().all(|k| !k.created_by_app),
                "neither key is the app's: neither is offered"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(keychain::load_access_key("full-user-profile").unwrap().is_none());

    // One key of the user's own and one the app made, whose secret is lost:
    // only the app's is offered, and replacing it leaves the user's key alone.
    let listed = |conn: Connection| async move {
        let keys = conn.iam.list_access_keys().user_name("full-user").send().await.unwrap();
        keys.access_key_metadata()
            .iter()
            .map(|k| k.access_key_id().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let users_own = listed(conn.clone()).await[0].clone();
    conn.iam
        .delete_access_key()
        .user_name("full-user")
        .access_key_id(listed(conn.clone()).await[1].clone())
        .send()
        .await
        .unwrap();
    let (made, _) = access_key::create(&conn, &mut journal, &request).await.unwrap();
    let AccessKeyOutcome::Ready { access_key_id: ours, .. } = made else {
        panic!("{made:?}")
    };
    keychain::delete(&keychain::access_key_account("full-user-profile")).unwrap(); // the secret is lost
    let (outcome, _) = access_key::create(&conn, &mut journal, &request).await.unwrap();
    assert_eq!(
        outcome,
        AccessKeyOutcome::SecretLost {
            access_key_id: ours.clone()
        },
        "only the app's key is offered"
    );
    let replace = AccessKeyRequest {
        replace_lost: true,
        ..request
    };
    let (replaced, _) = access_key::create(&conn, &mut journal, &replace).await.unwrap();
    assert!(
        matches!(replaced, AccessKeyOutcome::Ready { created_now: true, .. }),
        "{replaced:?}"
    );
    let after = listed(conn.clone()).await;
    assert!(after.contains(&users_own), "the user's own key is left alone");
    assert!(!after.contains(&ours), "the app's lost key was replaced");
    assert_eq!(after.len(), 2);
    keychain::delete(&keychain::access_key_account("full-user-profile")).unwrap();
}
