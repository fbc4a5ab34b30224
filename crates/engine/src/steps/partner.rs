//! Step "partner": the support user a billing partner asks for (the older
//! onboarding guide's `gs-support`): console access with a generated password,
//! rights to look at the account and to handle support cases, and an access key.
//! It is never "read-only": AWSSupportAccess opens and manages support cases,
//! and the seed's ReadOnlyAccess also reads data (S3 objects, DynamoDB items).
//! The stricter preset, ViewOnlyAccess, lists and describes but reads no data. What is safe to send goes
//! on a hand-off sheet; the password and the secret go into a separate
//! password-protected file, whose password is shared another way (by phone).

use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::iam;
use crate::journal::{Journal, Resource};
use crate::keychain;
use crate::lang::Lang;
use crate::ownership::{self, UserClaim};
use crate::passwords;
use crate::steps::admin_user;
use crate::validation;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;
use ts_rs::TS;
use zeroize::Zeroizing;

pub const DEFAULT_USER_NAME: &str = "gs-support";
pub(crate) const READ_ONLY_ACCESS: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
pub(crate) const VIEW_ONLY_ACCESS: &str = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";
pub(crate) const SUPPORT_ACCESS: &str = "arn:aws:iam::aws:policy/AWSSupportAccess";

/// Which rights the partner user gets. Both can open and manage support cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum PartnerPreset {
    /// The onboarding guide's (seed 000): ReadOnlyAccess + AWSSupportAccess.
    /// ReadOnlyAccess can read data, such as the objects in S3 buckets.
    #[default]
    ReadOnlyAndSupport,
    /// Stricter: ViewOnlyAccess + AWSSupportAccess. Sees what exists and its
    /// settings, but not the data inside.
    ViewOnlyAndSupport,
}

impl PartnerPreset {
    pub const ALL: [PartnerPreset; 2] = [PartnerPreset::ReadOnlyAndSupport, PartnerPreset::ViewOnlyAndSupport];

    pub const fn policy_arns(self) -> [&'static str; 2] {
        match self {
            PartnerPreset::ReadOnlyAndSupport => [READ_ONLY_ACCESS, SUPPORT_ACCESS],
            PartnerPreset::ViewOnlyAndSupport => [VIEW_ONLY_ACCESS, SUPPORT_ACCESS],
        }
    }

    /// The other presets' policies that this one does not use: detached when
    /// the user switches presets, so the rights are exactly the chosen ones.
    pub fn policies_to_remove(self) -> Vec<&'static str> {
        let keep = self.policy_arns();
        PartnerPreset::ALL
            .iter()
            .flat_map(|p| p.policy_arns())
            .filter(|arn| !keep.contains(arn))
            .collect()
    }
}

/// Whether a user's attached policies look like a partner support user's
/// (made by this app or by hand from the onboarding guide): support-case
/// rights and a look at the account, and nothing more.
pub(crate) fn looks_like_partner(policies: &[String]) -> bool {
    policies.iter().any(|p| p == SUPPORT_ACCESS) && policies.iter().any(|p| p == READ_ONLY_ACCESS || p == VIEW_ONLY_ACCESS)
}

pub(crate) fn secrets_account(account_id: &str, user_name: &str) -> String {
    format!("partner/{account_id}/{user_name}")
}

