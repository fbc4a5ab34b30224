//! The one service that owns the walkthrough. The window, `aws-setup run` and
//! every CLI extra drive this type, one method per user action, so a rule
//! about accounts, identities or step states is written here once:
//! - it opens the journal and binds it to the caller's account;
//! - it decides which connection acts: the admin user's once its key works,
//!   else the bootstrap identity;
//! - it alone changes a step's state;
//! - it calls the step modules, which do the AWS work and return outcomes.
//!
//! It also holds what lives only in memory between two screens: a pasted key,
//! an MFA seed being enrolled, a new secret shown once. The state sits behind
//! an async lock that slow AWS work (a class, the checkup) does not hold, so
//! a second command never freezes behind it.

use crate::classroom::create::{ClassProgress, ClassReport};
use crate::classroom::roster::Student;
use crate::classroom::teardown::ClassTeardownReport;
use crate::classroom::{self, ClassSettings};
use crate::connection::{ConnectOptions, Connection, CredentialSource};
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::iam;
use crate::journal::{self, Bootstrap, Journal, Resource};
use crate::keychain;
use crate::lang::{Bilingual, Lang};
use crate::passwords;
use crate::steps::access_key::{self, AccessKeyOutcome, AccessKeyRequest, NewSecret};
use crate::steps::account_status::{self, AccountStatus};
use crate::steps::admin_user::{self, AdminRights, AdminUserOutcome, AdminUserRequest, PasswordChoice};
use crate::steps::alias::{self, AliasOutcome};
use crate::steps::billing_access::{self, BillingCheck, ConsoleGuide};
use crate::steps::bootstrap_cleanup::{self, CleanupOutcome};
use crate::steps::budget::{self, BudgetKind, BudgetOutcome};
use crate::steps::checkup::{self, Check};
use crate::steps::contacts::{self, Contact, ContactKind};
use crate::steps::handoff;
use crate::steps::identity::{self, CallerKind, Identity, IdentityStatus};
use crate::steps::partner::{self, PartnerHandoff, PartnerOutcome};
use crate::steps::teardown::{self, TeardownReport};
use crate::steps::user_mfa::{self, Enrollment, MfaBegin, RootMfaHelper};
use crate::validation;
use crate::walkthrough::{StepId, StepState, StepView};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use ts_rs::TS;

/// How long a brand-new key may take to work everywhere.
const NEW_KEY_WAIT: Duration = Duration::from_secs(60);

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
    pub explanation: Bilingual,
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

pub fn validate_alias(name: &str) -> Result<()> {
    Ok(alias::validate(name)?)
}

pub fn validate_user_name(name: &str) -> Result<()> {
    Ok(validation::user_name(name)?)
}

/// Progress callbacks for the slow classroom work.
pub type ProgressFn = Arc<dyn Fn(ClassProgress) + Send + Sync>;

/// What the session remembers between actions.
#[derive(Default)]
struct State {
    journal: Option<Journal>,
    bootstrap: Option<Connection>,
    admin: Option<Connection>,
    identity: Option<Identity>,
    /// The alias a walkthrough action set or found, for sign-in URLs.
    alias: Option<String>,
    root_helper: Option<RootMfaHelper>,
    enrollment: Option<Enrollment>,
    /// A new secret the keychain refused: it must be exported before moving on.
    pending_secret: Option<NewSecret>,
    secret_shown: bool,
}

impl State {
    fn journal(&mut self) -> Result<&mut Journal> {
        if self.journal.is_none() {
            self.journal = Some(Journal::open_default()?);
        }
        Ok(self.journal.as_mut().expect("just opened"))
    }

    fn set_state(&mut self, step: StepId, state: StepState) -> Result<()> {
        tracing::debug!(step = step.as_str(), ?state, "step state");
        self.journal()?.set_state(step, state)
    }

    /// The identity that makes changes: the admin user once its key works,
    /// else the bootstrap identity.
    fn acting(&self) -> Result<Connection> {
        self.admin
            .clone()
            .or_else(|| self.bootstrap.clone())
            .ok_or(EngineError::NoCredentials)
    }

    fn admin(&self) -> Result<Connection> {
        self.admin.clone().ok_or(EngineError::NeedsEarlierStep(StepId::AccessKey))
    }

    fn account_id(&self) -> Result<String> {
        self.identity
            .as_ref()
            .map(|i| i.account_id.clone())
            .or_else(|| self.journal.as_ref().and_then(|j| j.data.account_id.clone()))
            .ok_or(EngineError::NeedsEarlierStep(StepId::Identity))
    }

    fn find_resource<T>(&mut self, pick: impl Fn(&Resource) -> Option<T>) -> Result<Option<T>> {
        Ok(self.journal()?.data.resources.iter().find_map(pick))
    }

