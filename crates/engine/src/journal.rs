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
    Alias { alias: String },
    User { user_name: String },
    Group { group_name: String },
    GroupPolicy { group_name: String, policy_arn: String },
    UserPolicy { user_name: String, policy_arn: String },
    GroupMembership { group_name: String, user_name: String },
    LoginProfile { user_name: String },
    PasswordPolicy,
    MfaDevice { user_name: String, serial_number: String },
    AccessKey { user_name: String, access_key_id: String },
    KeychainEntry { account: String },
    Budget { name: String },
    AwsCliProfile { profile: String },
    CredentialsFileProfile { profile: String },
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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalData {
    pub version: u32,
    pub account_id: Option<String>,
    pub bootstrap: Option<Bootstrap>,
    pub steps: BTreeMap<StepId, StepState>,
    pub resources: Vec<Resource>,
}

pub struct Journal {
    path: PathBuf,
    pub data: JournalData,
}

impl Journal {
    pub fn default_path() -> Result<PathBuf> {
        Ok(app_data::data_dir()?.join("journal.json"))
    }

    pub fn open_default() -> Result<Journal> {
        Journal::open(&Journal::default_path()?)
    }

    /// A missing journal is a fresh start; an unreadable one is an error, so
    /// that what it recorded is never silently forgotten.
    pub fn open(path: &Path) -> Result<Journal> {
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
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn save(&self) -> Result<()> {
        let json = serde_json::to_vec_pretty(&self.data).map_err(|e| EngineError::Internal(e.to_string()))?;
        files::write_atomic(&self.path, &json, Overwrite::Replace)
    }

    /// Ties the journal to one account. Connecting to another account starts
    /// a fresh journal and keeps the old one beside it.
    pub fn bind_account(&mut self, account_id: &str) -> Result<()> {
        match &self.data.account_id {
            Some(existing) if existing == account_id => return Ok(()),
            Some(existing) => {
                let archive = self.path.with_file_name(format!("journal-{existing}.json"));
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

    pub fn set_state(&mut self, step: StepId, state: StepState) -> Result<()> {
        self.data.steps.insert(step, state);
        self.save()
    }

    /// Records a created resource right away; recording twice is a no-op.
    pub fn record(&mut self, resource: Resource) -> Result<()> {
        if !self.data.resources.contains(&resource) {
            self.data.resources.push(resource);
            self.save()?;
        }
        Ok(())
    }

    pub fn forget(&mut self, resource: &Resource) -> Result<()> {
        let before = self.data.resources.len();
        self.data.resources.retain(|r| r != resource);
        if self.data.resources.len() != before {
            self.save()?;
        }
        Ok(())
    }

    pub fn created(&self, resource: &Resource) -> bool {
        self.data.resources.contains(resource)
    }

    pub fn set_bootstrap(&mut self, bootstrap: Bootstrap) -> Result<()> {
        self.data.bootstrap = Some(bootstrap);
        self.save()
    }

    /// After a complete teardown: every step to do again, no bootstrap key.
    pub fn restart_walkthrough(&mut self) -> Result<()> {
        self.data.steps.clear();
        self.data.bootstrap = None;
        self.save()
    }
}

/// The sidebar's view of every step, as the journal has it (all to do without one).
pub fn step_views(journal: Option<&Journal>) -> Vec<StepView> {
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
        let reopened = Journal::open(&path).unwrap();
        assert_eq!(reopened.data.resources, vec![user]);
        assert_eq!(reopened.state(StepId::AdminUser), StepState::Done { verified: true });
        assert_eq!(reopened.state(StepId::Alias), StepState::Todo);
    }

    #[test]
    fn another_account_starts_a_fresh_journal_and_archives_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        let mut journal = Journal::open(&path).unwrap();
        journal.bind_account("111111111111").unwrap();
        journal.record(Resource::PasswordPolicy).unwrap();
        journal.bind_account("222222222222").unwrap();
        assert!(journal.data.resources.is_empty());
        assert!(dir.path().join("journal-111111111111.json").exists());
    }

    #[test]
    fn a_corrupt_journal_is_an_error_not_a_fresh_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(Journal::open(&path).err().unwrap().code(), "journal.corrupt");
    }
}
