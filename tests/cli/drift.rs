//! Journal drift: what the journal records but AWS no longer has (deleted by
//! hand in the console) is noticed on the next run and made again, instead of
//! a dead end such as "finish the access key step first".

use crate::Machine;
use wizard_tests::Moto;

/// The handout's settings, with a bootstrap key the user keeps (so a run can
/// start again after the admin user itself was deleted by hand).
const KEPT_BOOTSTRAP: &str = r#"
[alias]
name = "aws-hong"

[admin_user]
name = "aws.user1"
"#;

async fn assert_whole(moto: &Moto, machine: &Machine, label: &str) {
    let iam = moto.unauthenticated().await.iam;
    let keys = iam.list_access_keys().user_name("aws.user1").send().await.unwrap();
    assert_eq!(keys.access_key_metadata().len(), 1, "{label}: one key");
    let id = keys.access_key_metadata()[0].access_key_id().unwrap();
    assert!(
        machine.keychain_lookup("access-key/aws.user1").unwrap().contains(id),
        "{label}: its secret is kept"
    );
    let devices = iam.list_mfa_devices().user_name("aws.user1").send().await.unwrap();
    assert_eq!(devices.mfa_devices().len(), 1, "{label}: MFA is on");
    assert_eq!(
        iam.list_account_aliases().send().await.unwrap().account_aliases(),
        ["aws-hong"],
        "{label}"
    );
    assert!(
        iam.get_login_profile().user_name("aws.user1").send().await.is_ok(),
        "{label}: console password"
    );
}

#[tokio::test]
async fn what_was_deleted_by_hand_is_made_again_on_the_next_run() {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    let machine = Machine::new("drift");
    let config = machine.write_config(KEPT_BOOTSTRAP);
    let run = || {
        let out = machine.run_command(&moto, &bootstrap, &config).output().unwrap();
        assert!(crate::ran_to_the_end(&out), "{}", String::from_utf8_lossy(&out.stderr));
    };
    run();
    assert_whole(&moto, &machine, "first run").await;
    let iam = moto.unauthenticated().await.iam;

    // The admin's key, deleted in the console.
    let key = iam.list_access_keys().user_name("aws.user1").send().await.unwrap();
    let id = key.access_key_metadata()[0].access_key_id().unwrap().to_string();
    iam.delete_access_key()
        .user_name("aws.user1")
        .access_key_id(&id)
        .send()
        .await
        .unwrap();
    run();
    assert_whole(&moto, &machine, "after the key was deleted").await;

    // The MFA device, removed in the console.
    let devices = iam.list_mfa_devices().user_name("aws.user1").send().await.unwrap();
    let serial = devices.mfa_devices()[0].serial_number().to_string();
    iam.deactivate_mfa_device()
        .user_name("aws.user1")
        .serial_number(&serial)
        .send()
        .await
        .unwrap();
    iam.delete_virtual_mfa_device().serial_number(&serial).send().await.unwrap();
    run();
    assert_whole(&moto, &machine, "after the MFA device was deleted").await;

    // The alias, deleted.
    iam.delete_account_alias().account_alias("aws-hong").send().await.unwrap();
    run();
    assert_whole(&moto, &machine, "after the alias was deleted").await;

    // The whole admin user, deleted with everything on it.
    let key = iam.list_access_keys().user_name("aws.user1").send().await.unwrap();
    for k in key.access_key_metadata() {
        iam.delete_access_key()
            .user_name("aws.user1")
            .access_key_id(k.access_key_id().unwrap())
            .send()
            .await
            .unwrap();
    }
    let devices = iam.list_mfa_devices().user_name("aws.user1").send().await.unwrap();
    for d in devices.mfa_devices() {
        iam.deactivate_mfa_device()
            .user_name("aws.user1")
            .serial_number(d.serial_number())
            .send()
            .await
            .unwrap();
        iam.delete_virtual_mfa_device()
            .serial_number(d.serial_number())
            .send()
            .await
            .unwrap();
    }
    iam.delete_login_profile().user_name("aws.user1").send().await.unwrap();
    iam.remove_user_from_group()
        .group_name("Administrators")
        .user_name("aws.user1")
        .send()
        .await
        .unwrap();
    iam.delete_user().user_name("aws.user1").send().await.unwrap();
    run();
    assert_whole(&moto, &machine, "after the user was deleted").await;
}
