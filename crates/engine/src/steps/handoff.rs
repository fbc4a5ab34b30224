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
use secrecy::{ExposeSecret, SecretString};
use std::path::{Path, PathBuf};
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

/// Adds (or updates) `[profile NAME]` with `credential_process` and a region.
/// An existing profile that is not the app's is changed only with `replace_existing`.
pub fn configure_cli_profile(
    journal: &mut Journal,
    profile: &str,
    region: &str,
    cli_path: &Path,
    replace_existing: bool,
) -> Result<PathBuf> {
    validate_region(region)?;
    let line = credential_process_line(cli_path, profile)?;
    let resource = Resource::AwsCliProfile {
        profile: profile.to_string(),
    };
    write_own_profile(
        journal,
        resource,
        profile,
        true,
        &[("region", region), ("credential_process", &line)],
        replace_existing,
    )
}

/// Writes the app's keys into a profile. A profile that is there and not the
/// app's is changed only with `replace_existing`. The write is marked in the
/// journal before it happens, so a run cut short between the write and the
/// record still knows the profile as its own.
fn write_own_profile(
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
