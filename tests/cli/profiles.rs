//! The user's own AWS CLI files: a profile they already had is never changed
//! without their yes, and teardown removes only the lines the app wrote.

use crate::{Machine, FULL_CONFIG};
use wizard_tests::Moto;

const MINE: &str =
    "# my laptop's settings\r\n[default]\r\nregion = us-east-1\r\n\r\n[profile aws.user1] # from the handout\r\noutput = json\r\n";

#[tokio::test]
async fn an_existing_profile_is_changed_only_with_consent_and_teardown_leaves_the_users_lines() {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    let cleaner = moto.seed_admin("profile-cleaner").await;
    let machine = Machine::new("profiles");
    let config_file = machine.path(".aws/config");
    std::fs::create_dir_all(config_file.parent().unwrap()).unwrap();
    std::fs::write(&config_file, MINE).unwrap();
    let setup = machine.write_config(FULL_CONFIG);

    let refused = machine.run_command(&moto, &bootstrap, &setup).output().unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("aws_cli.profile_exists") && stderr.contains("--replace-profile"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&config_file).unwrap(), MINE, "unchanged without a yes");

    let mut agreed = machine.run_command(&moto, &bootstrap, &setup);
    let agreed = agreed.arg("--replace-profile").output().unwrap();
    assert!(crate::ran_to_the_end(&agreed), "{}", String::from_utf8_lossy(&agreed.stderr));
    let edited = std::fs::read_to_string(&config_file).unwrap();
    assert!(
        edited.starts_with(
            "# my laptop's settings\r\n[default]\r\nregion = us-east-1\r\n\r\n[profile aws.user1] # from the handout\r\noutput = json\r\n"
        ),
        "{edited:?}"
    );
    assert!(
        edited.contains("credential_process = ") && edited.contains("\r\nregion = ap-northeast-2\r\n"),
        "{edited:?}"
    );
    let backup = machine.path(".aws/config.aws-setup-backup-1");
    assert_eq!(std::fs::read_to_string(backup).unwrap(), MINE, "the file as it was is kept");

    let mut teardown = machine.teardown_as(&moto, &cleaner);
    let done = teardown.output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert_eq!(std::fs::read_to_string(&config_file).unwrap(), MINE, "only the app's lines went");
}
