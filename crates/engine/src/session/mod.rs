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
use crate::console_sign_in;
use crate::crash_points::crash_point;
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::iam;
use crate::journal::{self, Bootstrap, Journal, Resource};
use crate::keychain;
use crate::lang::{Bilingual, Lang};
use crate::mfa_session;
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
use crate::steps::handoff::{self, CliAccess, ProfileCredentials};
use crate::steps::identity::{self, CallerKind, Identity, IdentityStatus};
use crate::steps::identity_center_admin::{self, IdentityCenterAdminForm, IdentityCenterAdminOutcome};
use crate::steps::partner::{self, PartnerHandoff, PartnerOutcome, PartnerPreset};
use crate::steps::teardown::{self, TeardownReport};
use crate::steps::user_mfa::{self, Enrollment, MfaBegin, RootMfaHelper};
use crate::validation;
use crate::walkthrough::{ConsoleTask, StepId, StepState, StepView};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use ts_rs::TS;

mod classroom_accounts;
mod connect;
mod extras;
mod root_mfa;
mod walkthrough;

/// How long a brand-new key may take to work everywhere.
const NEW_KEY_WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ConnectResult {
    pub identity: Identity,
    pub bootstrap: Bootstrap,
    pub account: AccountStatus,
}

/// The admin user's first console sign-in, asked for before the temporary key goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct AdminSignIn {
    pub sign_in_url: String,
    pub user_name: String,
    pub mfa_enabled: bool,
    pub confirmed: bool,
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
    /// Take over a same-named user made by hand with administrator rights.
    #[serde(default)]
    pub adopt: bool,
}

/// The Access key screen's choice for the admin's AWS CLI profile.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct CliProfileForm {
    pub profile: String,
    pub region: String,
    pub access: CliAccess,
    /// MFA sessions only: `90m`, `12h` (15 minutes to 36 hours; 12 hours when absent).
    pub session_length: Option<String>,
    /// The user said yes to changing a profile of theirs with this name.
    #[serde(default)]
    pub replace_existing: bool,
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
        self.journal()?.set_state(step, state)?;
        crash_point!("walkthrough.step_saved");
        Ok(())
    }

    /// What a read of the account proves: root MFA, a console-only step, is on.
    fn record_account(&mut self, account: &AccountStatus) -> Result<()> {
        if account.root_mfa_enabled {
            self.set_state(StepId::RootMfa, StepState::Done { verified: true })?;
        }
        Ok(())
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

    /// What the walkthrough works with: what it adopted (a handout done by
    /// hand, taken over first), then what it created.
    fn find_resource<T>(&mut self, pick: impl Fn(&Resource) -> Option<T>) -> Result<Option<T>> {
        let data = &self.journal()?.data;
        Ok(data.adopted.iter().chain(data.resources.iter()).find_map(pick))
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
    /// Pressed Cancel while `aws login` waits for the browser.
    sign_in_cancel: tokio::sync::Notify,
}

impl Default for WizardSession {
    fn default() -> Self {
        WizardSession::new(ConnectOptions::default())
    }
}