    /// The admin user this app created, from the journal.
    fn admin_user_name(&mut self) -> Result<String> {
        self.find_resource(|r| match r {
            Resource::User { user_name } => Some(user_name.clone()),
            _ => None,
        })?
        .ok_or(EngineError::NeedsEarlierStep(StepId::AdminUser))
    }

    /// The AWS CLI profile whose key is in the keychain, from the journal.
    fn profile(&mut self) -> Result<String> {
        self.find_resource(|r| match r {
            Resource::KeychainEntry { account } => account.strip_prefix("access-key/").map(str::to_string),
            _ => None,
        })?
        .ok_or(EngineError::NeedsEarlierStep(StepId::AccessKey))
    }

    /// The sign-in URL: with the alias when one is known, else the account id.
    fn sign_in_url(&mut self) -> Result<String> {
        let recorded = self.find_resource(|r| match r {
            Resource::Alias { alias } => Some(alias.clone()),
            _ => None,
        })?;
        match self.alias.clone().or(recorded) {
            Some(alias) => Ok(alias::sign_in_url(&alias)),
            None => Ok(alias::sign_in_url(&self.account_id()?)),
        }
    }

    /// Ties the journal to the account `me` is in, and remembers who acts.
    fn bind(&mut self, me: &Identity) -> Result<()> {
        self.journal()?.bind_account(&me.account_id)?;
        self.identity = Some(me.clone());
        Ok(())
    }
}

/// How a pasted key or profile is recorded as the walkthrough's bootstrap.
fn bootstrap_record(source: &CredentialSource, me: &Identity, temporary: bool) -> Bootstrap {
    match (source, &me.caller) {
        (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::Root) => Bootstrap::TemporaryKey {
            access_key_id: access_key_id.clone(),
            user_name: None,
            deleted: false,
        },
        (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::IamUser { user_name }) if temporary => Bootstrap::TemporaryKey {
            access_key_id: access_key_id.clone(),
            user_name: Some(user_name.clone()),
            deleted: false,
        },
        (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::IamUser { user_name }) => Bootstrap::IamUserKey {
            access_key_id: access_key_id.clone(),
            user_name: user_name.clone(),
        },
        _ => Bootstrap::Existing {
            description: me.arn.clone(),
        },
    }
}

/// Whether `new` becomes the recorded bootstrap. A temporary key still to be
/// deleted is never forgotten: another temporary key is refused until it is
/// gone, and a key of a user the app created is never taken as temporary.
fn replaces_recorded_bootstrap(journal: &Journal, new: &Bootstrap) -> Result<bool> {
    if let Bootstrap::TemporaryKey {
        user_name: Some(user_name),
        ..
    } = new
    {
        if journal.created(&Resource::User {
            user_name: user_name.clone(),
        }) {
            return Err(EngineError::TemporaryKeyOfOurUser(user_name.clone()));
        }
    }
    match (&journal.data.bootstrap, new) {
        (Some(recorded), _) if recorded == new => Ok(false),
        (
            Some(Bootstrap::TemporaryKey {
                access_key_id,
                deleted: false,
                ..
            }),
            Bootstrap::TemporaryKey { .. },
        ) => Err(EngineError::TemporaryKeyNotDeleted(access_key_id.clone())),
        (Some(Bootstrap::TemporaryKey { deleted: false, .. }), _) => Ok(false),
        _ => Ok(true),
    }
}

fn cleanup_state(outcome: &CleanupOutcome) -> StepState {
    match outcome {
        CleanupOutcome::Deleted { verified: true, .. } => StepState::Done { verified: true },
        // Asked to delete, not yet confirmed gone: the step stays open until it is.
        CleanupOutcome::Deleted { verified: false, .. } => StepState::NeedsYou,
        CleanupOutcome::AlreadyDeleted { .. } => StepState::Done { verified: false },
        CleanupOutcome::LeftAlone { .. } | CleanupOutcome::NothingToDo => StepState::Skipped,
        CleanupOutcome::NeedsConsole { .. } => StepState::NeedsYou,
    }
}

fn overwrite(replace: bool) -> Overwrite {
    if replace {
        Overwrite::Replace
    } else {
        Overwrite::Refuse
    }
}

pub struct WizardSession {
    options: ConnectOptions,
    state: Mutex<State>,
}

impl Default for WizardSession {
    fn default() -> Self {
        WizardSession::new(ConnectOptions::default())
    }
}

/// Connecting, and the facts that need no connection.
impl WizardSession {
    pub fn new(options: ConnectOptions) -> WizardSession {
        WizardSession {
            options,
            state: Mutex::new(State::default()),
        }
    }

    /// Who a credential source is, for the first screen and `aws-setup status`.
    pub async fn identity_status(source: &CredentialSource, lang: Lang) -> IdentityStatus {
        identity::status(source, &ConnectOptions::default(), lang).await
    }

