//! The resume journal: each step's state and every resource the app created,
//! by name and id only, never a secret. It is rewritten atomically after every
//! change, so a crash at any point leaves the last good version.

use crate::app_data;
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::walkthrough::{StepId, StepState, StepView};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

const VERSION: u32 = 1;

/// Something in AWS or on this computer that the app created and teardown may remove.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum Resource {
    Alias {
        alias: String,
    },
    User {
        user_name: String,
    },
    Group {
        group_name: String,
    },
    GroupPolicy {
        group_name: String,
        policy_arn: String,
    },
    UserPolicy {
        user_name: String,
        policy_arn: String,
    },
    GroupMembership {
        group_name: String,
        user_name: String,
    },
    LoginProfile {
        user_name: String,
    },
    PasswordPolicy,
    MfaDevice {
        user_name: String,
        serial_number: String,
    },
    AccessKey {
        user_name: String,
        access_key_id: String,
    },
    KeychainEntry {
        account: String,
    },
    Budget {
        name: String,
    },
    AwsCliProfile {
        profile: String,
    },
    CredentialsFileProfile {
        profile: String,
    },
    // Classroom accounts mode (classroom/accounts/), in its own journals.
    OrgAccount {
        account_id: String,
        user_name: String,
    },
    OrganizationalUnit {
        ou_id: String,
        name: String,
    },
    Scp {
        policy_id: String,
        name: String,
    },
    PermissionSet {
        arn: String,
    },
    IdentityStoreUser {
        user_id: String,
        user_name: String,
    },
    /// An `[sso-session NAME]` section of `~/.aws/config`, for Identity
    /// Center in `region` (steps/identity_center_admin.rs).
    SsoSession {
        name: String,
        region: String,
    },
}

impl Resource {
    /// Whether the resource hangs off this IAM user (and goes with it).
    pub fn belongs_to_user(&self, user: &str) -> bool {
        match self {
            Resource::User { user_name }
            | Resource::UserPolicy { user_name, .. }
            | Resource::GroupMembership { user_name, .. }
            | Resource::LoginProfile { user_name }
            | Resource::MfaDevice { user_name, .. }
            | Resource::AccessKey { user_name, .. } => user_name == user,
            _ => false,
        }
    }
}

/// How the engine got its first permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum Bootstrap {
    /// A temporary key the user pasted, to be deleted at the end: root's
    /// (`user_name` is `None`), or an IAM user's the user marked as temporary.
    TemporaryKey {
        access_key_id: String,
        user_name: Option<String>,
        deleted: bool,
    },
    /// A pasted key of an IAM user the user keeps: left alone.
    IamUserKey { access_key_id: String, user_name: String },
    /// An AWS CLI profile or the default chain: left alone.
    Existing { description: String },
    /// A console sign-in (`aws login`) of `arn` in `profile`: no key was
    /// made, so none is deleted; the app's own sign-in is signed out.
    ConsoleSession { profile: String, arn: String },
}

/// A creating call that was sent and whose answer may be lost (a timeout, a
/// dropped connection, a crash). The next run reconciles it by reading AWS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Pending {
    /// `CreateUser` for the admin user.
    User { user_name: String },
    /// `CreateAccessKey` for this user, sent at `since` (unix seconds).
    AccessKey { user_name: String, since: i64 },
    /// `CreateVirtualMFADevice` with this device name.
    MfaDevice { device_name: String },
    /// A call that makes `resource`, which the journal records once it
    /// returns. Found again on a later run, the resource is the app's.
    Creating { resource: Resource },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalData {
    pub version: u32,
    pub account_id: Option<String>,
    pub bootstrap: Option<Bootstrap>,
    pub steps: BTreeMap<StepId, StepState>,
    pub resources: Vec<Resource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<Pending>,
    /// The user signed in to the console as the admin user (with its
    /// password and MFA) and said so: the temporary key may go.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub admin_sign_in_confirmed: bool,
    /// What the user made by hand and the app took over (a handout done
    /// halfway): used by the walkthrough, never removed by teardown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adopted: Vec<Resource>,
    /// The billing check's answer, kept so the paid request is made once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_check: Option<crate::steps::billing_access::BillingCheck>,
    /// How the admin's AWS CLI profile gets credentials, once chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli_access: Option<crate::steps::handoff::CliAccess>,
}

pub struct Journal {
    path: PathBuf,
    pub data: JournalData,
    /// An OS lock (`journal.json.lock`) held while this journal is open, so a
    /// second window or `aws-setup` cannot write the same journal at once.
    _lock: Option<std::fs::File>,
}

impl Journal {
    pub(crate) fn default_path() -> Result<PathBuf> {
        Ok(app_data::data_dir()?.join("journal.json"))
    }

    pub(crate) fn open_default() -> Result<Journal> {
        Journal::open(&Journal::default_path()?)
    }

    /// A missing journal is a fresh start; an unreadable one is an error, so
    /// that what it recorded is never silently forgotten.
    pub fn open(path: &Path) -> Result<Journal> {
        let lock = Self::lock(path)?;
        let mut journal = Self::read(path)?;
        journal._lock = Some(lock);
        Ok(journal)
    }