/// What the partner needs; held in zeroizing fields and kept in the keychain.
#[derive(Default, Serialize, Deserialize)]
pub struct PartnerSecrets {
    pub password: String,
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl Drop for PartnerSecrets {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.password.zeroize();
        self.secret_access_key.zeroize();
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct PartnerHandoff {
    pub user_name: String,
    pub sign_in_url: String,
    pub access_key_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum PartnerOutcome {
    Ready { handoff: PartnerHandoff, created_now: bool },
    NameTaken { existing_user_name: String },
}

pub(crate) fn load_secrets(account_id: &str, user_name: &str) -> Result<Option<PartnerSecrets>> {
    match keychain::get(&secrets_account(account_id, user_name))? {
        Some(json) => Ok(serde_json::from_str(json.expose_secret()).ok()),
        None => Ok(None),
    }
}

fn save_secrets(account_id: &str, user_name: &str, secrets: &PartnerSecrets) -> Result<()> {
    let json = Zeroizing::new(serde_json::to_string(secrets).map_err(|e| EngineError::Internal(e.to_string()))?);
    keychain::set(&secrets_account(account_id, user_name), &SecretString::from(json.as_str()))
}

/// Creates (or finds again) the partner user with the preset's policies.
pub async fn create_with_preset(
    connection: &Connection,
    journal: &mut Journal,
    account_id: &str,
    user_name: &str,
    sign_in_url: &str,
    preset: PartnerPreset,
) -> Result<PartnerOutcome> {
    let user_name = user_name.trim();
    validation::user_name(user_name)?;
    let mut created_now = false;
    match ownership::claim_user(connection, journal, user_name, None, Vec::new()).await? {
        UserClaim::Created { .. } => created_now = true,
        UserClaim::Ours { .. } => {}
        UserClaim::Taken { existing_user_name } => return Ok(PartnerOutcome::NameTaken { existing_user_name }),
    }
    for arn in preset.policy_arns() {
        admin_user::attach_user_policy(connection, journal, user_name, arn).await?;
    }
    let attached = iam::user_policies(connection, user_name).await?;
    for arn in preset.policies_to_remove() {
        if attached.iter().any(|a| a == arn) {
            iam::detach_user_policy(connection, user_name, arn).await?;
        }
    }

    let mut secrets = load_secrets(account_id, user_name)?.unwrap_or_default();
    let account = secrets_account(account_id, user_name);
    let has_login_profile = iam::has_login_profile(connection, user_name).await?;
    if secrets.password.is_empty() || !has_login_profile {
        if has_login_profile {
            iam::delete_login_profile(connection, user_name).await?;
        }
        secrets.password = passwords::generate().expose_secret().to_string();
        // Kept before AWS sees it.
        save_secrets(account_id, user_name, &secrets)?;
        journal.record(Resource::KeychainEntry { account: account.clone() })?;
        iam::create_login_profile(connection, user_name, &SecretString::from(secrets.password.clone()), false).await?;
        journal.record(Resource::LoginProfile {
            user_name: user_name.into(),
        })?;
        created_now = true;
    }

    let keys = iam::access_keys(connection, user_name).await?.unwrap_or_default();
    let has_known_key = keys.iter().any(|k| k.access_key_id() == Some(secrets.access_key_id.as_str()));
    if !has_known_key {
        for k in &keys {
            iam::delete_access_key(connection, Some(user_name), k.access_key_id().unwrap_or_default()).await?;
        }
        let key = iam::create_access_key(connection, user_name).await?;
        secrets.access_key_id = key.access_key_id;
        secrets.secret_access_key = key.secret_access_key.expose_secret().to_string();
        save_secrets(account_id, user_name, &secrets)?;
        journal.record(Resource::AccessKey {
            user_name: user_name.into(),
            access_key_id: secrets.access_key_id.clone(),
        })?;
        created_now = true;
    }
    Ok(PartnerOutcome::Ready {
        handoff: PartnerHandoff {
            user_name: user_name.into(),
            sign_in_url: sign_in_url.into(),
            access_key_id: secrets.access_key_id.clone(),
        },
        created_now,
    })
}

/// The warning every hand-off carries, in both languages.
pub const WARNING_KO: &str =
    "암호와 비밀 액세스 키를 이 안내서와 함께 평문 이메일로 보내지 마세요. 암호로 잠근 파일로 따로 보내고, 파일 암호는 전화로 알려 주세요.";
pub const WARNING_EN: &str =
    "Never email the password and the secret access key together with this sheet in plain text. Send them in the locked file, separately, and give the file's password by phone.";

/// The sheet to send: no password, no secret.
pub(crate) fn write_sheet(path: &Path, handoff: &PartnerHandoff, lang: Lang, overwrite: Overwrite) -> Result<()> {
    let text = format!(
        "# {}\n\n- {}: {}\n- {}: {}\n- {}: {}\n\n> {}\n>\n> {}\n",
        lang.pick("AWS 파트너 지원 사용자 안내", "AWS partner support user"),
        lang.pick("사용자 이름", "User name"),
        handoff.user_name,
        lang.pick("로그인 주소", "Sign-in URL"),
        handoff.sign_in_url,
        lang.pick("액세스 키 ID", "Access key ID"),
        handoff.access_key_id,
        WARNING_KO,
        WARNING_EN,
    );
    files::write_atomic(path, text.as_bytes(), overwrite)
}

/// The password and the secret in an AES-256 ZIP. Returns the ZIP's password,
/// to be shown to the user once and shared by phone.
pub(crate) fn write_locked_zip(
    path: &Path,
    handoff: &PartnerHandoff,
    secrets: &PartnerSecrets,
    overwrite: Overwrite,
) -> Result<SecretString> {
    let zip_password = passwords::generate();
    let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let internal = |e: &dyn std::fmt::Display| EngineError::Internal(e.to_string());
    csv.write_record(["User name", "Password", "Console sign-in URL", "Access key ID", "Secret access key"])
        .map_err(|e| internal(&e))?;
    csv.write_record([
        handoff.user_name.as_str(),
        &secrets.password,
        &handoff.sign_in_url,
        &secrets.access_key_id,
        &secrets.secret_access_key,
    ])
    .map_err(|e| internal(&e))?;
    let csv = Zeroizing::new(csv.into_inner().map_err(|e| internal(&e))?);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .with_aes_encryption(zip::AesMode::Aes256, zip_password.expose_secret());
    zip.start_file(format!("{}_credentials.csv", handoff.user_name), options)
        .map_err(|e| internal(&e))?;
    zip.write_all(&csv).map_err(|e| internal(&e))?;
    let bytes = zip.finish().map_err(|e| internal(&e))?.into_inner();
    files::write_atomic(path, &bytes, overwrite)?;
    Ok(zip_password)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_presets_handle_support_cases_and_the_stricter_one_reads_no_data() {
        assert_eq!(
            PartnerPreset::default().policy_arns(),
            [READ_ONLY_ACCESS, SUPPORT_ACCESS],
            "the seed's default"
        );
        for preset in PartnerPreset::ALL {
            assert!(preset.policy_arns().contains(&SUPPORT_ACCESS));
        }
        assert_eq!(
            PartnerPreset::ViewOnlyAndSupport.policy_arns(),
            ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess", SUPPORT_ACCESS]
        );
        assert_eq!(PartnerPreset::ViewOnlyAndSupport.policies_to_remove(), vec![READ_ONLY_ACCESS]);
        assert_eq!(PartnerPreset::ReadOnlyAndSupport.policies_to_remove(), vec![VIEW_ONLY_ACCESS]);
        assert_eq!(
            serde_json::to_string(&PartnerPreset::ViewOnlyAndSupport).unwrap(),
            "\"view_only_and_support\""
        );
    }

    #[test]
    fn a_partner_user_is_told_apart_by_its_policies() {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(looks_like_partner(&owned(&PartnerPreset::default().policy_arns())));
        assert!(looks_like_partner(&owned(&PartnerPreset::ViewOnlyAndSupport.policy_arns())));
        assert!(!looks_like_partner(&owned(&[SUPPORT_ACCESS])));
        assert!(!looks_like_partner(&owned(&[
            "arn:aws:iam::aws:policy/AdministratorAccess",
            READ_ONLY_ACCESS
        ])));
        assert!(!looks_like_partner(&[]));
    }

    #[test]
    fn the_locked_zip_opens_only_with_its_password_and_the_sheet_holds_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let handoff = PartnerHandoff {
            user_name: "gs-support".into(),
            sign_in_url: "https://aws-hong.signin.aws.amazon.com/console".into(),
            access_key_id: "AKIAPARTNER000000001".into(),
        };
        let secrets = PartnerSecrets {
            password: "Partner-Pass-123!".into(),
            access_key_id: "AKIAPARTNER000000001".into(),
            secret_access_key: "partner/secret+key".into(),
        };
        let zip_path = dir.path().join("gs-support.zip");
        let password = write_locked_zip(&zip_path, &handoff, &secrets, Overwrite::Refuse).unwrap();
        let raw = std::fs::read(&zip_path).unwrap();
        assert!(!raw.windows(8).any(|w| w == b"Partner-"), "the password is not in the clear");
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
        assert!(archive.by_name_decrypt("gs-support_credentials.csv", b"wrong password").is_err());
        let mut text = String::new();
        archive
            .by_name_decrypt("gs-support_credentials.csv", password.expose_secret().as_bytes())
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.contains("Partner-Pass-123!") && text.contains("partner/secret+key"));

        let sheet = dir.path().join("sheet.md");
        write_sheet(&sheet, &handoff, Lang::Ko, Overwrite::Refuse).unwrap();
        let sheet = std::fs::read_to_string(sheet).unwrap();
        assert!(sheet.contains("AKIAPARTNER000000001") && sheet.contains(WARNING_EN) && sheet.contains(WARNING_KO));
        assert!(!sheet.contains("Partner-Pass-123!") && !sheet.contains("partner/secret+key"));
    }
}
