//! The `aws-setup` binary, spawned as a user would run it, against moto.

mod accounts;
mod adopt;
mod classroom;
mod classroom_accounts;
mod crash_points;
mod drift;
mod extras;
mod faults;
mod file_store;
mod flow;
mod identity_center;
mod keychain_wait;
mod logs;
mod mfa_session;
mod profiles;
mod sign_in;
mod status;

use std::path::{Path, PathBuf};
use std::process::Command;
use wizard_tests::{Moto, TestKey};

pub fn aws_setup() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aws-setup"));
    cmd.env_remove("AWS_PROFILE");
    cmd
}

/// One user's machine: its own HOME, app-data folder and keychain service
/// name, so tests running side by side never see each other's files.
pub struct Machine {
    pub home: tempfile::TempDir,
    pub keychain_service: String,
}

impl Machine {
    pub fn new(name: &str) -> Machine {
        Machine {
            home: tempfile::tempdir().unwrap(),
            keychain_service: format!("aws-setup-test-{name}"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.home.path().join(rel)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path("app-data")
    }

    /// Applies this machine's environment, pointed at `moto`.
    pub fn env<'a>(&self, cmd: &'a mut Command, moto: &Moto) -> &'a mut Command {
        cmd.env("HOME", self.home.path())
            .env("AWS_SETUP_DATA_DIR", self.data_dir())
            .env("AWS_SETUP_KEYCHAIN_SERVICE", &self.keychain_service)
            .env("AWS_ENDPOINT_URL", &moto.url)
            .env("AWS_REGION", "us-east-1")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env_remove("AWS_CONFIG_FILE")
            .env_remove("AWS_SHARED_CREDENTIALS_FILE")
    }

    /// Reads this machine's keychain from another process, as the AWS CLI would.
    pub fn keychain_lookup(&self, account: &str) -> Option<String> {
        let out = Command::new("secret-tool")
            .args(["lookup", "service", &self.keychain_service, "username", account])
            .output()
            .unwrap();
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).to_string())
    }

    /// Every entry this machine's keychain holds: (account, secret).
    pub fn keychain_entries(&self) -> Vec<(String, String)> {
        let out = Command::new("secret-tool")
            .args(["search", "--all", "--unlock", "service", &self.keychain_service])
            .output()
            .unwrap();
        // One block per item on stdout (secret) and stderr (attributes), in the same order.
        let field = |text: &[u8], name: &str| -> Vec<String> {
            String::from_utf8_lossy(text)
                .lines()
                .filter_map(|line| line.strip_prefix(name).map(str::to_string))
                .collect()
        };
        let secrets = field(&out.stdout, "secret = ");
        let mut accounts = field(&out.stdout, "attribute.username = ");
        accounts.extend(field(&out.stderr, "attribute.username = "));
        assert_eq!(accounts.len(), secrets.len(), "secret-tool listed every item");
        accounts.into_iter().zip(secrets).collect()
    }

    pub fn write_config(&self, text: &str) -> PathBuf {
        let path = self.path("setup.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `aws-setup teardown --yes` run with `admin`'s key (the admin user the
    /// app made is among what it deletes, so it cannot run as that user).
    pub fn teardown_as(&self, moto: &Moto, admin: &TestKey) -> Command {
        use secrecy::ExposeSecret;
        let mut cmd = aws_setup();
        self.env(&mut cmd, moto)
            .args(["teardown", "--yes"])
            .env("AWS_ACCESS_KEY_ID", &admin.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", admin.secret.expose_secret());
        cmd
    }

    /// `aws-setup run` with the bootstrap key in the environment.
    pub fn run_command(&self, moto: &Moto, bootstrap: &TestKey, config: &Path) -> Command {
        use secrecy::ExposeSecret;
        let mut cmd = aws_setup();
        self.env(&mut cmd, moto)
            .args(["run", "--mfa", "this-computer", "--json", "--config"])
            .arg(config)
            .env("AWS_SETUP_BOOTSTRAP_ACCESS_KEY_ID", &bootstrap.access_key_id)
            .env("AWS_SETUP_BOOTSTRAP_SECRET_ACCESS_KEY", bootstrap.secret.expose_secret());
        cmd
    }
}

/// `aws-setup run` got through its API steps: exit 0, or exit 4 with console
/// tasks still open (moto has no root user, so root MFA always reads as off).
pub fn ran_to_the_end(out: &std::process::Output) -> bool {
    matches!(out.status.code(), Some(0 | 4)) && String::from_utf8_lossy(&out.stdout).contains(r#""finished":true"#)
}

pub const FULL_CONFIG: &str = r#"
region = "ap-northeast-2"

[bootstrap]
temporary = true
admin_sign_in_confirmed = true

[alias]
name = "aws-hong"

[admin_user]
name = "aws.user1"
reset_required = false
rights = "group"
password_policy = true

[access_key]
description = "myec2-s3-accesskey"
"#;
