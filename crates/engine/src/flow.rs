//! The headless walkthrough of the API steps, as `aws-setup run` drives it:
//! a plain sequence over the journal, so a second run after a crash picks up
//! where the first stopped, and a run after success changes nothing.

use crate::connection::{ConnectOptions, Connection, CredentialSource};
use crate::error::{EngineError, Result};
use crate::files::Overwrite;
use crate::journal::{Bootstrap, Journal};
use crate::keychain;
use crate::steps::{access_key, account_status, admin_user, alias, bootstrap_cleanup, handoff, identity, user_mfa};
use crate::walkthrough::{StepId, StepState};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `setup.toml`. Everything but the alias has the handout's defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupConfig {
    /// The region the AWS CLI profile uses.
    #[serde(default = "default_region")]
    pub region: String,
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
}

fn default_region() -> String {
    "ap-northeast-2".into()
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapConfig {
    /// A pasted IAM user's key that should be deleted at the end, like a root key.
    /// (A root key is always deleted at the end.)
    #[serde(default)]
    pub temporary: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasConfig {
    pub name: String,
    #[serde(default)]
    pub replace_existing: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct UserMfaConfig {
    /// Defaults to the user name.
    pub device_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct HandoffConfig {
    pub cli_profile: bool,
    /// Plaintext keys in ~/.aws/credentials: off unless asked for.
    pub plaintext_credentials: bool,
    pub console_csv: Option<PathBuf>,
    pub cli_csv: Option<PathBuf>,
}

impl Default for HandoffConfig {
    fn default() -> Self {
        HandoffConfig {
            cli_profile: true,
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
    fn mfa_codes(&mut self, qr_terminal: &str) -> Option<(String, String)>;
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
    NeedsDecision { step: StepId, summary: StepSummary },
}

pub struct FlowContext<'a> {
    pub bootstrap: &'a CredentialSource,
    pub options: &'a ConnectOptions,
    pub config: &'a SetupConfig,
    /// The absolute path of the `aws-setup` binary, for `credential_process`.
    pub cli_path: &'a Path,
}

fn done(journal: &Journal, step: StepId) -> bool {
    matches!(journal.state(step), StepState::Done { .. } | StepState::Skipped)
}

/// The admin user's own connection, once its key is in the keychain.
async fn admin_connection(ctx: &FlowContext<'_>) -> Result<Option<Connection>> {
    match keychain::load_access_key(&ctx.config.profile())? {
        Some(_) => Ok(Some(
            access_key::wait_until_usable(&ctx.config.profile(), ctx.options, Duration::from_secs(60)).await?,
        )),
        None => Ok(None),
    }
}

pub async fn run(ctx: &FlowContext<'_>, journal: &mut Journal, events: &mut dyn FlowEvents) -> Result<Stopped> {
    ctx.config.validate()?;
    let config = ctx.config;
    let profile = config.profile();

    // Once the bootstrap key is deleted, the admin's own key carries on.
    let bootstrap_deleted = matches!(journal.data.bootstrap, Some(Bootstrap::TemporaryKey { deleted: true, .. }));
    let bootstrap = if bootstrap_deleted {
        None
    } else {
        Some(Connection::open(ctx.bootstrap, ctx.options).await?)
    };
    let mut admin = if journal.state(StepId::AccessKey) != StepState::Todo {
        admin_connection(ctx).await?
    } else {
        None
    };
    let main = admin
        .clone()
        .or_else(|| bootstrap.clone())
        .ok_or(EngineError::NeedsEarlierStep("access_key"))?;

    let me = identity::who_am_i(&main).await?;
    journal.bind_account(&me.account_id)?;
    if journal.data.bootstrap.is_none() {
        journal.set_bootstrap(bootstrap_record(ctx.bootstrap, &me, config.bootstrap.temporary))?;
    }
    journal.set_state(StepId::Identity, StepState::Done { verified: true })?;
    events.step_done(StepId::Identity, &StepSummary::Identity { identity: me.clone() });

    let status = account_status::read(&main).await?;
    if status.root_mfa_enabled {
        journal.set_state(StepId::RootMfa, StepState::Done { verified: true })?;
    }
    events.step_done(StepId::Checkup, &StepSummary::AccountStatus { status });

    if let Some(alias_config) = &config.alias {
        if !done(journal, StepId::Alias) {
            let outcome = alias::set(&main, journal, &alias_config.name, &me.account_id, alias_config.replace_existing).await?;
            let summary = StepSummary::Alias { outcome: outcome.clone() };
            if matches!(
                outcome,
                alias::AliasOutcome::Taken { .. } | alias::AliasOutcome::OtherAliasExists { .. }
            ) {
                return Ok(Stopped::NeedsDecision {
                    step: StepId::Alias,
                    summary,
                });
            }
            events.step_done(StepId::Alias, &summary);
        }
    }

    let user_name = config.admin_user.name.clone();
    if !done(journal, StepId::AdminUser) {
        let request = admin_user::AdminUserRequest {
            user_name: user_name.clone(),
            password: admin_user::PasswordChoice::Generate,
            reset_required: config.admin_user.reset_required,
            rights: config.admin_user.rights,
            set_password_policy: config.admin_user.password_policy,
        };
        let outcome = admin_user::run(&main, journal, &me.account_id, &request).await?;
        let summary = StepSummary::AdminUser { outcome: outcome.clone() };
        if let admin_user::AdminUserOutcome::NameTaken { .. } = outcome {
            return Ok(Stopped::NeedsDecision {
                step: StepId::AdminUser,
                summary,
            });
        }
        events.step_done(StepId::AdminUser, &summary);
    }

    if !done(journal, StepId::UserMfa) {
        let (begin, enrollment) = user_mfa::begin(&main, journal, &user_name, config.device_name(), &me.account_id).await?;
        if let (user_mfa::MfaBegin::ScanQr { qr_terminal, .. }, Some(enrollment)) = (begin, enrollment) {
            let (codes, this_computer) = match events.mfa_codes(&qr_terminal) {
                Some(codes) => (codes, false),
                None => {
                    let account = keychain::mfa_seed_account(&me.account_id, &user_name);
                    keychain::set(
                        &account,
                        &SecretString::from(secrecy::ExposeSecret::expose_secret(&enrollment.seed).to_string()),
                    )?;
                    journal.record(crate::journal::Resource::KeychainEntry { account })?;
                    (user_mfa::codes_for_now(&enrollment.seed), true)
                }
            };
            user_mfa::finish(&main, journal, &enrollment, &codes.0, &codes.1).await?;
            events.step_done(
                StepId::UserMfa,
                &StepSummary::UserMfa {
                    serial_number: enrollment.serial_number.clone(),
                    this_computer,
                },
            );
        }
    }

    if !done(journal, StepId::AccessKey) || admin.is_none() {
        let request = access_key::AccessKeyRequest {
            user_name: &user_name,
            profile: &profile,
            description: &config.access_key.description,
            replace_lost: true,
        };
        let (outcome, pending) = access_key::create(&main, journal, &request).await?;
        let summary = StepSummary::AccessKey { outcome: outcome.clone() };
        match outcome {
            access_key::AccessKeyOutcome::Ready { .. } => {}
            access_key::AccessKeyOutcome::MustExport { .. } => {
                if let (Some(path), Some(secret)) = (&config.handoff.cli_csv, pending) {
                    handoff::export_cli_import_csv(
                        path,
                        &user_name,
                        &secret.access_key_id,
                        &secret.secret_access_key,
                        Overwrite::Refuse,
                    )?;
                }
                return Err(EngineError::KeychainUnavailable("the new key was exported instead".into()));
            }
            _ => {
                return Ok(Stopped::NeedsDecision {
                    step: StepId::AccessKey,
                    summary,
                })
            }
        }
        let connection = access_key::wait_until_usable(&profile, ctx.options, Duration::from_secs(60)).await?;
        journal.set_state(StepId::AccessKey, StepState::Done { verified: true })?;
        admin = Some(connection);
        events.step_done(StepId::AccessKey, &summary);
    }
    let admin = admin.ok_or(EngineError::NeedsEarlierStep("access_key"))?;

    if !done(journal, StepId::Handoff) {
        let summary = run_handoff(ctx, journal, &user_name, &profile, &me.account_id)?;
        journal.set_state(StepId::Handoff, StepState::Done { verified: false })?;
        events.step_done(StepId::Handoff, &summary);
    }

    if !done(journal, StepId::BootstrapCleanup) {
        let outcome = bootstrap_cleanup::run(bootstrap.as_ref(), &admin, journal).await?;
        events.step_done(StepId::BootstrapCleanup, &StepSummary::BootstrapCleanup { outcome });
    }
    Ok(Stopped::Finished)
}

fn bootstrap_record(source: &CredentialSource, me: &identity::Identity, temporary: bool) -> Bootstrap {
    match (source, &me.caller) {
        (CredentialSource::AccessKey { access_key_id, .. }, identity::CallerKind::Root) => Bootstrap::TemporaryKey {
            access_key_id: access_key_id.clone(),
            user_name: None,
            deleted: false,
        },
        (CredentialSource::AccessKey { access_key_id, .. }, identity::CallerKind::IamUser { user_name }) if temporary => {
            Bootstrap::TemporaryKey {
                access_key_id: access_key_id.clone(),
                user_name: Some(user_name.clone()),
                deleted: false,
            }
        }
        (CredentialSource::AccessKey { access_key_id, .. }, identity::CallerKind::IamUser { user_name }) => Bootstrap::IamUserKey {
            access_key_id: access_key_id.clone(),
            user_name: user_name.clone(),
        },
        _ => Bootstrap::Existing {
            description: me.arn.clone(),
        },
    }
}

fn run_handoff(ctx: &FlowContext<'_>, journal: &mut Journal, user_name: &str, profile: &str, account_id: &str) -> Result<StepSummary> {
    let config = &ctx.config.handoff;
    let mut exported = Vec::new();
    let cli_profile = if config.cli_profile {
        handoff::configure_cli_profile(journal, profile, &ctx.config.region, ctx.cli_path)?;
        Some(profile.to_string())
    } else {
        None
    };
    let credentials_file = if config.plaintext_credentials {
        Some(handoff::write_plaintext_credentials(journal, profile)?)
    } else {
        None
    };
    let sign_in = alias::sign_in_url(ctx.config.alias.as_ref().map(|a| a.name.as_str()).unwrap_or(account_id));
    if let Some(path) = &config.console_csv {
        let written = !path.exists();
        if written {
            let password =
                keychain::get(&admin_user::password_account(account_id, user_name))?.ok_or(EngineError::NeedsEarlierStep("admin_user"))?;
            handoff::export_console_csv(path, user_name, &password, &sign_in, Overwrite::Refuse)?;
        }
        exported.push(Export {
            path: path.clone(),
            written,
        });
    }
    if let Some(path) = &config.cli_csv {
        let written = !path.exists();
        if written {
            let key = keychain::load_access_key(profile)?.ok_or(EngineError::NeedsEarlierStep("access_key"))?;
            handoff::export_cli_import_csv(path, user_name, &key.access_key_id, &key.secret_access_key, Overwrite::Refuse)?;
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
