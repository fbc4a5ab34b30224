//! Step "handoff": the new key put to use. An AWS CLI profile whose
//! `credential_process` reads the keychain (no plaintext anywhere), a plaintext
//! credentials entry only on explicit request, and CSV exports in the formats
//! the IAM console and `aws configure import` use.

use crate::aws_cli_config;
use crate::connection::validate_region;
use crate::crash_points::crash_point;
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::journal::{Journal, Resource};
use crate::keychain;
use crate::mfa_session;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use ts_rs::TS;
use zeroize::Zeroizing;

/// The console's CSV files start with a UTF-8 byte-order mark; so do ours.
const BOM: &str = "\u{feff}";

/// `credential_process` needs an absolute path with no `~` or variables, quoted
/// for paths with spaces.
pub(crate) fn credential_process_line(cli_path: &Path, profile: &str) -> Result<String> {
    if !cli_path.is_absolute() {
        return Err(EngineError::Internal("the aws-setup path must be absolute".into()));
    }
    // A profile served from the file store says so, so the AWS CLI's calls read it too.
    let store = if crate::file_store::selected() { " --store file" } else { "" };
    Ok(format!("\"{}\"{store} credential-process --profile {profile}", cli_path.display()))
}

/// How the admin's AWS CLI profile gets its credentials. The first is the
/// one AWS recommends and needs no key; the second keeps a key but hands the
/// AWS CLI only MFA sessions; the third is the handout's plain key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export_to = "ipc.ts")]
pub enum CliAccess {
    /// `aws login` as the admin user: console sign-in sessions, no key.
    Login,
    /// A key in the keychain, served as MFA sessions (`GetSessionToken`).
    MfaSession,
    /// A key in the keychain, served as it is.
    #[default]
    Key,
}

impl CliAccess {
    /// Whether this way needs an access key made for the admin.
    pub fn needs_key(self) -> bool {
        !matches!(self, CliAccess::Login)
    }
}