    /// The walkthrough's steps and their states, as the journal has them.
    /// Read without taking the journal's lock when this session has not
    /// opened it yet, so a second window can still show where things stand.
    pub async fn steps(&self) -> Vec<StepView> {
        let state = self.state.lock().await;
        match &state.journal {
            Some(journal) => journal::step_views(Some(journal)),
            None => journal::step_views(Journal::peek_default().ok().as_ref()),
        }
    }

    pub(crate) async fn is_done(&self, step: StepId) -> Result<bool> {
        let state = self.state.lock().await.journal()?.state(step);
        Ok(matches!(state, StepState::Done { .. } | StepState::Skipped))
    }

    pub(crate) async fn has_admin(&self) -> bool {
        self.state.lock().await.admin.is_some()
    }

    /// The walkthrough's first step: connect with the key or profile the user
    /// gave, bind the journal to its account and record it as the bootstrap.
    pub async fn connect(&self, source: &CredentialSource, temporary: bool) -> Result<ConnectResult> {
        let connection = Connection::open(source, &self.options).await?;
        let me = identity::who_am_i(&connection).await?;
        let account = account_status::read(&connection).await?;
        let mut state = self.state.lock().await;
        state.bind(&me)?;
        let bootstrap = bootstrap_record(source, &me, temporary);
        let journal = state.journal()?;
        if replaces_recorded_bootstrap(journal, &bootstrap)? {
            journal.set_bootstrap(bootstrap.clone())?;
        }
        state.set_state(StepId::Identity, StepState::Done { verified: true })?;
        if account.root_mfa_enabled {
            state.set_state(StepId::RootMfa, StepState::Done { verified: true })?;
        }
        state.bootstrap = Some(connection);
        Ok(ConnectResult {
            identity: me,
            bootstrap,
            account,
        })
    }

    /// Journal drift: what the journal says is done but AWS no longer has (a
    /// user or key deleted by hand in the console, a practice simulator
    /// restarted) is forgotten, and its step is to do again. Returns the steps
    /// reopened. Reads only; changes nothing in AWS.
    pub async fn reconcile_drift(&self) -> Result<Vec<StepId>> {
        let mut state = self.state.lock().await;
        let connection = state.acting()?;
        let Ok(user_name) = state.admin_user_name() else {
            return Ok(Vec::new());
        };
        let done = |state: &mut State, step| matches!(state.journal().map(|j| j.state(step)), Ok(StepState::Done { .. }));
        let mut reopened = Vec::new();
        let user_gone = done(&mut state, StepId::AdminUser) && iam::find_user(&connection, &user_name).await?.is_none();
        if user_gone {
            state.journal()?.forget_where(|r| r.belongs_to_user(&user_name))?;
            reopened.extend([StepId::AdminUser, StepId::UserMfa, StepId::AccessKey, StepId::Handoff]);
        } else {
            if done(&mut state, StepId::UserMfa) && iam::mfa_devices(&connection, &user_name).await?.is_empty() {
                state
                    .journal()?
                    .forget_where(|r| matches!(r, Resource::MfaDevice { user_name: u, .. } if *u == user_name))?;
                reopened.push(StepId::UserMfa);
            }
            if done(&mut state, StepId::AccessKey) {
                let stored = state.profile().ok().and_then(|p| keychain::load_access_key(&p).ok().flatten());
                let listed = iam::access_keys(&connection, &user_name).await?.unwrap_or_default();
                let works = stored.is_some_and(|k| listed.iter().any(|l| l.access_key_id() == Some(k.access_key_id.as_str())));
                if !works {
                    state
                        .journal()?
                        .forget_where(|r| matches!(r, Resource::AccessKey { user_name: u, .. } if *u == user_name))?;
                    reopened.push(StepId::AccessKey);
                    state.admin = None;
                }
            }
        }
        if done(&mut state, StepId::Alias) && alias::current(&connection).await?.is_none() {
            state.journal()?.forget_where(|r| matches!(r, Resource::Alias { .. }))?;
            reopened.push(StepId::Alias);
        }
        for step in &reopened {
            tracing::info!(step = step.as_str(), "AWS no longer has what this step made: it is to do again");
            state.set_state(*step, StepState::Todo)?;
        }
        Ok(reopened)
    }

    /// For the extras and teardown: connect and bind the journal to the
    /// caller's account, without touching the walkthrough's record.
    pub async fn open(&self, source: &CredentialSource) -> Result<Identity> {
        let connection = Connection::open(source, &self.options).await?;
        let me = identity::who_am_i(&connection).await?;
        let mut state = self.state.lock().await;
        state.bind(&me)?;
        state.bootstrap = Some(connection);
        Ok(me)
    }

