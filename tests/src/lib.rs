//! Test harness: a private moto server per test, standing in for AWS.
//! Each test gets its own server on a free loopback port, so tests run in
//! parallel without sharing state.

pub mod fault_proxy;
pub mod loopback;
pub mod sign_in;

use engine::connection::{ConnectOptions, Connection, CredentialSource};
use secrecy::SecretString;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub const MOTO_ACCOUNT_ID: &str = "123456789012";
pub const ADMIN_POLICY_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn moto_server_bin() -> PathBuf {
    std::env::var_os("MOTO_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv/bin/moto_server"))
}

/// The real AWS CLI v2, as scripts/test installs it.
pub fn aws_cli_v2() -> PathBuf {
    PathBuf::from(std::env::var_os("AWS_CLI_V2").expect("AWS_CLI_V2 is set by scripts/test"))
}

pub struct Moto {
    child: Child,
    pub url: String,
}

/// A key pair moto issued; the secret stays in a zeroizing type.
pub struct TestKey {
    pub access_key_id: String,
    pub secret: SecretString,
}

impl TestKey {
    pub fn source(&self) -> CredentialSource {
        CredentialSource::AccessKey {
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self.secret.clone(),
        }
    }
}

impl Moto {
    pub fn start() -> Moto {
        let bin = moto_server_bin();
        let mut child = Command::new(&bin)
            .args(["-H", "127.0.0.1", "-p", "0"])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e} (run scripts/test, which installs it)", bin.display()));
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("moto exited before it listened").unwrap();
            if let Some(at) = line.find("http://127.0.0.1:") {
                break line[at..].split_whitespace().next().unwrap().trim_end_matches('/').to_string();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Moto { child, url }
    }

    pub fn options(&self) -> ConnectOptions {
        ConnectOptions {
            region: Some("us-east-1".into()),
            endpoint_url: Some(self.url.clone()),
            aws_cli: None,
        }
    }

    fn post(&self, path: &str, body: &str) {
        ureq::post(&format!("{}{path}", self.url))
            .header("Content-Type", "text/plain")
            .send(body)
            .unwrap_or_else(|e| panic!("moto {path}: {e}"));
    }

    /// With auth on, moto checks keys and IAM policies like AWS does.
    pub fn set_auth(&self, on: bool) {
        self.post("/moto-api/reset-auth", if on { "0" } else { "inf" });
    }

    /// A connection as moto's default caller, for seeding while auth is off.
    pub async fn unauthenticated(&self) -> Connection {
        let source = CredentialSource::AccessKey {
            access_key_id: "AKIAMOTOSEEDERSEEDER".into(),
            secret_access_key: SecretString::from("seed".repeat(10)),
        };
        Connection::open(&source, &self.options()).await.unwrap()
    }

    /// An IAM user with AdministratorAccess and a key: it plays the temporary
    /// root key of a brand-new account. Call before switching auth on.
    pub async fn seed_admin(&self, user_name: &str) -> TestKey {
        self.seed_user(user_name, &[ADMIN_POLICY_ARN]).await
    }

    pub async fn seed_user(&self, user_name: &str, policy_arns: &[&str]) -> TestKey {
        let iam = self.unauthenticated().await.iam;
        iam.create_user().user_name(user_name).send().await.unwrap();
        for arn in policy_arns {
            iam.attach_user_policy().user_name(user_name).policy_arn(*arn).send().await.unwrap();
        }
        let key = iam.create_access_key().user_name(user_name).send().await.unwrap();
        let key = key.access_key().unwrap();
        TestKey {
            access_key_id: key.access_key_id().to_string(),
            secret: SecretString::from(key.secret_access_key().to_string()),
        }
    }

    /// Every IAM user's name, sorted. Read as moto's default caller: switch auth off first.
    pub async fn user_names(&self) -> Vec<String> {
        let users = self.unauthenticated().await.iam.list_users().send().await.unwrap();
        let mut names: Vec<String> = users.users().iter().map(|u| u.user_name().to_string()).collect();
        names.sort();
        names
    }

    /// A moto admin with auth switched on: the usual starting point.
    pub async fn with_bootstrap_admin() -> (Moto, TestKey) {
        let moto = Moto::start();
        let key = moto.seed_admin("bootstrap-admin").await;
        moto.set_auth(true);
        (moto, key)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