/// What a profile is set up with, for [`configure_cli_profile`].
#[derive(Debug, Clone)]
pub enum ProfileCredentials<'a> {
    /// The key in the keychain, through `credential_process`.
    Key { cli_path: &'a Path },
    /// MFA sessions of `length`, with the device `mfa_serial`.
    MfaSession {
        cli_path: &'a Path,
        mfa_serial: &'a str,
        length: Duration,
    },
    /// `aws login` as `user_arn`.
    Login { user_arn: &'a str },
}

/// Adds (or updates) `[profile NAME]` with a region and one way of getting
/// credentials, removing the keys of any other way the app wrote before.
/// An existing profile that is not the app's is changed only with `replace_existing`.
pub fn configure_cli_profile(
    journal: &mut Journal,
    profile: &str,
    region: &str,
    credentials: &ProfileCredentials,
    replace_existing: bool,
) -> Result<PathBuf> {
    validate_region(region)?;
    let line;
    let settings: Vec<(&str, &str)> = match credentials {
        ProfileCredentials::Key { cli_path } => {
            line = credential_process_line(cli_path, profile)?;
            vec![("region", region), ("credential_process", &line)]
        }
        ProfileCredentials::MfaSession {
            cli_path,
            mfa_serial,
            length,
        } => {
            line = format!(
                "{} --mfa-session {}",
                credential_process_line(cli_path, profile)?,
                mfa_session::format_length(*length)
            );
            vec![("region", region), ("credential_process", &line), ("mfa_serial", mfa_serial)]
        }
        ProfileCredentials::Login { user_arn } => vec![("region", region), ("login_session", user_arn)],
    };
    let resource = Resource::AwsCliProfile {
        profile: profile.to_string(),
    };
    let path = write_own_profile(journal, resource, profile, true, &settings, replace_existing)?;
    let other_ways: Vec<&str> = aws_cli_config::APP_CONFIG_KEYS
        .into_iter()
        .filter(|key| !settings.iter().any(|(set, _)| set == key))
        .collect();
    aws_cli_config::drop_config_keys(profile, &other_ways)?;
    // A cached session of an earlier set-up would outlive its way. Best
    // effort: without `credential_process --mfa-session` nothing reads it.
    if !matches!(credentials, ProfileCredentials::MfaSession { .. }) {
        if let Err(err) = mfa_session::forget(profile) {
            tracing::warn!(code = err.code().as_str(), "an earlier MFA session stays cached until it expires");
        }
    }
    Ok(path)
}

/// Writes the app's keys into a profile. A profile that is there and not the
/// app's is changed only with `replace_existing`. The write is marked in the
/// journal before it happens, so a run cut short between the write and the
/// record still knows the profile as its own.
pub(crate) fn write_own_profile(
    journal: &mut Journal,
    resource: Resource,
    profile: &str,
    in_config_file: bool,
    settings: &[(&str, &str)],
    replace_existing: bool,
) -> Result<PathBuf> {
    let ours = journal.record_if_creating(&resource)?;
    if !ours && !replace_existing && aws_cli_config::has_profile(profile, in_config_file)? {
        // Asked for in the same words as the editor's own refusal.
        return aws_cli_config::upsert_profile(profile, in_config_file, settings, false, false);
    }
    journal.mark_creating(&resource)?;
    let path = aws_cli_config::upsert_profile(profile, in_config_file, settings, true, replace_existing)?;
    crash_point!("handoff.profile_written");
    journal.record(resource)?;
    Ok(path)
}

/// Plaintext keys in `~/.aws/credentials`: only when the user asked for it.
/// An existing credentials profile that is not the app's is changed only with `replace_existing`.
pub fn write_plaintext_credentials(journal: &mut Journal, profile: &str, replace_existing: bool) -> Result<PathBuf> {
    let key = keychain::load_access_key(profile)?.ok_or(EngineError::NeedsEarlierStep(crate::walkthrough::StepId::AccessKey))?;
    write_own_profile(
        journal,
        Resource::CredentialsFileProfile {
            profile: profile.to_string(),
        },
        profile,
        false,
        &[
            ("aws_access_key_id", &key.access_key_id),
            ("aws_secret_access_key", key.secret_access_key.expose_secret()),
        ],
        replace_existing,
    )
}

fn write_csv(path: &Path, header: &[&str], row: &[&str], overwrite: Overwrite) -> Result<()> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let csv_err = |e: csv::Error| EngineError::Internal(e.to_string());
    writer.write_record(header).map_err(csv_err)?;
    writer.write_record(row).map_err(csv_err)?;
    let body = Zeroizing::new(writer.into_inner().map_err(|e| EngineError::Internal(e.to_string()))?);
    let mut bytes = Zeroizing::new(Vec::with_capacity(BOM.len() + body.len()));
    bytes.extend_from_slice(BOM.as_bytes());
    bytes.extend_from_slice(&body);
    files::write_atomic(path, &bytes, overwrite)
}

/// The IAM console's user-credentials file: `User name,Password,Console sign-in URL`.
pub(crate) fn export_console_csv(
    path: &Path,
    user_name: &str,
    password: &SecretString,
    sign_in_url: &str,
    overwrite: Overwrite,
) -> Result<()> {
    write_csv(
        path,
        &["User name", "Password", "Console sign-in URL"],
        &[user_name, password.expose_secret(), sign_in_url],
        overwrite,
    )
}

/// The format `aws configure import --csv file://F` reads; the profile it
/// creates is named after the User Name column.
pub(crate) fn export_cli_import_csv(
    path: &Path,
    user_name: &str,
    access_key_id: &str,
    secret_access_key: &SecretString,
    overwrite: Overwrite,
) -> Result<()> {
    write_csv(
        path,
        &["User Name", "Access key ID", "Secret access key"],
        &[user_name, access_key_id, secret_access_key.expose_secret()],
        overwrite,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_process_quotes_the_absolute_path() {
        let line = credential_process_line(Path::new("/opt/AWS Setup/aws-setup"), "aws.user1").unwrap();
        assert_eq!(line, "\"/opt/AWS Setup/aws-setup\" credential-process --profile aws.user1");
        assert!(credential_process_line(Path::new("aws-setup"), "x").is_err());
    }

    #[test]
    fn csv_exports_have_bom_headers_and_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.csv");
        let secret = SecretString::from("abc/DEF+ghi".to_string());
        export_cli_import_csv(&path, "aws.user1", "AKIAEXAMPLE", &secret, Overwrite::Refuse).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "\u{feff}User Name,Access key ID,Secret access key\r\naws.user1,AKIAEXAMPLE,abc/DEF+ghi\r\n"
        );
        let again = export_cli_import_csv(&path, "aws.user1", "AKIAEXAMPLE", &secret, Overwrite::Refuse);
        assert_eq!(again.unwrap_err().code(), "file.exists");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
