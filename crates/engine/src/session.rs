//! One wizard session, as the window drives it: which identities are
//! connected, and the secrets that live only in memory between two screens
//! (a pasted key, an MFA seed being enrolled, a new secret shown once).
//! Every method is one screen's action and calls that step's module; the
//! GUI's commands only lock the session and call these.

use crate::classroom::create::{ClassProgress, ClassReport};
use crate::classroom::roster::Student;
use crate::classroom::teardown::ClassTeardownReport;
use crate::classroom::{self, ClassSettings};
use crate::connection::{ConnectOptions, Connection, CredentialSource};
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::journal::{Bootstrap, Journal, Resource};
use crate::keychain;
use crate::lang::Lang;
use crate::passwords;
use crate::steps::access_key::{self, AccessKeyOutcome, AccessKeyRequest, NewSecret};
use crate::steps::account_status::{self, AccountStatus};
use crate::steps::admin_user::{self, AdminRights, AdminUserOutcome, AdminUserRequest, PasswordChoice};
use crate::steps::alias::{self, AliasOutcome};
use crate::steps::billing_access::{self, BillingCheck};
use crate::steps::bootstrap_cleanup::{self, CleanupOutcome};
use crate::steps::budget::{self, BudgetKind, BudgetOutcome};
use crate::steps::checkup::{self, Check};
use crate::steps::contacts::{self, Contact, ContactKind};
use crate::steps::handoff;
use crate::steps::identity::{self, CallerKind, Identity};
use crate::steps::partner::{self, PartnerHandoff, PartnerOutcome};
use crate::steps::teardown::{self, TeardownReport};
use crate::steps::user_mfa::{self, Enrollment, MfaBegin, RootMfaHelper};
use crate::validation;
use crate::walkthrough::{self, StepId, StepState, StepView};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ConnectResult {
    pub identity: Identity,
    pub bootstrap: Bootstrap,
    pub account: AccountStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct TotpPreview {
    pub qr_svg: String,
    pub code: String,
    pub seconds_left: u32,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct AdminUserForm {
    pub user_name: String,
    /// `None` asks the app to generate one.
    pub password: Option<String>,
    pub reset_required: bool,
    pub rights: AdminRights,
    pub set_password_policy: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum ExportKind {
    Console,
    CliImport,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ContactEntry {
    pub kind: ContactKind,
    pub contact: Option<Contact>,
    /// What AWS sends to this contact.
    pub explanation: crate::lang::Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "result", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum RosterCheck {
    Ok { students: Vec<Student> },
    Problems { problems: Vec<classroom::roster::RosterProblem> },
}

pub fn check_roster(text: &str, lang: Lang) -> RosterCheck {
    match classroom::roster::parse(text, lang) {
        Ok(students) => RosterCheck::Ok { students },
        Err(problems) => RosterCheck::Problems { problems },
    }
}

#[derive(Default)]
pub struct WizardSession {
    options: ConnectOptions,
    journal: Option<Journal>,
    bootstrap: Option<Connection>,
    admin: Option<Connection>,
    identity: Option<Identity>,
    root_helper: Option<RootMfaHelper>,
    enrollment: Option<Enrollment>,
    /// A new secret the keychain refused: it must be exported before moving on.
    pending_secret: Option<NewSecret>,
    secret_shown: bool,
}

impl WizardSession {
    pub fn new(options: ConnectOptions) -> WizardSession {
        WizardSession {
            options,
            ..WizardSession::default()
        }
    }

    fn journal(&mut self) -> Result<&mut Journal> {
        if self.journal.is_none() {
            self.journal = Some(Journal::open_default()?);
        }
        Ok(self.journal.as_mut().expect("just opened"))
    }

    /// The identity that makes changes: the admin user once its key works,
    /// else the bootstrap identity.
    fn acting(&self) -> Result<&Connection> {
        self.admin.as_ref().or(self.bootstrap.as_ref()).ok_or(EngineError::NoCredentials)
    }

    fn account_id(&self) -> Result<String> {
        self.identity
            .as_ref()
            .map(|i| i.account_id.clone())
            .or_else(|| self.journal.as_ref().and_then(|j| j.data.account_id.clone()))
            .ok_or(EngineError::NeedsEarlierStep("identity"))
    }

    /// The admin user this app created, from the journal.
    fn admin_user_name(&self) -> Result<String> {
        self.journal
            .as_ref()
            .and_then(|j| {
                j.data.resources.iter().find_map(|r| match r {
                    Resource::User { user_name } => Some(user_name.clone()),
                    _ => None,
                })
            })
            .ok_or(EngineError::NeedsEarlierStep("admin_user"))
    }

    /// The AWS CLI profile whose key is in the keychain, from the journal.
    fn profile(&self) -> Result<String> {
        self.journal
            .as_ref()
            .and_then(|j| {
                j.data.resources.iter().find_map(|r| match r {
                    Resource::KeychainEntry { account } => account.strip_prefix("access-key/").map(str::to_string),
                    _ => None,
                })
            })
            .ok_or(EngineError::NeedsEarlierStep("access_key"))
    }

    pub fn steps(&mut self) -> Vec<StepView> {
        let journal = self.journal().ok().map(|j| &*j);
        walkthrough::views(journal)
    }

    pub async fn connect(&mut self, source: CredentialSource, temporary: bool) -> Result<ConnectResult> {
        let connection = Connection::open(&source, &self.options).await?;
        let me = identity::who_am_i(&connection).await?;
        let account = account_status::read(&connection).await?;
        let journal = self.journal()?;
        journal.bind_account(&me.account_id)?;
        let bootstrap = match (&source, &me.caller) {
            (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::Root) => Bootstrap::TemporaryKey {
                access_key_id: access_key_id.clone(),
                user_name: None,
                deleted: false,
            },
            (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::IamUser { user_name }) if temporary => {
                Bootstrap::TemporaryKey {
                    access_key_id: access_key_id.clone(),
                    user_name: Some(user_name.clone()),
                    deleted: false,
                }
            }
            (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::IamUser { user_name }) => Bootstrap::IamUserKey {
                access_key_id: access_key_id.clone(),
                user_name: user_name.clone(),
            },
            _ => Bootstrap::Existing {
                description: me.arn.clone(),
            },
        };
        if !matches!(journal.data.bootstrap, Some(Bootstrap::TemporaryKey { .. })) || matches!(bootstrap, Bootstrap::TemporaryKey { .. }) {
            journal.set_bootstrap(bootstrap.clone())?;
        }
        journal.set_state(StepId::Identity, StepState::Done { verified: true })?;
        if account.root_mfa_enabled {
            journal.set_state(StepId::RootMfa, StepState::Done { verified: true })?;
        }
        self.bootstrap = Some(connection);
        self.identity = Some(me.clone());
        Ok(ConnectResult {
            identity: me,
            bootstrap,
            account,
        })
    }

    pub async fn account_status(&mut self) -> Result<AccountStatus> {
        let status = account_status::read(self.acting()?).await?;
        if status.root_mfa_enabled {
            self.journal()?.set_state(StepId::RootMfa, StepState::Done { verified: true })?;
        }
        Ok(status)
    }

    fn preview(helper: &RootMfaHelper) -> TotpPreview {
        let (code, seconds_left) = user_mfa::current_code(&helper.seed);
        TotpPreview {
            qr_svg: user_mfa::qr_svg(&helper.uri),
            code,
            seconds_left,
        }
    }

    pub fn root_mfa_helper(&mut self, secret_key: &SecretString) -> Result<TotpPreview> {
        let label = self.identity.as_ref().map(|i| i.account_id.clone()).unwrap_or_else(|| "aws".into());
        let helper = RootMfaHelper::from_console_secret(secret_key.expose_secret(), &label)?;
        let preview = Self::preview(&helper);
        self.root_helper = Some(helper);
        Ok(preview)
    }

    fn root_helper(&self) -> Result<&RootMfaHelper> {
        self.root_helper.as_ref().ok_or(EngineError::NeedsEarlierStep("root_mfa"))
    }

    pub fn root_mfa_code(&self) -> Result<TotpPreview> {
        Ok(Self::preview(self.root_helper()?))
    }

    pub fn root_mfa_check_codes(&self, code1: &str, code2: &str) -> Result<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        user_mfa::check_codes(&self.root_helper()?.seed, code1, code2, now)?;
        Ok(())
    }

    pub fn root_mfa_backup(&mut self) -> Result<String> {
        let account_id = self.account_id().unwrap_or_else(|_| "unknown-account".into());
        let account = self.root_helper()?.back_up_to_keychain(&account_id)?;
        self.journal()?.record(Resource::KeychainEntry { account: account.clone() })?;
        Ok(account)
    }

    pub fn root_mfa_export_png(&self, path: &Path) -> Result<()> {
        self.root_helper()?.export_qr_png(path)
    }

    pub async fn set_alias(&mut self, name: &str, replace_existing: bool) -> Result<AliasOutcome> {
        let account_id = self.account_id()?;
        let connection = self.acting()?.clone();
        alias::set(&connection, self.journal()?, name, &account_id, replace_existing).await
    }

    pub async fn check_password(&self, password: &SecretString) -> Result<()> {
        let policy = admin_user::account_password_policy(self.acting()?).await?;
        passwords::check(password.expose_secret(), policy.as_ref())?;
        Ok(())
    }

    pub async fn create_admin_user(&mut self, form: AdminUserForm) -> Result<AdminUserOutcome> {
        let account_id = self.account_id()?;
        let connection = self.acting()?.clone();
        let request = AdminUserRequest {
            user_name: form.user_name,
            password: match form.password {
                Some(password) => PasswordChoice::Custom(SecretString::from(password)),
                None => PasswordChoice::Generate,
            },
            reset_required: form.reset_required,
            rights: form.rights,
            set_password_policy: form.set_password_policy,
        };
        admin_user::run(&connection, self.journal()?, &account_id, &request).await
    }

    pub fn reveal_admin_password(&self) -> Result<SecretString> {
        let account = admin_user::password_account(&self.account_id()?, &self.admin_user_name()?);
        keychain::get(&account)?.ok_or(EngineError::NeedsEarlierStep("admin_user"))
    }

    pub async fn begin_user_mfa(&mut self, device_name: &str) -> Result<MfaBegin> {
        let account_id = self.account_id()?;
        let user_name = self.admin_user_name()?;
        let connection = self.acting()?.clone();
        let (begin, enrollment) = user_mfa::begin(&connection, self.journal()?, &user_name, device_name, &account_id).await?;
        self.enrollment = enrollment;
        Ok(begin)
    }

    pub async fn finish_user_mfa(&mut self, code1: &str, code2: &str) -> Result<bool> {
        let connection = self.acting()?.clone();
        let enrollment = self.enrollment.take().ok_or(EngineError::NeedsEarlierStep("user_mfa"))?;
        let result = user_mfa::finish(&connection, self.journal()?, &enrollment, code1, code2).await;
        if result.is_err() {
            self.enrollment = Some(enrollment);
        }
        result
    }

    /// "This computer is the authenticator": the seed goes to the keychain
    /// and the app types the two codes itself.
    pub async fn this_computer_mfa(&mut self) -> Result<bool> {
        let enrollment = self.enrollment.as_ref().ok_or(EngineError::NeedsEarlierStep("user_mfa"))?;
        let account = keychain::mfa_seed_account(&self.account_id()?, &enrollment.user_name);
        keychain::set(&account, &SecretString::from(enrollment.seed.expose_secret().to_string()))?;
        let (code1, code2) = user_mfa::codes_for_now(&enrollment.seed);
        self.journal()?.record(Resource::KeychainEntry { account })?;
        self.finish_user_mfa(&code1, &code2).await
    }

    pub async fn billing_probe(&self) -> Result<BillingCheck> {
        let admin = self.admin.as_ref().ok_or(EngineError::NeedsEarlierStep("access_key"))?;
        billing_access::probe(admin).await
    }

    pub async fn create_access_key(&mut self, description: &str, profile: &str, replace_lost: bool) -> Result<AccessKeyOutcome> {
        let user_name = self.admin_user_name()?;
        let connection = self.acting()?.clone();
        let request = AccessKeyRequest {
            user_name: &user_name,
            profile,
            description,
            replace_lost,
        };
        let (outcome, pending) = access_key::create(&connection, self.journal()?, &request).await?;
        self.pending_secret = pending;
        self.secret_shown = false;
        if let AccessKeyOutcome::Ready { .. } = outcome {
            let admin = access_key::wait_until_usable(profile, &self.options, Duration::from_secs(60)).await?;
            self.journal()?.set_state(StepId::AccessKey, StepState::Done { verified: true })?;
            self.admin = Some(admin);
        }
        Ok(outcome)
    }

    /// The new secret, once: a second call is refused.
    pub fn reveal_secret_once(&mut self) -> Result<SecretString> {
        if self.secret_shown {
            return Err(EngineError::SecretAlreadyShown);
        }
        let secret = match &self.pending_secret {
            Some(pending) => pending.secret_access_key.clone(),
            None => {
                keychain::load_access_key(&self.profile()?)?
                    .ok_or(EngineError::NeedsEarlierStep("access_key"))?
                    .secret_access_key
            }
        };
        self.secret_shown = true;
        Ok(secret)
    }

    pub fn configure_cli_profile(&mut self, profile: &str, region: &str, cli_path: &Path) -> Result<PathBuf> {
        let path = handoff::configure_cli_profile(self.journal()?, profile, region, cli_path)?;
        self.journal()?.set_state(StepId::Handoff, StepState::Done { verified: false })?;
        Ok(path)
    }

    pub fn write_plaintext_credentials(&mut self, profile: &str) -> Result<PathBuf> {
        handoff::write_plaintext_credentials(self.journal()?, profile)
    }

    pub fn export_csv(&mut self, kind: ExportKind, path: &Path, overwrite: bool) -> Result<()> {
        let overwrite = if overwrite { Overwrite::Replace } else { Overwrite::Refuse };
        let user_name = self.admin_user_name()?;
        match kind {
            ExportKind::Console => {
                let password = self.reveal_admin_password()?;
                let alias = self.journal()?.data.resources.iter().find_map(|r| match r {
                    Resource::Alias { alias } => Some(alias.clone()),
                    _ => None,
                });
                let url = alias::sign_in_url(alias.as_deref().unwrap_or(&self.account_id()?));
                handoff::export_console_csv(path, &user_name, &password, &url, overwrite)
            }
            ExportKind::CliImport => {
                let (id, secret) = match &self.pending_secret {
                    Some(pending) => (pending.access_key_id.clone(), pending.secret_access_key.clone()),
                    None => {
                        let key = keychain::load_access_key(&self.profile()?)?.ok_or(EngineError::NeedsEarlierStep("access_key"))?;
                        (key.access_key_id, key.secret_access_key)
                    }
                };
                handoff::export_cli_import_csv(path, &user_name, &id, &secret, overwrite)?;
                // Exported: the user holds the only copy now, so the flow may go on.
                self.pending_secret = None;
                Ok(())
            }
        }
    }

    pub async fn cleanup_bootstrap(&mut self) -> Result<CleanupOutcome> {
        let admin = self.admin.clone().ok_or(EngineError::NeedsEarlierStep("access_key"))?;
        let bootstrap = self.bootstrap.clone();
        let outcome = bootstrap_cleanup::run(bootstrap.as_ref(), &admin, self.journal()?).await?;
        if matches!(outcome, CleanupOutcome::Deleted { .. }) {
            self.bootstrap = None;
        }
        Ok(outcome)
    }

    pub fn confirm_console_step(&mut self, step: StepId) -> Result<()> {
        if !step.is_console_only() {
            return Err(EngineError::Internal(format!("{} is not a console step", step.as_str())));
        }
        self.journal()?.set_state(step, StepState::Done { verified: false })
    }

    /// A Markdown summary with no secrets: step states and the sign-in URL.
    pub fn export_summary(&mut self, path: &Path, lang: Lang) -> Result<()> {
        let steps = self.steps();
        let mut text = format!("# {}\n\n", lang.pick("AWS 설정 마법사 요약", "AWS Setup Wizard summary"));
        if let Ok(account_id) = self.account_id() {
            text.push_str(&format!("- {}: {account_id}\n", lang.pick("계정 ID", "Account id")));
            text.push_str(&format!(
                "- {}: {}\n\n",
                lang.pick("IAM 사용자 로그인 URL", "IAM user sign-in URL"),
                alias::sign_in_url(&account_id)
            ));
        }
        text.push_str(&format!(
            "| {} | {} |\n|---|---|\n",
            lang.pick("단계", "Step"),
            lang.pick("상태", "State")
        ));
        for step in steps {
            let state = match step.state {
                StepState::Todo => lang.pick("할 일", "to do"),
                StepState::NeedsYou => lang.pick("확인 필요", "needs you"),
                StepState::Done { verified: true } => lang.pick("완료 ✓ (확인됨)", "done ✓ (verified)"),
                StepState::Done { verified: false } => lang.pick("완료 (확인 안 됨)", "done (not verified)"),
                StepState::Skipped => lang.pick("건너뜀", "skipped"),
            };
            text.push_str(&format!("| {} | {state} |\n", step.id.as_str()));
        }
        files::write_atomic(path, text.as_bytes(), Overwrite::Refuse)
    }

    pub fn teardown_preview(&mut self) -> Result<TeardownReport> {
        Ok(TeardownReport {
            dry_run: true,
            planned: teardown::plan(self.journal()?),
            removed: Vec::new(),
            failed: Vec::new(),
        })
    }

    /// Teardown runs with the bootstrap identity: the admin user is among
    /// what it deletes.
    pub async fn teardown_run(&mut self, lang: Lang) -> Result<TeardownReport> {
        let connection = self.bootstrap.clone().ok_or(EngineError::NeedsEarlierStep("identity"))?;
        let report = teardown::run(&connection, self.journal()?, true, lang).await?;
        self.admin = None;
        Ok(report)
    }
}

impl WizardSession {
    pub async fn create_budget(&mut self, kind: &BudgetKind, email: &str) -> Result<BudgetOutcome> {
        let account_id = self.account_id()?;
        let connection = self.acting()?.clone();
        budget::create(&connection, self.journal()?, &account_id, kind, email).await
    }

    pub async fn checkup(&mut self, lang: Lang) -> Result<Vec<Check>> {
        let account_id = self.account_id()?;
        let checks = checkup::run(self.acting()?, &account_id, lang).await;
        self.journal()?.set_state(StepId::Checkup, StepState::Done { verified: true })?;
        Ok(checks)
    }

    pub async fn export_checkup(&mut self, path: &Path, lang: Lang, overwrite: bool) -> Result<()> {
        let checks = self.checkup(lang).await?;
        checkup::export(path, &checks, lang, overwrite)
    }

    pub async fn get_contacts(&self) -> Result<Vec<ContactEntry>> {
        let mut all = Vec::new();
        for kind in ContactKind::ALL {
            all.push(ContactEntry {
                kind,
                contact: contacts::get(self.acting()?, kind).await?,
                explanation: kind.explanation(),
            });
        }
        Ok(all)
    }

    pub async fn put_contact(&self, kind: ContactKind, contact: &Contact) -> Result<()> {
        contact.validate()?;
        contacts::put(self.acting()?, kind, contact).await
    }

    pub async fn delete_contact(&self, kind: ContactKind) -> Result<()> {
        contacts::delete(self.acting()?, kind).await
    }

    pub async fn create_partner(&mut self, user_name: &str) -> Result<PartnerOutcome> {
        let account_id = self.account_id()?;
        let connection = self.acting()?.clone();
        let sign_in = alias::sign_in_url(&alias::current(&connection).await?.unwrap_or_else(|| account_id.clone()));
        partner::create(&connection, self.journal()?, &account_id, user_name, &sign_in).await
    }

    /// Writes the sheet (no secrets) beside the locked ZIP; returns the ZIP's password.
    pub fn export_partner(&mut self, handoff: &PartnerHandoff, sheet: &Path, locked_zip: &Path, lang: Lang) -> Result<SecretString> {
        let account_id = self.account_id()?;
        let secrets = partner::load_secrets(&account_id, &handoff.user_name)?.ok_or(EngineError::NeedsEarlierStep("partner"))?;
        partner::write_sheet(sheet, handoff, lang, Overwrite::Refuse)?;
        partner::write_locked_zip(locked_zip, handoff, &secrets, Overwrite::Refuse)
    }

    pub async fn create_class(
        &self,
        settings: &ClassSettings,
        students: &[Student],
        lang: Lang,
        progress: std::sync::Arc<dyn Fn(ClassProgress) + Send + Sync>,
    ) -> Result<ClassReport> {
        classroom::create::run(self.acting()?, settings, students, lang, progress).await
    }

    /// Writes the class's hand-out CSV and sheets into `dir`.
    pub async fn export_class_handout(
        &self,
        class_id: &str,
        students: &[Student],
        dir: &Path,
        with_keys: bool,
        lang: Lang,
    ) -> Result<Vec<PathBuf>> {
        let connection = self.acting()?;
        let url = match alias::current(connection).await? {
            Some(a) => alias::sign_in_url(&a),
            None => alias::sign_in_url(&identity::who_am_i(connection).await?.account_id),
        };
        let secrets = classroom::create::load_secrets(class_id)?;
        let csv = dir.join(format!("{class_id}-handout.csv"));
        let html = dir.join(format!("{class_id}-sheets.html"));
        classroom::handout::write_csv(&csv, students, &secrets, &url, with_keys, Overwrite::Refuse)?;
        classroom::handout::write_sheets(&html, students, &secrets, &url, lang, Overwrite::Refuse)?;
        Ok(vec![csv, html])
    }

    pub async fn teardown_class(
        &self,
        class_id: &str,
        concurrency: usize,
        confirmed: bool,
        lang: Lang,
        progress: std::sync::Arc<dyn Fn(ClassProgress) + Send + Sync>,
    ) -> Result<ClassTeardownReport> {
        classroom::teardown::run(self.acting()?, class_id, concurrency, confirmed, lang, progress).await
    }
}

pub fn validate_alias(name: &str) -> Result<()> {
    Ok(alias::validate(name)?)
}

pub fn validate_user_name(name: &str) -> Result<()> {
    Ok(validation::user_name(name)?)
}
