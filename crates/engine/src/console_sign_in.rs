//! Console sign-in for the AWS CLI and for the app (`aws login`, AWS CLI
//! 2.32+). A console sign-in, root's or an IAM user's, becomes temporary
//! credentials that refresh for up to 12 hours; no access key is created.
//!
//! The AWS CLI does the browser part: it opens the sign-in page, receives the
//! answer on a loopback address, and writes two things the engine reads with
//! aws-config's `LoginCredentialsProvider`: `login_session = <ARN>` in the
//! profile, and a token file under `~/.aws/login/cache/`.
//!
//! Why the app does not do the browser part itself: the sign-in service
//! knows one client for it, `arn:aws:signin:::devtools/same-device`, AWS's
//! own developer tools; a third-party app using it would pass itself off as
//! the AWS CLI. The token exchange also needs a DPoP proof (RFC 9449) that
//! aws-config keeps private. Running the AWS CLI, which the handouts install
//! anyway, uses the client as AWS meant it.

use crate::aws_cli_config;
use crate::aws_cli_install;
use crate::connection::validate_region;
use crate::error::{EngineError, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use ts_rs::TS;

/// The profile the app signs in with to set the account up. Its own, so a
/// profile of the user's is never rewritten by `aws login`.
pub const SET_UP_PROFILE: &str = "aws-setup-sign-in";

/// Keys `aws login` writes into a profile. A profile holding anything else
/// (a key, a role, SSO) is someone's own and is not signed in over.
const LOGIN_KEYS: [&str; 3] = ["login_session", "region", "output"];

/// The `aws` program: `AWS_SETUP_AWS_CLI` when set (tests, or a CLI not on
/// the PATH), else `aws` as a terminal finds it.
pub fn aws_program() -> PathBuf {
    std::env::var_os("AWS_SETUP_AWS_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("aws"))
}

/// Whether `profile` may be signed in with `aws login`: absent, or holding
/// only what `aws login` itself writes.
fn check_profile_is_free(profile: &str) -> Result<()> {
    let Some(path) = aws_cli_config::config_path() else {
        return Ok(());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(EngineError::file(&path, &e)),
    };
    let foreign = aws_cli_config::keys_in_text(&text, profile, true)
        .into_iter()
        .any(|key| !LOGIN_KEYS.contains(&key.as_str()));
    if foreign {
        return Err(EngineError::ProfileExists {
            profile: profile.to_string(),
            path: path.display().to_string(),
        });
    }
    Ok(())
}

/// Runs `aws login --profile P --region R` and waits for the user to finish
/// in the browser. The AWS CLI's output names no secret (a URL and a
/// message), so its last line may be shown when it fails.
pub async fn sign_in(aws: &Path, profile: &str, region: &str) -> Result<()> {
    validate_region(region)?;
    aws_cli_config::validate_profile_name(profile)?;
    let install = aws_cli_install::detect_program(aws, aws_cli_install::DETECT_TIMEOUT).await;
    if !install.login {
        return Err(EngineError::AwsLoginUnavailable(install.version));
    }
    check_profile_is_free(profile)?;
    if profile == SET_UP_PROFILE {
        // The app's own profile may sign in as anyone: without this, `aws
        // login` would stop to ask whether to replace the last identity.
        aws_cli_config::drop_config_keys(profile, &["login_session"])?;
    }
    let output = tokio::process::Command::new(aws)
        .args(["login", "--profile", profile, "--region", region])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Closing the window or pressing Cancel stops the wait.
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| EngineError::AwsLoginFailed(e.to_string()))?;
    if output.status.success() && session_arn(profile).is_some() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let asked_to_replace = |text: &[u8]| String::from_utf8_lossy(text).contains("is already configured to use session");
    if asked_to_replace(&output.stdout) || asked_to_replace(&output.stderr) {
        let arn = session_arn(profile).unwrap_or_default();
        return Err(EngineError::AwsLoginFailed(format!(
            "profile {profile} is for {arn}; sign in as that identity"
        )));
    }
    let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let last: String = last.chars().take(200).collect();
    tracing::info!(status = ?output.status.code(), said = %last, "aws login did not finish");
    Err(EngineError::AwsLoginFailed(if last.is_empty() {
        format!("exit {}", output.status.code().unwrap_or(-1))
    } else {
        last
    }))
}

/// The identity a profile's console sign-in is for (`login_session`).
pub fn session_arn(profile: &str) -> Option<String> {
    aws_cli_config::config_value(profile, "login_session")
}

/// Where `aws login` caches a session's tokens: the SHA-256 of the ARN, as
/// aws-config's `login/cache.rs` and the AWS CLI name it.
pub fn cache_file(session_arn: &str) -> Option<PathBuf> {
    use sha2::{Digest, Sha256};
    let dir = match std::env::var_os("AWS_LOGIN_CACHE_DIRECTORY") {
        Some(dir) => PathBuf::from(dir),
        None => directories::BaseDirs::new()?.home_dir().join(".aws").join("login").join("cache"),
    };
    let digest = Sha256::digest(session_arn.trim().as_bytes());
    let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(dir.join(format!("{name}.json")))
}

/// What a console sign-in profile holds, without reading any secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct SignInSession {
    pub arn: String,
    /// When the current credentials end (RFC 3339); the session refreshes
    /// them until 12 hours after the sign-in. `None` when not signed in yet.
    pub expires_at: Option<String>,
}