    /// The default journal, read without taking the lock: for views only.
    pub(crate) fn peek_default() -> Result<Journal> {
        Journal::read(&Journal::default_path()?)
    }

    fn lock(path: &Path) -> Result<std::fs::File> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| EngineError::file(dir, &e))?;
        }
        let lock_path = path.with_extension("json.lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| EngineError::file(&lock_path, &e))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => Err(EngineError::JournalBusy(path.display().to_string())),
            Err(std::fs::TryLockError::Error(e)) => Err(EngineError::file(&lock_path, &e)),
        }
    }

    fn read(path: &Path) -> Result<Journal> {
        let data = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| EngineError::JournalCorrupt(path.display().to_string()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => JournalData {
                version: VERSION,
                ..JournalData::default()
            },
            Err(e) => return Err(EngineError::file(path, &e)),
        };
        Ok(Journal {
            path: path.to_path_buf(),
            data,
            _lock: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn save(&self) -> Result<()> {
        let json = serde_json::to_vec_pretty(&self.data).map_err(|e| EngineError::Internal(e.to_string()))?;
        files::write_atomic(&self.path, &json, Overwrite::Replace)
    }

    /// Whether the journal records anything of the account's: a resource the
    /// app made, or a temporary key still to delete.
    fn holds_progress(&self) -> bool {
        !self.data.resources.is_empty() || matches!(self.data.bootstrap, Some(Bootstrap::TemporaryKey { deleted: false, .. }))
    }

    /// Ties the journal to one account. Another account's credentials are
    /// refused while the journal holds progress in the first account, so
    /// nothing of either account is changed or forgotten. A journal with
    /// nothing in it is kept beside the new one, under a name never reused.
    pub fn bind_account(&mut self, account_id: &str) -> Result<()> {
        match &self.data.account_id {
            Some(existing) if existing == account_id => return Ok(()),
            Some(existing) if self.holds_progress() => {
                return Err(EngineError::WrongAccount {
                    journal_account: existing.clone(),
                    caller_account: account_id.to_string(),
                })
            }
            Some(existing) => {
                let archive = (1..)
                    .map(|n| match n {
                        1 => self.path.with_file_name(format!("journal-{existing}.json")),
                        n => self.path.with_file_name(format!("journal-{existing}-{n}.json")),
                    })
                    .find(|p| !p.exists())
                    .expect("an unused name exists");
                std::fs::rename(&self.path, &archive).map_err(|e| EngineError::file(&archive, &e))?;
                self.data = JournalData {
                    version: VERSION,
                    ..JournalData::default()
                };
            }
            None => {}
        }
        self.data.account_id = Some(account_id.to_string());
        self.save()
    }

    pub fn state(&self, step: StepId) -> StepState {
        self.data.steps.get(&step).cloned().unwrap_or(StepState::Todo)
    }

    pub(crate) fn set_state(&mut self, step: StepId, state: StepState) -> Result<()> {
        self.data.steps.insert(step, state);
        self.save()
    }

    /// Records a created resource right away; recording twice is a no-op.
    pub fn record(&mut self, resource: Resource) -> Result<()> {
        let before = self.data.pending.len();
        self.data
            .pending
            .retain(|p| !matches!(p, Pending::Creating { resource: r } if *r == resource));
        let cleared = self.data.pending.len() != before;
        if !self.data.resources.contains(&resource) {
            self.data.resources.push(resource);
        } else if !cleared {
            return Ok(());
        }
        self.save()
    }

    /// Marks a create as sent, before it is: if the process dies between the
    /// create and [`Journal::record`], the next run finds the resource in AWS
    /// and [`Journal::record_if_creating`] makes it the app's.
    pub(crate) fn mark_creating(&mut self, resource: &Resource) -> Result<()> {
        self.mark_pending(Pending::Creating {
            resource: resource.clone(),
        })
    }

    /// The resource exists, but the journal may not record it: records it
    /// when a create of it was marked. Returns whether it is the app's.
    pub(crate) fn record_if_creating(&mut self, resource: &Resource) -> Result<bool> {
        let creating = self
            .data
            .pending
            .iter()
            .any(|p| matches!(p, Pending::Creating { resource: r } if r == resource));
        if creating {
            self.record(resource.clone())?;
        }
        Ok(self.created(resource))
    }

    pub(crate) fn forget(&mut self, resource: &Resource) -> Result<()> {
        self.forget_where(|r| r == resource)
    }

    /// Forgets every recorded resource `gone` matches (AWS no longer has it).
    pub(crate) fn forget_where(&mut self, gone: impl Fn(&Resource) -> bool) -> Result<()> {
        let before = self.data.resources.len();
        self.data.resources.retain(|r| !gone(r));
        if self.data.resources.len() != before {
            self.save()?;
        }
        Ok(())
    }

    /// Marks a creating call as sent, before it is sent.
    pub fn mark_pending(&mut self, pending: Pending) -> Result<()> {
        self.data.pending.retain(|p| p != &pending);
        self.data.pending.push(pending);
        self.save()
    }

    /// The creating call's answer arrived and was recorded (or reconciled).
    pub fn clear_pending(&mut self, pending: &Pending) -> Result<()> {
        self.data.pending.retain(|p| p != pending);
        self.save()
    }

    pub fn created(&self, resource: &Resource) -> bool {
        self.data.resources.contains(resource)
    }

    /// Takes over something the user made by hand. Adopted is not created:
    /// teardown plans only `resources`, so it leaves this alone.
    pub(crate) fn adopt(&mut self, resource: Resource) -> Result<()> {
        if !self.data.adopted.contains(&resource) {
            self.data.adopted.push(resource);
            self.save()?;
        }
        Ok(())
    }

    pub fn adopted(&self, resource: &Resource) -> bool {
        self.data.adopted.contains(resource)
    }

    pub fn set_bootstrap(&mut self, bootstrap: Bootstrap) -> Result<()> {
        self.data.bootstrap = Some(bootstrap);
        self.save()
    }

    /// After a complete teardown: every step to do again, no bootstrap key.
    pub(crate) fn restart_walkthrough(&mut self) -> Result<()> {
        self.data.steps.clear();
        self.data.bootstrap = None;
        self.data.admin_sign_in_confirmed = false;
        self.data.billing_check = None;
        self.data.cli_access = None;
        self.data.adopted.clear();
        self.save()
    }
}

/// The sidebar's view of every step, as the journal has it (all to do without one).
pub(crate) fn step_views(journal: Option<&Journal>) -> Vec<StepView> {
    StepId::ALL
        .iter()
        .map(|&id| StepView {
            id,
            console_only: id.is_console_only(),
            state: journal.map(|j| j.state(id)).unwrap_or(StepState::Todo),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A resource found in AWS is the app's only when a create of it was marked.
    #[test]
    fn only_a_marked_create_is_claimed_after_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let group = Resource::Group {
            group_name: "Administrators".into(),
        };
        let mut journal = Journal::open(&path).unwrap();
        assert!(!journal.record_if_creating(&group).unwrap(), "never marked: someone else's");
        journal.mark_creating(&group).unwrap();
        drop(journal); // the crash: marked, created, not recorded

        let mut journal = Journal::open(&path).unwrap();
        assert!(journal.record_if_creating(&group).unwrap());
        assert!(journal.created(&group));
        drop(journal);
        assert!(
            Journal::open(&path).unwrap().data.pending.is_empty(),
            "recording cleared the mark on disk"
        );
    }

    #[test]
    fn records_survive_a_reopen_and_are_not_duplicated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let mut journal = Journal::open(&path).unwrap();
        journal.bind_account("123456789012").unwrap();
        let user = Resource::User {
            user_name: "aws.user1".into(),
        };
        journal.record(user.clone()).unwrap();
        journal.record(user.clone()).unwrap();
        journal.set_state(StepId::AdminUser, StepState::Done { verified: true }).unwrap();
        drop(journal);
        let reopened = Journal::open(&path).unwrap();
        assert_eq!(reopened.data.resources, vec![user]);
        assert_eq!(reopened.state(StepId::AdminUser), StepState::Done { verified: true });
        assert_eq!(reopened.state(StepId::Alias), StepState::Todo);
    }

    #[test]
    fn another_account_is_refused_while_the_journal_holds_progress() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let mut journal = Journal::open(&path).unwrap();
        journal.bind_account("111111111111").unwrap();
        journal.record(Resource::PasswordPolicy).unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = journal.bind_account("222222222222").unwrap_err();
        assert_eq!(err.code(), "journal.wrong_account");
        for lang in [crate::Lang::Ko, crate::Lang::En] {
            let message = err.message(lang);
            assert!(message.contains("111111111111") && message.contains("222222222222"), "{message}");
        }
        assert_eq!(journal.data.account_id.as_deref(), Some("111111111111"));
        assert_eq!(std::fs::read(&path).unwrap(), before, "the journal on disk is untouched");
    }

    #[test]
    fn an_empty_journal_moves_aside_under_a_name_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let mut journal = Journal::open(&path).unwrap();
        for (from, to) in [
            ("111111111111", "222222222222"),
            ("222222222222", "111111111111"),
            ("111111111111", "333333333333"),
        ] {
            journal.bind_account(from).unwrap();
            journal.set_state(StepId::Identity, StepState::Done { verified: true }).unwrap();
            journal.bind_account(to).unwrap();
            assert_eq!(journal.data.account_id.as_deref(), Some(to));
            assert_eq!(journal.state(StepId::Identity), StepState::Todo);
        }
        assert!(dir.path().join("journal-111111111111.json").exists());
        assert!(dir.path().join("journal-111111111111-2.json").exists());
        assert!(dir.path().join("journal-222222222222.json").exists());
    }

    #[test]
    fn a_second_writer_is_stopped_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let first = Journal::open(&path).unwrap();
        let second = Journal::open(&path).err().expect("the journal is locked");
        assert_eq!(second.code(), "journal.busy");
        drop(first);
        assert!(Journal::open(&path).is_ok(), "the lock goes with the first writer");
    }

    #[test]
    fn a_corrupt_journal_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(Journal::open(&path).err().unwrap().code(), "journal.corrupt");
    }
}
