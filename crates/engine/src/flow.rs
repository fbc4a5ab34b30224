//! The headless walkthrough of the API steps, as `aws-setup run` drives it:
//! `setup.toml`, and a plain loop over the service's methods (the same the
//! window calls), so a second run after a crash picks up where the first
//! stopped, and a run after success changes nothing.

use crate::connection::CredentialSource;
use crate::crash_points::crash_point;
use crate::error::{EngineError, Result};
use crate::session::{AdminUserForm, CliProfileForm, ExportKind, WizardSession};
use crate::steps::access_key::{self, AccessKeyOutcome};
use crate::steps::alias::{self, AliasOutcome};
use crate::steps::handoff::CliAccess;
use crate::steps::user_mfa::{self, MfaBegin};
use crate::steps::{account_status, admin_user, bootstrap_cleanup, identity};
use crate::walkthrough::StepId;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// `setup.toml`. Everything but the alias has the handout's defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupConfig {
    /// The region the AWS CLI profile uses.
    #[serde(default = "default_region")]
    pub region: String,
    #[serde(default)]
    pub connect: ConnectConfig,
    #[serde(default)]
    pub bootstrap: BootstrapConfig,
    pub alias: Option<AliasConfig>,
    #[serde(default)]
    pub admin_user: AdminUserConfig,
    #[serde(default)]
    pub user_mfa: UserMfaConfig,
    #[serde(default)]
    pub access_key: AccessKeyConfig,
    #[serde(default)]
    pub handoff: HandoffConfig,
    /// Take over what a half-done handout made by hand: an alias already set,
    /// and an admin user of the configured name with AdministratorAccess.
    /// Nothing of it is changed or deleted, and teardown leaves it.
    #[serde(default)]
    pub adopt: bool,
}

fn default_region() -> String {
    "ap-northeast-2".into()
}

