//! Console sign-in (`aws login`) with the real AWS CLI v2, against moto and a
//! stand-in for AWS Sign-In: connecting with no root key, the admin's CLI
//! profile with no key, a session that refreshes, one that was revoked, and
//! a sign-in the user denied or that came back with a forged `state`.

use crate::{aws_setup, ran_to_the_end, Machine};
use std::process::{Command, Output};
use wizard_tests::sign_in::{Consent, SignInStandIn};
use wizard_tests::{aws_cli_v2, Moto, TestKey, MOTO_ACCOUNT_ID};

/// The walkthrough with no key anywhere: the set-up signs in with the
/// console, and the admin's CLI access is a console sign-in too.
const NO_KEY_CONFIG: &str = r#"
region = "ap-northeast-2"

[connect]
method = "console"

[alias]
name = "aws-hong"

[admin_user]
name = "aws.user1"

[handoff]
cli_access = "login"
"#;

struct SignInMachine {
    machine: Machine,
    moto: Moto,
    stand_in: SignInStandIn,
    root_stand_in: TestKey,
}

impl SignInMachine {
    /// moto, a root stand-in (an admin IAM user: moto has no root) and the
    /// Sign-In stand-in minting keys as that admin. moto's auth stays off: it
    /// refuses every session token while it is on.
    async fn new(name: &str) -> SignInMachine {
        use secrecy::ExposeSecret;
        let moto = Moto::start();
        let root_stand_in = moto.seed_admin("root-stand-in").await;
        let stand_in = SignInStandIn::start(&moto.url, (&root_stand_in.access_key_id, root_stand_in.secret.expose_secret()));
        SignInMachine {
            machine: Machine::new(name),
            moto,
            stand_in,
            root_stand_in,
        }
    }

