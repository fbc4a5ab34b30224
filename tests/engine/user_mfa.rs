use crate::temp_journal;
use engine::connection::Connection;
use engine::steps::user_mfa::{self, MfaBegin};
use wizard_tests::{Moto, MOTO_ACCOUNT_ID};

#[tokio::test]
async fn mfa_is_enabled_with_codes_from_the_seed_and_not_twice() {
    let moto = Moto::start();
    let key = moto.seed_admin("bootstrap-admin").await;
    moto.seed_user("mfa-user", &[]).await;
    moto.set_auth(true);
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let (begin, enrollment) = user_mfa::begin(&conn, &mut journal, "mfa-user", "mfa-user", MOTO_ACCOUNT_ID)
        .await
        .unwrap();
    let MfaBegin::ScanQr { qr_svg, serial_number, .. } = begin else {
        panic!("{begin:?}")
    };
    assert!(qr_svg.contains("<svg"));
    let enrollment = enrollment.unwrap();

    // A wrong pair is caught locally, before AWS (which would accept anything) sees it.
    let err = user_mfa::finish(&conn, &enrollment, "123456", "123456").await.unwrap_err();
    assert_eq!(err.code(), "validation.mfa_codes_same");
    assert!(user_mfa::list_user_devices(&conn, "mfa-user").await.unwrap().is_empty());

    let (code1, code2) = user_mfa::codes_for_now(&enrollment.seed);
    assert!(user_mfa::finish(&conn, &enrollment, &code1, &code2).await.unwrap());
    assert_eq!(
        user_mfa::list_user_devices(&conn, "mfa-user").await.unwrap(),
        vec![serial_number.clone()]
    );

    let (again, none) = user_mfa::begin(&conn, &mut journal, "mfa-user", "mfa-user", MOTO_ACCOUNT_ID)
        .await
        .unwrap();
    assert_eq!(again, MfaBegin::AlreadyEnabled { serial_number });
    assert!(none.is_none());
}

#[tokio::test]
async fn an_abandoned_enrolment_is_replaced_not_duplicated() {
    let moto = Moto::start();
    let key = moto.seed_admin("bootstrap-admin").await;
    moto.seed_user("mfa-retry", &[]).await;
    moto.set_auth(true);
    let conn = Connection::open(&key.source(), &moto.options()).await.unwrap();
    let (_dir, mut journal) = temp_journal();
    let _abandoned = user_mfa::begin(&conn, &mut journal, "mfa-retry", "mfa-retry", MOTO_ACCOUNT_ID)
        .await
        .unwrap();
    let (_, enrollment) = user_mfa::begin(&conn, &mut journal, "mfa-retry", "mfa-retry", MOTO_ACCOUNT_ID)
        .await
        .unwrap();
    let enrollment = enrollment.unwrap();
    let (code1, code2) = user_mfa::codes_for_now(&enrollment.seed);
    user_mfa::finish(&conn, &enrollment, &code1, &code2).await.unwrap();
    let all = conn.iam.list_virtual_mfa_devices().send().await.unwrap();
    assert_eq!(all.virtual_mfa_devices().len(), 1, "the abandoned device was deleted");
}
