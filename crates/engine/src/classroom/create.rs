//! Creating a class: the group, then every student with bounded concurrency.
//! One student's failure never stops the others; running again skips the
//! students who are done and finishes the rest, with no duplicates.

use super::roster::Student;
use super::{group_name, iam_path, student_account, ClassSettings, CLASS_TAG_KEY};
use crate::connection::Connection;
use crate::error::{EngineError, Result, UiError};
use crate::iam::{self, CHANGE_PASSWORD_POLICY_ARN};
use crate::journal::{Journal, Resource};
use crate::keychain;
use crate::lang::Lang;
use crate::passwords;
use aws_sdk_iam::types::Tag;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::Mutex;
use ts_rs::TS;
use zeroize::Zeroizing;

/// A student's initial credentials, kept in one keychain entry per student.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct StudentSecrets {
    pub password: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl Drop for StudentSecrets {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.password.zeroize();
        self.secret_access_key.zeroize();
    }
}

pub type ClassSecrets = BTreeMap<String, StudentSecrets>;

/// The kept credentials of these students (those with none are left out).
pub(crate) fn load_secrets<'a>(class_id: &str, user_names: impl IntoIterator<Item = &'a str>) -> Result<ClassSecrets> {
    let mut secrets = ClassSecrets::new();
    for user_name in user_names {
        if let Some(json) = keychain::get(&student_account(class_id, user_name))? {
            let student = serde_json::from_str(json.expose_secret())
                .map_err(|_| EngineError::KeychainUnavailable("a class entry is not in the expected form".into()))?;
            secrets.insert(user_name.to_string(), student);
        }
    }
    Ok(secrets)
}