    fn with_sign_in<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        let browser = SignInStandIn::browser_script(self.machine.home.path());
        self.machine.env(cmd, &self.moto);
        for (key, value) in self.stand_in.env(&browser) {
            cmd.env(key, value);
        }
        cmd
    }

    fn run(&self, config: &str) -> Output {
        let config = self.machine.write_config(config);
        let mut cmd = aws_setup();
        self.with_sign_in(&mut cmd)
            .args(["run", "--mfa", "this-computer", "--json", "--config"])
            .arg(config)
            .output()
            .unwrap()
    }

    fn aws(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(aws_cli_v2());
        self.with_sign_in(&mut cmd).args(args).output().unwrap()
    }

    async fn users(&self) -> Vec<String> {
        self.moto.user_names().await
    }

    fn config_text(&self) -> String {
        std::fs::read_to_string(self.machine.path(".aws/config")).unwrap_or_default()
    }

    fn login_cache_files(&self) -> usize {
        std::fs::read_dir(self.machine.path(".aws/login/cache"))
            .map(|d| d.count())
            .unwrap_or(0)
    }

    /// Every access key of `user` in moto, minus those the stand-in minted
    /// for its sign-ins: the keys the app (or the test) made.
    async fn keys_not_minted(&self, user: &str) -> Vec<String> {
        let listed = self
            .moto
            .unauthenticated()
            .await
            .iam
            .list_access_keys()
            .user_name(user)
            .send()
            .await;
        let minted = self.stand_in.minted();
        listed
            .map(|l| {
                l.access_key_metadata()
                    .iter()
                    .filter_map(|k| k.access_key_id().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
            .filter(|id| !minted.contains(id))
            .collect()
    }
}

fn text(out: &Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test]
async fn the_walkthrough_signs_in_with_the_console_and_makes_no_key_at_all() {
    let m = SignInMachine::new("sign-in-flow").await;
    m.stand_in.sign_in_as(&["root-stand-in", "aws.user1"]);
    let out = m.run(NO_KEY_CONFIG);
    assert!(ran_to_the_end(&out), "{}", text(&out));
    assert_eq!(
        m.stand_in.token_calls("authorization_code"),
        2,
        "one sign-in for the set-up, one for the admin's profile"
    );

    // No key made: the root stand-in has only the key the test gave it, the admin none.
    assert_eq!(
        m.keys_not_minted("root-stand-in").await,
        vec![m.root_stand_in.access_key_id.clone()]
    );
    assert_eq!(m.keys_not_minted("aws.user1").await, Vec::<String>::new());
    let journal = std::fs::read_to_string(m.machine.data_dir().join("journal.json")).unwrap();
    assert!(
        journal.contains(r#""type":"console_session""#) || journal.contains("console_session"),
        "{journal}"
    );
    assert!(!journal.contains("access-key/"), "no key in the keychain's records: {journal}");

    // The admin's profile is a console sign-in; the set-up's sign-in was signed out.
    let config = m.config_text();
    let admin_arn = format!("arn:aws:iam::{MOTO_ACCOUNT_ID}:user/aws.user1");
    assert!(
        config.contains(&format!(
            "[profile aws.user1]\nregion = ap-northeast-2\nlogin_session = {admin_arn}"
        )),
        "{config}"
    );
    assert!(!config.contains("credential_process"), "{config}");
    assert_eq!(m.login_cache_files(), 1, "only the admin's session stays on this computer");
    assert!(text(&out).contains("no_key_made"), "{}", text(&out));

    // The real AWS CLI uses the admin's session.
    let users = m.aws(&["iam", "list-users", "--profile", "aws.user1", "--output", "json"]);
    assert!(users.status.success(), "{}", text(&users));
    assert!(String::from_utf8_lossy(&users.stdout).contains("aws.user1"));

    // login-status names it, with its expiry.
    let mut cmd = aws_setup();
    let status = m.machine.env(&mut cmd, &m.moto).args(["login-status", "--json"]).output().unwrap();
    let profiles: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let admin = profiles.as_array().unwrap().iter().find(|p| p["profile"] == "aws.user1").unwrap();
    assert_eq!(admin["kind"], "console-sign-in");
    assert!(admin["expires_at"].as_str().is_some_and(|t| t.starts_with("20")), "{admin}");

    // The session's secrets stay in the AWS CLI's cache: not in what the app
    // printed, nor in its journal or logs.
    for (what, said) in [("run", text(&out)), ("journal", journal.clone())] {
        for secret in ["stand-in-session-", "stand-in-refresh-", "stand-in-code-"] {
            assert!(!said.contains(secret), "{secret} in the {what}");
        }
    }

    // A second run signs in again (the set-up's session is gone) and makes nothing.
    let again = m.run(NO_KEY_CONFIG);
    assert!(ran_to_the_end(&again), "{}", text(&again));
    assert_eq!(m.keys_not_minted("aws.user1").await, Vec::<String>::new());
    assert_eq!(m.users().await, vec!["aws.user1", "root-stand-in"]);
    assert_eq!(m.login_cache_files(), 1, "the second run's own sign-in was signed out too");

    // Teardown takes the profile's lines and the admin's sign-in token with it.
    let teardown = m.machine.teardown_as(&m.moto, &m.root_stand_in).output().unwrap();
    assert!(teardown.status.success(), "{}", text(&teardown));
    assert!(!m.config_text().contains("aws.user1"), "{}", m.config_text());
    assert_eq!(m.login_cache_files(), 0, "no session left on this computer");
}

#[tokio::test]
async fn a_session_near_its_end_refreshes_and_a_revoked_one_asks_to_sign_in_again() {
    let m = SignInMachine::new("sign-in-refresh").await;
    m.stand_in.sign_in_as(&["root-stand-in"]);
    // Credentials of 60 s are within aws-config's 5-minute margin: every use refreshes.
    m.stand_in.set_expires_in(60);
    let login = m.aws(&["login", "--profile", "mine", "--region", "us-east-1"]);
    assert!(login.status.success(), "{}", text(&login));

    let status = || {
        let mut cmd = aws_setup();
        m.with_sign_in(&mut cmd)
            .args(["status", "--profile", "mine", "--json"])
            .output()
            .unwrap()
    };
    let fresh = status();
    assert!(text(&fresh).contains("root-stand-in"), "{}", text(&fresh));
    assert!(m.stand_in.token_calls("refresh_token") >= 1, "the engine refreshed through Sign-In");

    m.stand_in.revoke();
    let revoked = status();
    let said = text(&revoked);
    assert!(said.contains("identity.sign_in_expired"), "{said}");
    assert!(said.contains("aws login --profile mine"), "names what to do: {said}");
}

#[tokio::test]
async fn a_denied_or_forged_sign_in_stops_before_anything_is_made() {
    let m = SignInMachine::new("sign-in-denied").await;
    m.stand_in.sign_in_as(&["root-stand-in"]);
    for consent in [Consent::Deny, Consent::ForgedState] {
        m.stand_in.set_consent(consent);
        let out = m.run(NO_KEY_CONFIG);
        assert_eq!(out.status.code(), Some(3), "{consent:?}: {}", text(&out));
        assert!(text(&out).contains("aws_cli.login_failed"), "{consent:?}: {}", text(&out));
        assert_eq!(m.users().await, vec!["root-stand-in"], "{consent:?}: nothing made");
        assert_eq!(m.login_cache_files(), 0, "{consent:?}: no session kept");
    }
    assert_eq!(m.stand_in.token_calls("authorization_code"), 0, "no code was ever exchanged");
}
