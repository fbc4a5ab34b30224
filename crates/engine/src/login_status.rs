//! `aws-setup login-status`: for every AWS CLI profile, what kind of
//! credential it holds and when that ends, read from the AWS CLI's files, the
//! `aws login` cache and the keychain's session cache. No secret is read
//! into the answer, and nothing calls AWS.

use crate::aws_cli_config;
use crate::console_sign_in;
use crate::mfa_session;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    /// `aws login`: refreshing temporary credentials, no key.
    ConsoleSignIn,
    /// The app's MFA sessions over a key in the keychain.
    MfaSession,
    /// The app's key in the keychain, long-lived.
    KeychainKey,
    /// A key written in `~/.aws/credentials`, long-lived.
    PlaintextKey,
    /// IAM Identity Center (`aws configure sso`).
    Sso,
    /// A role, another program, or only settings.
    Other,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileCredential {
    pub profile: String,
    pub kind: CredentialKind,
    /// When the current temporary credentials end (RFC 3339); `None` for a
    /// long-lived key, or a session not started yet.
    pub expires_at: Option<String>,
}

fn kind_of(profile: &str) -> CredentialKind {
    let config = |key: &str| aws_cli_config::config_value(profile, key);
    if config("login_session").is_some() {
        return CredentialKind::ConsoleSignIn;
    }
    if let Some(line) = config("credential_process").filter(|l| l.contains("credential-process")) {
        return if line.contains("--mfa-session") {
            CredentialKind::MfaSession
        } else {
            CredentialKind::KeychainKey
        };
    }
    if config("sso_session").is_some() || config("sso_start_url").is_some() {
        return CredentialKind::Sso;
    }
    if aws_cli_config::credentials_value(profile, "aws_access_key_id").is_some() {
        return CredentialKind::PlaintextKey;
    }
    CredentialKind::Other
}

/// Every profile the AWS CLI knows, with its kind and expiry.
pub fn all() -> Vec<ProfileCredential> {
    aws_cli_config::list_profiles()
        .into_iter()
        .map(|profile| {
            let kind = kind_of(&profile);
            let expires_at = match kind {
                CredentialKind::ConsoleSignIn => console_sign_in::session_of(&profile).and_then(|s| s.expires_at),
                CredentialKind::MfaSession => mfa_session::cached_until(&profile)
                    .ok()
                    .flatten()
                    .and_then(|t| mfa_session::rfc3339(t).ok()),
                _ => None,
            };
            ProfileCredential { profile, kind, expires_at }
        })
        .collect()
}