/// How `run` gets its first permission.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConnectConfig {
    pub method: ConnectMethod,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectMethod {
    /// `aws login` in the browser (AWS CLI 2.32+): no root key is made.
    Console,
    /// The key or profile given on the command line (or the default chain).
    #[default]
    Key,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BootstrapConfig {
    /// A pasted IAM user's key that should be deleted at the end, like a root key.
    /// (A root key is always deleted at the end.)
    #[serde(default)]
    pub temporary: bool,
    /// You signed in to the console as the admin user (password and MFA), so
    /// the temporary key may be deleted. Without it, `run` stops before the
    /// clean-up with the sign-in details (or run `aws-setup confirm admin-sign-in`).
    #[serde(default)]
    pub admin_sign_in_confirmed: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasConfig {
    pub name: String,
    #[serde(default)]
    pub replace_existing: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminUserConfig {
    pub name: String,
    pub reset_required: bool,
    pub rights: admin_user::AdminRights,
    pub password_policy: bool,
}

impl Default for AdminUserConfig {
    fn default() -> Self {
        AdminUserConfig {
            name: admin_user::DEFAULT_USER_NAME.into(),
            reset_required: false,
            rights: admin_user::AdminRights::Group,
            password_policy: true,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UserMfaConfig {
    /// Defaults to the user name.
    pub device_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccessKeyConfig {
    pub description: String,
    /// The AWS CLI profile and keychain entry; defaults to the user name.
    pub profile: Option<String>,
}

impl Default for AccessKeyConfig {
    fn default() -> Self {
        AccessKeyConfig {
            description: access_key::DEFAULT_DESCRIPTION.into(),
            profile: None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HandoffConfig {
    pub cli_profile: bool,
    /// How the profile gets credentials: `login` (no key), `mfa-session` or `key`.
    pub cli_access: CliAccess,
    /// MFA sessions only: `90m`, `12h`; 12 hours when absent.
    pub mfa_session_length: Option<String>,
    /// Plaintext keys in ~/.aws/credentials: off unless asked for.
    pub plaintext_credentials: bool,
    pub console_csv: Option<PathBuf>,
    pub cli_csv: Option<PathBuf>,
}

impl Default for HandoffConfig {
    fn default() -> Self {
        HandoffConfig {
            cli_profile: true,
            cli_access: CliAccess::Key,
            mfa_session_length: None,
            plaintext_credentials: false,
            console_csv: None,
            cli_csv: None,
        }
    }
}

impl SetupConfig {
    pub fn parse(text: &str) -> std::result::Result<SetupConfig, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    pub fn profile(&self) -> String {
        self.access_key.profile.clone().unwrap_or_else(|| self.admin_user.name.clone())
    }

    /// Every input checked before the first AWS call, so a typo never leaves
    /// a half-done account.
    pub fn validate(&self) -> Result<()> {
        crate::connection::validate_region(&self.region)?;
        if let Some(alias) = &self.alias {
            alias::validate(&alias.name)?;
        }
        crate::validation::user_name(&self.admin_user.name)?;
        user_mfa::validate_device_name(self.device_name())?;
        access_key::validate_description(&self.access_key.description)?;
        crate::aws_cli_config::validate_profile_name(&self.profile())?;
        if let Some(length) = &self.handoff.mfa_session_length {
            crate::mfa_session::parse_length(length)?;
        }
        let key_files = self.handoff.cli_csv.is_some() || self.handoff.plaintext_credentials;
        if !self.handoff.cli_access.needs_key() && key_files {
            return Err(crate::validation::Invalid::NoKeyToExport.into());
        }
        Ok(())
    }

    pub fn device_name(&self) -> &str {
        self.user_mfa.device_name.as_deref().unwrap_or(&self.admin_user.name)
    }
}

/// Where the caller is told what happens, and asked for what only a person has.
pub trait FlowEvents {
    fn step_done(&mut self, step: StepId, summary: &StepSummary);
    /// Two consecutive codes for the QR the user scanned; `None` lets this
    /// computer act as the authenticator and keeps the seed in the keychain.
    /// `setup_key` is the QR's seed as text, for an authenticator that cannot scan.
    fn mfa_codes(&mut self, qr_terminal: &str, setup_key: &secrecy::SecretString) -> Option<(String, String)>;
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StepSummary {
    Identity {
        identity: identity::Identity,
    },
    AccountStatus {
        status: account_status::AccountStatus,
    },
    Alias {
        outcome: alias::AliasOutcome,
    },
    AdminUser {
        outcome: admin_user::AdminUserOutcome,
    },
    UserMfa {
        serial_number: String,
        this_computer: bool,
    },
    AccessKey {
        outcome: access_key::AccessKeyOutcome,
    },
    /// CLI access by console sign-in: the profile, signed in; no key.
    CliSignIn {
        profile: String,
    },
    Handoff {
        profile: Option<String>,
        credentials_file: Option<PathBuf>,
        exported: Vec<Export>,
    },
    BootstrapCleanup {
        outcome: bootstrap_cleanup::CleanupOutcome,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Export {
    pub path: PathBuf,
    /// False when a file was already there and was left as it was.
    pub written: bool,
}

/// Why the flow stopped before the end without an error: the user has to decide.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Stopped {
    Finished,
    NeedsDecision {
        step: StepId,
        summary: StepSummary,
    },
    /// The temporary key waits until the user has signed in to the console as the admin user.
    AdminSignIn {
        sign_in_url: String,
        user_name: String,
    },
}

pub struct FlowContext<'a> {
    pub bootstrap: &'a CredentialSource,
    pub config: &'a SetupConfig,
    /// The absolute path of the `aws-setup` binary, for `credential_process`.
    pub cli_path: &'a Path,
    /// The user said yes to changing an AWS CLI profile they already had.
    pub replace_profile: bool,
}

/// Runs every API step that is not done yet, through the same service
/// methods the window calls.
pub async fn run(ctx: &FlowContext<'_>, session: &WizardSession, events: &mut dyn FlowEvents) -> Result<Stopped> {
    ctx.config.validate()?;
    let config = ctx.config;
    let profile = config.profile();

    // Once the bootstrap key is deleted, the admin's own key carries on.
    let connected = if session.bootstrap_key_deleted().await? {
        session.resume_admin(&profile).await?;
        session.connect_as_admin().await?
    } else if config.connect.method == ConnectMethod::Console {
        session.console_sign_in(&config.region, false).await?
    } else {
        match session.connect(ctx.bootstrap, config.bootstrap.temporary).await {
            // The bootstrap key no longer signs (its deletion not yet confirmed):
            // the admin's key carries on, and clean-up confirms it.
            Err(EngineError::InvalidCredentials) if session.resume_admin(&profile).await? => session.connect_as_admin().await?,
            other => other?,
        }
    };
    // Connecting reconciled drift: what was deleted by hand is to do again.
    session.resume_admin(&profile).await?;
    events.step_done(
        StepId::Identity,
        &StepSummary::Identity {
            identity: connected.identity,
        },
    );
    events.step_done(StepId::Checkup, &StepSummary::AccountStatus { status: connected.account });

    if let Some(alias_config) = &config.alias {
        if !session.is_done(StepId::Alias).await? {
            let mut outcome = session.set_alias(&alias_config.name, alias_config.replace_existing).await?;
            if config.adopt && matches!(outcome, AliasOutcome::OtherAliasExists { .. }) {
                outcome = session.keep_alias().await?;
            }
            let needs_decision = matches!(outcome, AliasOutcome::Taken { .. } | AliasOutcome::OtherAliasExists { .. });
            let summary = StepSummary::Alias { outcome };
            if needs_decision {
                return Ok(Stopped::NeedsDecision {
                    step: StepId::Alias,
                    summary,
                });
            }
            events.step_done(StepId::Alias, &summary);
        }
    }

    if !session.is_done(StepId::AdminUser).await? {
        let form = AdminUserForm {
            user_name: config.admin_user.name.clone(),
            password: None,
            reset_required: config.admin_user.reset_required,
            rights: config.admin_user.rights,
            set_password_policy: config.admin_user.password_policy,
            adopt: config.adopt,
        };
        let outcome = session.create_admin_user(form).await?;
        let name_taken = matches!(outcome, admin_user::AdminUserOutcome::NameTaken { .. });
        let summary = StepSummary::AdminUser { outcome };
        if name_taken {
            return Ok(Stopped::NeedsDecision {
                step: StepId::AdminUser,
                summary,
            });
        }
        events.step_done(StepId::AdminUser, &summary);
    }

    if !session.is_done(StepId::UserMfa).await? {
        if let MfaBegin::ScanQr {
            serial_number,
            qr_terminal,
            ..
        } = session.begin_user_mfa(config.device_name()).await?
        {
            let setup_key = session.reveal_mfa_setup_key().await?;
            let this_computer = match events.mfa_codes(&qr_terminal, &setup_key) {
                Some((code1, code2)) => {
                    session.finish_user_mfa(&code1, &code2).await?;
                    false
                }
                None => {
                    session.this_computer_mfa(config.device_name()).await?;
                    true
                }
            };
            events.step_done(
                StepId::UserMfa,
                &StepSummary::UserMfa {
                    serial_number,
                    this_computer,
                },
            );
        }
    }

    let access = config.handoff.cli_access;
    if !access.needs_key() && (!session.is_done(StepId::AccessKey).await? || !session.has_admin().await) {
        // No key: the profile is set up for `aws login` as the admin, who
        // signs in once in the browser; that session acts from then on.
        session.configure_cli_profile(&profile_form(ctx, &profile), ctx.cli_path).await?;
        if !session.has_admin().await {
            session.sign_in_cli_profile(&profile).await?;
        }
        events.step_done(StepId::AccessKey, &StepSummary::CliSignIn { profile: profile.clone() });
    }
    if access.needs_key() && (!session.is_done(StepId::AccessKey).await? || !session.has_admin().await) {
        let outcome = session.create_access_key(&config.access_key.description, &profile, true).await?;
        match &outcome {
            AccessKeyOutcome::Ready { .. } => events.step_done(StepId::AccessKey, &StepSummary::AccessKey { outcome }),
            AccessKeyOutcome::MustExport { .. } => {
                if let Some(path) = &config.handoff.cli_csv {
                    session.export_csv(ExportKind::CliImport, path, false).await?;
                }
                return Err(EngineError::KeychainUnavailable("the new key was exported instead".into()));
            }
            _ => {
                return Ok(Stopped::NeedsDecision {
                    step: StepId::AccessKey,
                    summary: StepSummary::AccessKey { outcome },
                })
            }
        }
    }
    if !session.has_admin().await {
        return Err(EngineError::NeedsEarlierStep(StepId::AccessKey));
    }

    // The profile alone marks the step done (as in the window), so a run cut
    // short between it and the exports still owes the exports.
    let export_missing = [&config.handoff.console_csv, &config.handoff.cli_csv]
        .into_iter()
        .any(|path| path.as_ref().is_some_and(|p| !p.exists()));
    if !session.is_done(StepId::Handoff).await? || export_missing {
        let summary = run_handoff(ctx, session, &profile).await?;
        session.finish_handoff().await?;
        events.step_done(StepId::Handoff, &summary);
    }

    if session.is_done(StepId::BootstrapCleanup).await? {
        session.sign_out_set_up().await?;
    } else {
        if config.bootstrap.admin_sign_in_confirmed {
            session.confirm_admin_sign_in().await?;
        }
        let outcome = match session.cleanup_bootstrap().await {
            Err(EngineError::AdminSignInNotConfirmed) => {
                let sign_in = session.admin_sign_in().await?;
                return Ok(Stopped::AdminSignIn {
                    sign_in_url: sign_in.sign_in_url,
                    user_name: sign_in.user_name,
                });
            }
            other => other?,
        };
        events.step_done(StepId::BootstrapCleanup, &StepSummary::BootstrapCleanup { outcome });
    }
    Ok(Stopped::Finished)
}

fn profile_form(ctx: &FlowContext<'_>, profile: &str) -> CliProfileForm {
    CliProfileForm {
        profile: profile.to_string(),
        region: ctx.config.region.clone(),
        access: ctx.config.handoff.cli_access,
        session_length: ctx.config.handoff.mfa_session_length.clone(),
        replace_existing: ctx.replace_profile,
    }
}

async fn run_handoff(ctx: &FlowContext<'_>, session: &WizardSession, profile: &str) -> Result<StepSummary> {
    let config = &ctx.config.handoff;
    let cli_profile = if config.cli_profile {
        session.configure_cli_profile(&profile_form(ctx, profile), ctx.cli_path).await?;
        Some(profile.to_string())
    } else {
        None
    };
    let credentials_file = if config.plaintext_credentials {
        Some(session.write_plaintext_credentials(profile, ctx.replace_profile).await?)
    } else {
        None
    };
    let mut exported = Vec::new();
    for (kind, path) in [(ExportKind::Console, &config.console_csv), (ExportKind::CliImport, &config.cli_csv)] {
        let Some(path) = path else { continue };
        let path = &std::path::absolute(path).map_err(|e| EngineError::file(path, &e))?;
        // A file that is there already is left as it was.
        let written = !path.exists();
        if written {
            session.export_csv(kind, path, false).await?;
            crash_point!("handoff.csv_exported");
        }
        exported.push(Export {
            path: path.clone(),
            written,
        });
    }
    Ok(StepSummary::Handoff {
        profile: cli_profile,
        credentials_file,
        exported,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A section with one field takes the documented defaults for the rest.
    #[test]
    fn every_section_may_hold_a_single_field() {
        let config = SetupConfig::parse(
            r#"
[bootstrap]
temporary = true
[alias]
name = "aws-hong"
[admin_user]
name = "aws.admin"
[user_mfa]
device_name = "phone"
[access_key]
profile = "lab"
[handoff]
plaintext_credentials = false
"#,
        )
        .unwrap();
        assert_eq!(config.admin_user.name, "aws.admin");
        assert!(!config.admin_user.reset_required && config.admin_user.password_policy);
        assert_eq!(config.access_key.description, access_key::DEFAULT_DESCRIPTION);
        assert_eq!(config.profile(), "lab");
        assert!(config.handoff.cli_profile);
        assert_eq!(config.device_name(), "phone");
        assert!(config.validate().is_ok());
        let single: SetupConfig = SetupConfig::parse("[admin_user]\nreset_required = true\n").unwrap();
        assert_eq!(single.admin_user.name, admin_user::DEFAULT_USER_NAME);
        assert!(
            SetupConfig::parse("[admin_user]\nnmae = \"typo\"\n").is_err(),
            "unknown fields are still refused"
        );
    }
}