/// The sign-in session a profile is set up for, and whether `aws login` has
/// run for it (its cache file's `accessToken.expiresAt`).
pub fn session_of(profile: &str) -> Option<SignInSession> {
    let arn = session_arn(profile)?;
    let expires_at = cache_file(&arn)
        .and_then(|path| std::fs::read(path).ok())
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .and_then(|cache| cache["accessToken"]["expiresAt"].as_str().map(str::to_string));
    Some(SignInSession { arn, expires_at })
}

/// Ends a sign-in the app started: its token file goes, so nothing that can
/// refresh it stays on disk. The profile's lines stay for the next sign-in.
/// The file is named by the identity, not the profile, so one that another
/// profile signs in with (the admin's, say) is left to that profile.
pub fn sign_out(profile: &str) -> Result<bool> {
    let Some(arn) = session_arn(profile) else {
        return Ok(false);
    };
    let shared = aws_cli_config::list_profiles()
        .iter()
        .any(|other| other != profile && session_arn(other).as_deref() == Some(arn.as_str()));
    let Some(path) = cache_file(&arn).filter(|_| !shared) else {
        return Ok(false);
    };
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(EngineError::file(&path, &e)),
    }
}

/// Teardown: the app's own sign-in profile goes, with its token file.
pub fn forget_set_up_profile() -> Result<()> {
    sign_out(SET_UP_PROFILE)?;
    aws_cli_config::remove_profile(SET_UP_PROFILE, true).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws_cli_install::AwsCliInstall;

    #[test]
    fn login_needs_the_aws_cli_2_32_or_later() {
        let at = |v: &str| AwsCliInstall::from_output(&format!("aws-cli/{v} Python/3.13")).login;
        assert!(at("2.32.0") && at("2.38.5") && at("3.0.0"));
        assert!(!at("2.31.9") && !at("2.9.0") && !at("1.40.1"));
    }

    #[test]
    fn the_cache_file_is_named_as_aws_config_names_it() {
        // The example in aws-config 1.13's profile/credentials.rs tests.
        let path = cache_file("arn:aws:iam::0123456789012:user/Admin").unwrap();
        assert_eq!(
            path.file_name().unwrap().to_str().unwrap(),
            "36db1d138ff460920374e4c3d8e01f53f9f73537e89c88d639f68393df0e2726.json"
        );
    }
}