pub(crate) fn save_student(class_id: &str, user_name: &str, student: &StudentSecrets) -> Result<()> {
    let json = Zeroizing::new(serde_json::to_string(student).map_err(|e| EngineError::Internal(e.to_string()))?);
    keychain::set(&student_account(class_id, user_name), &SecretString::from(json.as_str()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ClassProgress {
    pub done: u32,
    pub failed: u32,
    pub remaining: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct StudentFailure {
    pub user_name: String,
    pub error: UiError,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ClassReport {
    pub class_id: String,
    pub created: Vec<String>,
    pub already_done: Vec<String>,
    pub failed: Vec<StudentFailure>,
}

pub(crate) fn class_journal_path(class_id: &str) -> Result<std::path::PathBuf> {
    Ok(crate::app_data::data_dir()?.join("classes").join(format!("{class_id}.json")))
}

fn class_tags(class_id: &str) -> Result<Vec<Tag>> {
    let mut tags = crate::ownership::markers()?;
    tags.push(iam::tag(CLASS_TAG_KEY, class_id));
    Ok(tags)
}

/// The class group with the preset's policies and IAMUserChangePassword.
async fn ensure_group(conn: &Connection, journal: &Mutex<Journal>, settings: &ClassSettings) -> Result<()> {
    let group = group_name(&settings.class_id);
    if iam::create_group(conn, &group, Some(iam_path(&settings.class_id))).await? {
        journal.lock().await.record(Resource::Group { group_name: group.clone() })?;
    }
    let mut policies = settings.policy.policy_arns();
    policies.push(CHANGE_PASSWORD_POLICY_ARN.into());
    for arn in policies {
        iam::attach_group_policy(conn, &group, &arn).await?;
        journal.lock().await.record(Resource::GroupPolicy {
            group_name: group.clone(),
            policy_arn: arn,
        })?;
    }
    Ok(())
}

struct Shared {
    conn: Connection,
    settings: ClassSettings,
    journal: Mutex<Journal>,
    secrets: Mutex<ClassSecrets>,
}

impl Shared {
    async fn remember(&self, user_name: &str, update: impl FnOnce(&mut StudentSecrets)) -> Result<()> {
        let mut secrets = self.secrets.lock().await;
        let student = secrets.entry(user_name.to_string()).or_default();
        update(student);
        save_student(&self.settings.class_id, user_name, student)?;
        drop(secrets);
        self.record(Resource::KeychainEntry {
            account: student_account(&self.settings.class_id, user_name),
        })
        .await
    }

    async fn record(&self, resource: Resource) -> Result<()> {
        self.journal.lock().await.record(resource)
    }
}

/// Returns true when something had to be created.
async fn create_student(shared: &Shared, student: &Student) -> Result<bool> {
    let conn = &shared.conn;
    let class_id = &shared.settings.class_id;
    let user = &student.user_name;
    let mut changed = false;

    match iam::user_has_tag(conn, user, CLASS_TAG_KEY, class_id).await? {
        Some(true) => {}
        Some(false) => return Err(EngineError::NameTakenByOther(user.clone())),
        None => {
            iam::create_user(conn, user, Some(iam_path(class_id)), class_tags(class_id)?).await?;
            shared.record(Resource::User { user_name: user.clone() }).await?;
            changed = true;
        }
    }

    iam::add_user_to_group(conn, &group_name(class_id), user).await?;
    shared
        .record(Resource::GroupMembership {
            group_name: group_name(class_id),
            user_name: user.clone(),
        })
        .await?;

    let known_password = shared.secrets.lock().await.get(user).and_then(|s| s.password.clone()).is_some();
    let has_profile = iam::has_login_profile(conn, user).await?;
    if !(has_profile && known_password) {
        if has_profile {
            // Its password was lost with a crashed run: replace it.
            iam::delete_login_profile(conn, user).await?;
        }
        let password = passwords::generate();
        // Kept before AWS sees it, so the hand-out can always be written.
        shared
            .remember(user, |s| s.password = Some(password.expose_secret().to_string()))
            .await?;
        iam::create_login_profile(conn, user, &password, true).await?;
        shared.record(Resource::LoginProfile { user_name: user.clone() }).await?;
        changed = true;
    }

    if shared.settings.access_keys {
        let known_key = shared.secrets.lock().await.get(user).and_then(|s| s.access_key_id.clone());
        let keys = iam::access_keys(conn, user).await?.unwrap_or_default();
        let ids: Vec<String> = keys.iter().filter_map(|k| k.access_key_id().map(str::to_string)).collect();
        if known_key.as_ref().is_none_or(|id| !ids.contains(id)) {
            // A class user's keys are all ours; one without its secret is useless.
            for id in &ids {
                iam::delete_access_key(conn, Some(user), id).await?;
            }
            let key = iam::create_access_key(conn, user).await?;
            shared
                .remember(user, |s| {
                    s.access_key_id = Some(key.access_key_id.clone());
                    s.secret_access_key = Some(key.secret_access_key.expose_secret().to_string());
                })
                .await?;
            shared
                .record(Resource::AccessKey {
                    user_name: user.clone(),
                    access_key_id: key.access_key_id.clone(),
                })
                .await?;
            changed = true;
        }
    }
    Ok(changed)
}

/// Creates the class. `progress` is called after every student.
pub async fn run(
    conn: &Connection,
    settings: &ClassSettings,
    students: &[Student],
    lang: Lang,
    progress: Arc<dyn Fn(ClassProgress) + Send + Sync>,
) -> Result<ClassReport> {
    settings.validate()?;
    let journal = Journal::open(&class_journal_path(&settings.class_id)?)?;
    let shared = Arc::new(Shared {
        conn: conn.clone(),
        settings: settings.clone(),
        journal: Mutex::new(journal),
        secrets: Mutex::new(load_secrets(&settings.class_id, students.iter().map(|s| s.user_name.as_str()))?),
    });
    ensure_group(conn, &shared.journal, settings).await?;

    let by_name: std::collections::HashMap<String, Student> = students.iter().map(|s| (s.user_name.clone(), s.clone())).collect();
    let names = students.iter().map(|s| s.user_name.clone()).collect();
    let (done, failed) = super::for_each_student(names, settings.concurrency as usize, lang, progress.as_ref(), |user_name| {
        let shared = shared.clone();
        let student = by_name[&user_name].clone();
        async move { create_student(&shared, &student).await }
    })
    .await?;
    let (mut created, mut already_done): (Vec<_>, Vec<_>) = done.into_iter().partition(|(_, changed)| *changed);
    created.sort();
    already_done.sort();
    Ok(ClassReport {
        class_id: settings.class_id.clone(),
        created: created.into_iter().map(|(name, _)| name).collect(),
        already_done: already_done.into_iter().map(|(name, _)| name).collect(),
        failed,
    })
}
