//! A handout done halfway by hand, picked up by `aws-setup run` with
//! `adopt = true` (issue 12): adopted is not created, so teardown leaves it.

use crate::{Machine, FULL_CONFIG};
use wizard_tests::Moto;

/// A handout done halfway by hand: an alias set, and `aws.user1` with
/// AdministratorAccess attached directly, a console password and a key.
/// `adopt = true` takes them over, adds only what is missing (MFA, the app's
/// own key), changes neither the password nor the policies, and a later
/// teardown leaves everything the student made.
#[tokio::test]
async fn run_with_adopt_takes_over_a_hand_made_admin_and_teardown_leaves_it() {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    let cleaner = moto.seed_admin("teardown-admin").await;
    let hand_key = moto.seed_user("aws.user1", &[wizard_tests::ADMIN_POLICY_ARN]).await;
    let seeder = moto.unauthenticated().await.iam;
    seeder
        .create_login_profile()
        .user_name("aws.user1")
        .password("Handout-Password-1!")
        .send()
        .await
        .unwrap();
    seeder.create_account_alias().account_alias("aws-by-hand").send().await.unwrap();
    moto.set_auth(true);
    let machine = Machine::new("adopt");

    // Without adopt, the hand-made user is refused, never changed.
    let plain = machine.write_config(FULL_CONFIG);
    let refused = machine.run_command(&moto, &bootstrap, &plain).output().unwrap();
    assert_eq!(refused.status.code(), Some(4), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stdout).contains(r#""needs_decision":"alias""#));

    let config = machine.write_config(&format!("adopt = true\n{FULL_CONFIG}"));
    let out = machine.run_command(&moto, &bootstrap, &config).output().unwrap();
    assert!(crate::ran_to_the_end(&out), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(r#""adopted":true"#), "{stdout}");

    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    assert_eq!(
        iam.list_account_aliases().send().await.unwrap().account_aliases(),
        ["aws-by-hand"],
        "the student's alias is kept"
    );
    let policies = iam.list_attached_user_policies().user_name("aws.user1").send().await.unwrap();
    let names: Vec<&str> = policies.attached_policies().iter().filter_map(|p| p.policy_name()).collect();
    assert_eq!(names, ["AdministratorAccess"], "no policy added or removed");
    let keys = iam.list_access_keys().user_name("aws.user1").send().await.unwrap();
    assert_eq!(keys.access_key_metadata().len(), 2, "the student's key and the app's");
    assert_eq!(
        iam.list_mfa_devices()
            .user_name("aws.user1")
            .send()
            .await
            .unwrap()
            .mfa_devices()
            .len(),
        1
    );
    moto.set_auth(true);

    let mut teardown = machine.teardown_as(&moto, &cleaner);
    teardown.arg("--json");
    let done = teardown.output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    moto.set_auth(false);
    let iam = moto.unauthenticated().await.iam;
    let users = moto.user_names().await;
    assert!(users.contains(&"aws.user1".to_string()), "the adopted user stays: {users:?}");
    assert_eq!(
        iam.list_account_aliases().send().await.unwrap().account_aliases(),
        ["aws-by-hand"],
        "the adopted alias stays"
    );
    let keys = iam.list_access_keys().user_name("aws.user1").send().await.unwrap();
    let left: Vec<&str> = keys.access_key_metadata().iter().filter_map(|k| k.access_key_id()).collect();
    assert_eq!(left, [hand_key.access_key_id.as_str()], "only the app's key went");
    assert!(
        iam.get_login_profile().user_name("aws.user1").send().await.is_ok(),
        "the student's password stays"
    );
    let policies = iam.list_attached_user_policies().user_name("aws.user1").send().await.unwrap();
    assert_eq!(policies.attached_policies().len(), 1, "AdministratorAccess stays");
}
