//! The admin's CLI access as MFA sessions, with the real AWS CLI v2: the
//! first call makes one `GetSessionToken`, later ones are served from the
//! keychain's cache, and a malformed code stops before AWS sees it. moto's
//! auth stays off: it refuses every session token while it is on.

use crate::{aws_setup, ran_to_the_end, Machine, FULL_CONFIG};
use std::process::{Command, Output};
use wizard_tests::fault_proxy::FaultProxy;
use wizard_tests::{aws_cli_v2, Moto};

fn text(out: &Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test]
async fn mfa_sessions_are_made_once_then_served_from_the_keychain() {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    // Every call, the app's and the AWS CLI's, goes through the proxy, which counts them.
    let proxy = FaultProxy::start(&moto.url);
    let machine = Machine::new("mfa-session");
    let config = machine.write_config(&format!(
        "{FULL_CONFIG}\n[handoff]\ncli_access = \"mfa-session\"\nmfa_session_length = \"12h\"\n"
    ));
    let through_proxy = |cmd: &mut Command| {
        machine.env(cmd, &moto).env("AWS_ENDPOINT_URL", &proxy.url);
    };
    let mut run = machine.run_command(&moto, &bootstrap, &config);
    through_proxy(&mut run);
    let out = run.output().unwrap();
    assert!(ran_to_the_end(&out), "{}", text(&out));
    assert_eq!(proxy.calls("GetSessionToken"), 0, "the walkthrough itself starts no session");

    let profile = std::fs::read_to_string(machine.path(".aws/config")).unwrap();
    assert!(
        profile.contains("credential-process --profile aws.user1 --mfa-session 12h"),
        "{profile}"
    );
    assert!(
        profile.contains("mfa_serial = arn:aws:iam::123456789012:mfa/aws.user1"),
        "{profile}"
    );

    let aws = |args: &[&str]| {
        let mut cmd = Command::new(aws_cli_v2());
        through_proxy(&mut cmd);
        cmd.args(args).output().unwrap()
    };
    let users = aws(&["iam", "list-users", "--profile", "aws.user1", "--output", "json"]);
    assert!(users.status.success(), "{}", text(&users));
    assert!(String::from_utf8_lossy(&users.stdout).contains("aws.user1"));
    assert_eq!(proxy.calls("GetSessionToken"), 1, "the first call starts one session");

    // 20 more: the cached session, no AWS call; never the long-lived key.
    let stored: serde_json::Value = serde_json::from_str(&machine.keychain_lookup("access-key/aws.user1").unwrap()).unwrap();
    for _ in 0..20 {
        let mut cmd = aws_setup();
        through_proxy(&mut cmd);
        let out = cmd
            .args(["credential-process", "--profile", "aws.user1", "--mfa-session", "12h"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["Version"], 1);
        assert!(
            json["AccessKeyId"].is_string() && json["AccessKeyId"] != stored["AccessKeyId"],
            "{json}"
        );
        assert!(json["SessionToken"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(json["Expiration"].as_str().is_some_and(|t| t.ends_with('Z')), "{json}");
    }
    let identity = aws(&["sts", "get-caller-identity", "--profile", "aws.user1"]);
    assert!(identity.status.success(), "{}", text(&identity));
    assert_eq!(proxy.calls("GetSessionToken"), 1, "21 more calls, none to AWS");

    let mut cmd = aws_setup();
    through_proxy(&mut cmd);
    let status = cmd.args(["login-status", "--json"]).output().unwrap();
    let profiles: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    let admin = profiles.as_array().unwrap().iter().find(|p| p["profile"] == "aws.user1").unwrap();
    assert_eq!(admin["kind"], "mfa-session");
    assert!(admin["expires_at"].as_str().is_some_and(|t| t.starts_with("20")), "{admin}");

    // A malformed code is refused before any call, with exit 1.
    let mut cmd = aws_setup();
    through_proxy(&mut cmd);
    let wrong = cmd
        .args(["mfa-session", "--profile", "aws.user1", "--code", "12ab56"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1), "{}", text(&wrong));
    assert!(text(&wrong).contains("validation.mfa_code_format"), "{}", text(&wrong));
    assert_eq!(proxy.calls("GetSessionToken"), 1);

    // A typed code makes a new session with that code, even though this
    // computer holds the seed and a fresh session is cached.
    let mut cmd = aws_setup();
    through_proxy(&mut cmd);
    let typed = cmd
        .args(["mfa-session", "--profile", "aws.user1", "--code", "024680"])
        .output()
        .unwrap();
    assert!(typed.status.success(), "{}", text(&typed));
    assert_eq!(proxy.calls("GetSessionToken"), 2, "a typed code starts a new session");
    assert_eq!(proxy.last_param("GetSessionToken", "TokenCode").as_deref(), Some("024680"));

    // Without a code: the cached session, or this computer types the code itself.
    let mut cmd = aws_setup();
    through_proxy(&mut cmd);
    let fresh = cmd.args(["mfa-session", "--profile", "aws.user1"]).output().unwrap();
    assert!(fresh.status.success(), "{}", text(&fresh));
    assert!(String::from_utf8_lossy(&fresh.stdout).contains("until 20"), "{}", text(&fresh));
}