    /// After a restart: the admin user's own key from the keychain, once the
    /// access-key step has run. `false` when there is none yet.
    pub(crate) async fn resume_admin(&self, profile: &str) -> Result<bool> {
        let mut state = self.state.lock().await;
        if state.admin.is_some() {
            return Ok(true);
        }
        if state.journal()?.state(StepId::AccessKey) == StepState::Todo || keychain::load_access_key(profile)?.is_none() {
            return Ok(false);
        }
        state.admin = Some(access_key::wait_until_usable(profile, &self.options, NEW_KEY_WAIT).await?);
        Ok(true)
    }

    /// Whether the temporary bootstrap key is deleted already, so the admin
    /// user's key must carry on alone.
    pub(crate) async fn bootstrap_key_deleted(&self) -> Result<bool> {
        let mut state = self.state.lock().await;
        Ok(matches!(
            state.journal()?.data.bootstrap,
            Some(Bootstrap::TemporaryKey { deleted: true, .. })
        ))
    }

    /// The walkthrough's first step when only the admin user's key is left.
    pub(crate) async fn connect_as_admin(&self) -> Result<ConnectResult> {
        let admin = self.state.lock().await.admin()?;
        let me = identity::who_am_i(&admin).await?;
        let account = account_status::read(&admin).await?;
        let mut state = self.state.lock().await;
        state.bind(&me)?;
        state.set_state(StepId::Identity, StepState::Done { verified: true })?;
        if account.root_mfa_enabled {
            state.set_state(StepId::RootMfa, StepState::Done { verified: true })?;
        }
        let bootstrap = state
            .journal()?
            .data
            .bootstrap
            .clone()
            .ok_or(EngineError::NeedsEarlierStep(StepId::Identity))?;
        Ok(ConnectResult {
            identity: me,
            bootstrap,
            account,
        })
    }

    pub async fn account_status(&self) -> Result<AccountStatus> {
        let connection = self.state.lock().await.acting()?;
        let status = account_status::read(&connection).await?;
        if status.root_mfa_enabled {
            self.state
                .lock()
                .await
                .set_state(StepId::RootMfa, StepState::Done { verified: true })?;
        }
        Ok(status)
    }
}

/// Root MFA: a console-only step the app helps with.
impl WizardSession {
    fn preview(helper: &RootMfaHelper) -> TotpPreview {
        let (code, seconds_left) = user_mfa::current_code(&helper.seed);
        TotpPreview {
            qr_svg: user_mfa::qr_svg(&helper.uri),
            code,
            seconds_left,
        }
    }

    pub async fn root_mfa_helper(&self, secret_key: &SecretString) -> Result<TotpPreview> {
        let mut state = self.state.lock().await;
        let label = state
            .identity
            .as_ref()
            .map(|i| i.account_id.clone())
            .unwrap_or_else(|| "aws".into());
        let helper = RootMfaHelper::from_console_secret(secret_key.expose_secret(), &label)?;
        let preview = Self::preview(&helper);
        state.root_helper = Some(helper);
        Ok(preview)
    }

    async fn with_root_helper<T>(&self, f: impl FnOnce(&RootMfaHelper) -> Result<T>) -> Result<T> {
        let state = self.state.lock().await;
        f(state.root_helper.as_ref().ok_or(EngineError::NeedsEarlierStep(StepId::RootMfa))?)
    }

    pub async fn root_mfa_code(&self) -> Result<TotpPreview> {
        self.with_root_helper(|helper| Ok(Self::preview(helper))).await
    }

    pub async fn root_mfa_check_codes(&self, code1: &str, code2: &str) -> Result<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        self.with_root_helper(|helper| Ok(user_mfa::check_codes(&helper.seed, code1, code2, now).map(|_| ())?))
            .await
    }

    pub async fn root_mfa_backup(&self) -> Result<String> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id().unwrap_or_else(|_| "unknown-account".into());
        let helper = state.root_helper.as_ref().ok_or(EngineError::NeedsEarlierStep(StepId::RootMfa))?;
        let account = helper.back_up_to_keychain(&account_id)?;
        state.journal()?.record(Resource::KeychainEntry { account: account.clone() })?;
        Ok(account)
    }

    pub async fn root_mfa_export_png(&self, path: &Path) -> Result<()> {
        files::check_export_path(path)?;
        self.with_root_helper(|helper| helper.export_qr_png(path)).await
    }
}

/// The walkthrough's API steps.
impl WizardSession {
    pub async fn set_alias(&self, name: &str, replace_existing: bool) -> Result<AliasOutcome> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
        let (outcome, verified) = alias::set_verified(&connection, state.journal()?, name, &account_id, replace_existing).await?;
        if let AliasOutcome::Created { alias, .. } | AliasOutcome::AlreadySetToThis { alias, .. } = &outcome {
            state.alias = Some(alias.clone());
            state.set_state(StepId::Alias, StepState::Done { verified })?;
        }
        Ok(outcome)
    }

    pub async fn check_password(&self, password: &SecretString) -> Result<()> {
        let connection = self.state.lock().await.acting()?;
        let policy = admin_user::account_password_policy(&connection).await?;
        passwords::check(password.expose_secret(), policy.as_ref())?;
        Ok(())
    }

    pub async fn create_admin_user(&self, form: AdminUserForm) -> Result<AdminUserOutcome> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
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
        let outcome = admin_user::run(&connection, state.journal()?, &account_id, &request).await?;
        if let AdminUserOutcome::Ready { verified, .. } = &outcome {
            state.set_state(StepId::AdminUser, StepState::Done { verified: *verified })?;
        }
        Ok(outcome)
    }

    pub async fn reveal_admin_password(&self) -> Result<SecretString> {
        let mut state = self.state.lock().await;
        let account = admin_user::password_account(&state.account_id()?, &state.admin_user_name()?);
        keychain::get(&account)?.ok_or(EngineError::NeedsEarlierStep(StepId::AdminUser))
    }

    pub async fn begin_user_mfa(&self, device_name: &str) -> Result<MfaBegin> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let user_name = state.admin_user_name()?;
        let connection = state.acting()?;
        let (begin, enrollment) = user_mfa::begin(&connection, state.journal()?, &user_name, device_name, &account_id).await?;
        if let MfaBegin::AlreadyEnabled { .. } = begin {
            state.set_state(StepId::UserMfa, StepState::Done { verified: true })?;
        }
        state.enrollment = enrollment;
        Ok(begin)
    }

    pub async fn finish_user_mfa(&self, code1: &str, code2: &str) -> Result<bool> {
        let mut state = self.state.lock().await;
        Self::finish_enrollment(&mut state, code1, code2).await
    }

    async fn finish_enrollment(state: &mut State, code1: &str, code2: &str) -> Result<bool> {
        let connection = state.acting()?;
        let enrollment = state.enrollment.take().ok_or(EngineError::NeedsEarlierStep(StepId::UserMfa))?;
        match user_mfa::finish(&connection, &enrollment, code1, code2).await {
            Ok(verified) => {
                state.set_state(StepId::UserMfa, StepState::Done { verified })?;
                Ok(verified)
            }
            Err(err) => {
                state.enrollment = Some(enrollment);
                Err(err)
            }
        }
    }

    /// "This computer is the authenticator": the seed goes to the keychain
    /// and the app types the two codes itself.
    pub async fn this_computer_mfa(&self) -> Result<bool> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let enrollment = state.enrollment.as_ref().ok_or(EngineError::NeedsEarlierStep(StepId::UserMfa))?;
        let account = keychain::mfa_seed_account(&account_id, &enrollment.user_name);
        keychain::set(&account, &SecretString::from(enrollment.seed.expose_secret().to_string()))?;
        let (code1, code2) = user_mfa::codes_for_now(&enrollment.seed);
        state.journal()?.record(Resource::KeychainEntry { account })?;
        Self::finish_enrollment(&mut state, &code1, &code2).await
    }

    pub async fn billing_probe(&self) -> Result<BillingCheck> {
        let admin = self.state.lock().await.admin()?;
        billing_access::probe(&admin).await
    }

    pub fn billing_guide() -> ConsoleGuide {
        billing_access::guide()
    }

    /// The admin user's key. Once it is in the keychain, the session waits
    /// until AWS accepts it and acts as the admin user from then on.
    pub async fn create_access_key(&self, description: &str, profile: &str, replace_lost: bool) -> Result<AccessKeyOutcome> {
        let mut state = self.state.lock().await;
        let user_name = state.admin_user_name()?;
        let connection = state.acting()?;
        let request = AccessKeyRequest {
            user_name: &user_name,
            profile,
            description,
            replace_lost,
        };
        let (outcome, pending) = access_key::create(&connection, state.journal()?, &request).await?;
        state.pending_secret = pending;
        state.secret_shown = false;
        if let AccessKeyOutcome::Ready { .. } = outcome {
            state.set_state(StepId::AccessKey, StepState::Done { verified: false })?;
            let admin = access_key::wait_until_usable(profile, &self.options, NEW_KEY_WAIT).await?;
            state.set_state(StepId::AccessKey, StepState::Done { verified: true })?;
            state.admin = Some(admin);
        }
        Ok(outcome)
    }

    /// The new secret, once: a second call is refused.
    pub async fn reveal_secret_once(&self) -> Result<SecretString> {
        let mut state = self.state.lock().await;
        if state.secret_shown {
            return Err(EngineError::SecretAlreadyShown);
        }
        let secret = match &state.pending_secret {
            Some(pending) => pending.secret_access_key.clone(),
            None => {
                keychain::load_access_key(&state.profile()?)?
                    .ok_or(EngineError::NeedsEarlierStep(StepId::AccessKey))?
                    .secret_access_key
            }
        };
        state.secret_shown = true;
        Ok(secret)
    }

    /// The AWS CLI profile that serves the key through `credential_process`.
    /// A profile the user already had is changed only with `replace_existing`.
    pub async fn configure_cli_profile(&self, profile: &str, region: &str, cli_path: &Path, replace_existing: bool) -> Result<PathBuf> {
        let mut state = self.state.lock().await;
        let path = handoff::configure_cli_profile(state.journal()?, profile, region, cli_path, replace_existing)?;
        state.set_state(StepId::Handoff, StepState::Done { verified: false })?;
        Ok(path)
    }

    pub async fn write_plaintext_credentials(&self, profile: &str, replace_existing: bool) -> Result<PathBuf> {
        handoff::write_plaintext_credentials(self.state.lock().await.journal()?, profile, replace_existing)
    }

    /// The hand-off is done when the user chose what they need (a profile, files, or nothing).
    pub(crate) async fn finish_handoff(&self) -> Result<()> {
        self.state
            .lock()
            .await
            .set_state(StepId::Handoff, StepState::Done { verified: false })
    }

    /// The admin user's CSV, for the user and key the journal recorded.
    pub async fn export_csv(&self, kind: ExportKind, path: &Path, replace: bool) -> Result<()> {
        let mut state = self.state.lock().await;
        let user_name = state.admin_user_name()?;
        let profile = match kind {
            ExportKind::Console => String::new(),
            ExportKind::CliImport if state.pending_secret.is_some() => String::new(),
            ExportKind::CliImport => state.profile()?,
        };
        Self::export_for(&mut state, kind, path, replace, &user_name, &profile)
    }

    /// A CSV for a named user and keychain profile (`aws-setup export --user --profile`).
    pub async fn export_csv_for(&self, kind: ExportKind, path: &Path, replace: bool, user_name: &str, profile: &str) -> Result<()> {
        Self::export_for(&mut *self.state.lock().await, kind, path, replace, user_name, profile)
    }

    fn export_for(state: &mut State, kind: ExportKind, path: &Path, replace: bool, user_name: &str, profile: &str) -> Result<()> {
        files::check_export_path(path)?;
        match kind {
            ExportKind::Console => {
                let account = admin_user::password_account(&state.account_id()?, user_name);
                let password = keychain::get(&account)?.ok_or(EngineError::NeedsEarlierStep(StepId::AdminUser))?;
                let url = state.sign_in_url()?;
                handoff::export_console_csv(path, user_name, &password, &url, overwrite(replace))
            }
            ExportKind::CliImport => {
                let (id, secret) = match &state.pending_secret {
                    Some(pending) => (pending.access_key_id.clone(), pending.secret_access_key.clone()),
                    None => {
                        let key = keychain::load_access_key(profile)?.ok_or(EngineError::NeedsEarlierStep(StepId::AccessKey))?;
                        (key.access_key_id, key.secret_access_key)
                    }
                };
                handoff::export_cli_import_csv(path, user_name, &id, &secret, overwrite(replace))?;
                // Exported: the user holds the only copy now, so the flow may go on.
                state.pending_secret = None;
                Ok(())
            }
        }
    }

    pub async fn cleanup_bootstrap(&self) -> Result<CleanupOutcome> {
        let mut state = self.state.lock().await;
        let admin = state.admin()?;
        let bootstrap = state.bootstrap.clone();
        let outcome = bootstrap_cleanup::run(bootstrap.as_ref(), &admin, state.journal()?).await?;
        state.set_state(StepId::BootstrapCleanup, cleanup_state(&outcome))?;
        if matches!(outcome, CleanupOutcome::Deleted { .. }) {
            state.bootstrap = None;
        }
        Ok(outcome)
    }

    pub async fn confirm_console_step(&self, step: StepId) -> Result<()> {
        if !step.is_console_only() {
            return Err(EngineError::Internal(format!("{} is not a console step", step.as_str())));
        }
        self.state.lock().await.set_state(step, StepState::Done { verified: false })
    }

    /// A Markdown summary with no secrets: step states and the sign-in URL.
    pub async fn export_summary(&self, path: &Path, lang: Lang) -> Result<()> {
        files::check_export_path(path)?;
        let steps = self.steps().await;
        let mut text = format!("# {}\n\n", lang.pick("AWS 설정 마법사 요약", "AWS Setup Wizard summary"));
        if let Ok(account_id) = self.state.lock().await.account_id() {
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

    pub async fn teardown_preview(&self) -> Result<TeardownReport> {
        let mut state = self.state.lock().await;
        Ok(TeardownReport {
            dry_run: true,
            planned: teardown::plan(state.journal()?),
            removed: Vec::new(),
            failed: Vec::new(),
        })
    }

    /// Teardown runs with the bootstrap identity: the admin user is among
    /// what it deletes. After a complete teardown the walkthrough starts over.
    pub async fn teardown_run(&self, lang: Lang) -> Result<TeardownReport> {
        let mut state = self.state.lock().await;
        let connection = state.bootstrap.clone().ok_or(EngineError::NeedsEarlierStep(StepId::Identity))?;
        let report = teardown::run(&connection, state.journal()?, true, lang).await?;
        if report.failed.is_empty() && !report.planned.is_empty() {
            state.journal()?.restart_walkthrough()?;
        }
        state.admin = None;
        Ok(report)
    }
}

/// The extras beyond the walkthrough.
impl WizardSession {
    /// The budget's inputs, checked before connecting: bad input never reaches AWS.
    pub fn check_budget(kind: &BudgetKind, email: &str) -> Result<()> {
        validation::email(email.trim())?;
        if let BudgetKind::Monthly { limit_usd } = kind {
            budget::validate_amount(limit_usd)?;
        }
        Ok(())
    }

    pub fn budget_explanations() -> Vec<Bilingual> {
        budget::explanations()
    }

    pub async fn create_budget(&self, kind: &BudgetKind, email: &str) -> Result<BudgetOutcome> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
        budget::create(&connection, state.journal()?, &account_id, kind, email).await
    }

    /// The security report card. Slow (a credential report): the session
    /// is not locked while it runs.
    pub async fn checkup(&self, lang: Lang) -> Result<Vec<Check>> {
        let (connection, account_id) = {
            let state = self.state.lock().await;
            (state.acting()?, state.account_id()?)
        };
        let checks = checkup::run(&connection, &account_id, lang).await;
        self.state
            .lock()
            .await
            .set_state(StepId::Checkup, StepState::Done { verified: true })?;
        Ok(checks)
    }

    pub async fn export_checkup(&self, path: &Path, lang: Lang, replace: bool) -> Result<()> {
        let checks = self.checkup(lang).await?;
        Self::write_checkup(path, &checks, lang, replace)
    }

    /// Writes a report as Markdown or HTML, by the file's extension.
    pub fn write_checkup(path: &Path, checks: &[Check], lang: Lang, replace: bool) -> Result<()> {
        files::check_export_path(path)?;
        checkup::export(path, checks, lang, replace)
    }

    pub fn checkup_markdown(checks: &[Check], lang: Lang) -> String {
        checkup::to_markdown(checks, lang)
    }

    pub async fn get_contacts(&self) -> Result<Vec<ContactEntry>> {
        let connection = self.state.lock().await.acting()?;
        let mut all = Vec::new();
        for kind in ContactKind::ALL {
            all.push(ContactEntry {
                kind,
                contact: contacts::get(&connection, kind).await?,
                explanation: kind.explanation(),
            });
        }
        Ok(all)
    }

    pub async fn put_contact(&self, kind: ContactKind, contact: &Contact) -> Result<()> {
        contact.validate()?;
        let connection = self.state.lock().await.acting()?;
        contacts::put(&connection, kind, contact).await
    }

    pub async fn delete_contact(&self, kind: ContactKind) -> Result<()> {
        let connection = self.state.lock().await.acting()?;
        contacts::delete(&connection, kind).await
    }

    pub async fn create_partner(&self, user_name: &str) -> Result<PartnerOutcome> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
        let sign_in = alias::sign_in_url(&alias::current(&connection).await?.unwrap_or_else(|| account_id.clone()));
        partner::create(&connection, state.journal()?, &account_id, user_name, &sign_in).await
    }

    /// Writes the sheet (no secrets) beside the locked ZIP; returns the ZIP's
    /// password. The hand-off is rebuilt here from what the engine holds (the
    /// journal, the keychain, AWS), never taken from the caller.
    pub async fn export_partner(
        &self,
        user_name: &str,
        sheet: &Path,
        locked_zip: &Path,
        lang: Lang,
        replace: bool,
    ) -> Result<SecretString> {
        validation::user_name(user_name)?;
        files::check_export_path(sheet)?;
        files::check_export_path(locked_zip)?;
        let (account_id, connection) = {
            let mut state = self.state.lock().await;
            let ours = state.journal()?.created(&Resource::User {
                user_name: user_name.to_string(),
            });
            if !ours {
                return Err(EngineError::NameTakenByOther(user_name.to_string()));
            }
            (state.account_id()?, state.acting()?)
        };
        let secrets =
            partner::load_secrets(&account_id, user_name)?.ok_or_else(|| EngineError::PartnerSecretsMissing(user_name.to_string()))?;
        let handoff = PartnerHandoff {
            user_name: user_name.to_string(),
            sign_in_url: alias::sign_in_url(&alias::current(&connection).await?.unwrap_or(account_id)),
            access_key_id: secrets.access_key_id.clone(),
        };
        partner::write_sheet(sheet, &handoff, lang, overwrite(replace))?;
        partner::write_locked_zip(locked_zip, &handoff, &secrets, overwrite(replace))
    }

    /// Slow (one student after another, a few at a time): the session is
    /// not locked while it runs.
    pub async fn create_class(
        &self,
        settings: &ClassSettings,
        students: &[Student],
        lang: Lang,
        progress: ProgressFn,
    ) -> Result<ClassReport> {
        let connection = self.state.lock().await.acting()?;
        classroom::create::run(&connection, settings, students, lang, progress).await
    }

    /// Writes the class's hand-out CSV and sheets into `dir`.
    pub async fn export_class_handout(
        &self,
        class_id: &str,
        students: &[Student],
        dir: &Path,
        with_keys: bool,
        lang: Lang,
        replace: bool,
    ) -> Result<Vec<PathBuf>> {
        classroom::validate_class_id(class_id)?;
        files::check_export_path(dir)?;
        let connection = self.state.lock().await.acting()?;
        let url = match alias::current(&connection).await? {
            Some(a) => alias::sign_in_url(&a),
            None => alias::sign_in_url(&identity::who_am_i(&connection).await?.account_id),
        };
        let secrets = classroom::create::load_secrets(class_id, students.iter().map(|s| s.user_name.as_str()))?;
        let csv = dir.join(format!("{class_id}-handout.csv"));
        let html = dir.join(format!("{class_id}-sheets.html"));
        classroom::handout::write_csv(&csv, students, &secrets, &url, with_keys, overwrite(replace))?;
        classroom::handout::write_sheets(&html, students, &secrets, &url, lang, overwrite(replace))?;
        Ok(vec![csv, html])
    }

    /// A preview with counts unless `confirmed`. Slow: the session is not locked while it runs.
    pub async fn teardown_class(
        &self,
        class_id: &str,
        concurrency: usize,
        confirmed: bool,
        lang: Lang,
        progress: ProgressFn,
    ) -> Result<ClassTeardownReport> {
        let connection = self.state.lock().await.acting()?;
        classroom::teardown::run(&connection, class_id, concurrency, confirmed, lang, progress).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal_with(bootstrap: Option<Bootstrap>) -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("journal.json")).unwrap();
        journal.bind_account("111122223333").unwrap();
        if let Some(bootstrap) = bootstrap {
            journal.set_bootstrap(bootstrap).unwrap();
        }
        (dir, journal)
    }

    fn root_key(id: &str, deleted: bool) -> Bootstrap {
        Bootstrap::TemporaryKey {
            access_key_id: id.into(),
            user_name: None,
            deleted,
        }
    }

    #[test]
    fn an_undeleted_root_key_is_never_replaced_or_forgotten() {
        let (_dir, journal) = journal_with(Some(root_key("AKIAROOTFIRST0000001", false)));
        let err = replaces_recorded_bootstrap(&journal, &root_key("AKIAROOTSECOND000002", false)).unwrap_err();
        assert_eq!(err.code(), "identity.temporary_key_not_deleted");
        assert!(err.message(Lang::En).contains("AKIAROOTFIRST0000001"));
        let profile = Bootstrap::Existing {
            description: "arn:aws:iam::111122223333:user/me".into(),
        };
        assert!(!replaces_recorded_bootstrap(&journal, &profile).unwrap(), "kept for clean-up");
        assert!(!replaces_recorded_bootstrap(&journal, &root_key("AKIAROOTFIRST0000001", false)).unwrap());
    }

    #[test]
    fn a_deleted_root_key_makes_way_for_a_new_one() {
        let (_dir, journal) = journal_with(Some(root_key("AKIAROOTFIRST0000001", true)));
        assert!(replaces_recorded_bootstrap(&journal, &root_key("AKIAROOTSECOND000002", false)).unwrap());
    }

    #[test]
    fn a_key_of_a_user_the_app_created_is_never_taken_as_temporary() {
        let (_dir, mut journal) = journal_with(None);
        journal
            .record(Resource::User {
                user_name: "aws.user1".into(),
            })
            .unwrap();
        let admins_key = Bootstrap::TemporaryKey {
            access_key_id: "AKIAADMINADMIN000001".into(),
            user_name: Some("aws.user1".into()),
            deleted: false,
        };
        let err = replaces_recorded_bootstrap(&journal, &admins_key).unwrap_err();
        assert_eq!(err.code(), "identity.temporary_key_is_ours");
        let someone_elses = Bootstrap::TemporaryKey {
            access_key_id: "AKIAOTHEROTHER000001".into(),
            user_name: Some("bootstrap-admin".into()),
            deleted: false,
        };
        assert!(replaces_recorded_bootstrap(&journal, &someone_elses).unwrap());
    }
}
