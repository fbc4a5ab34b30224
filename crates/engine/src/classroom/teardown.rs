//! Removing a class: every user under the class's IAM path that carries the
//! class tag, their keys, MFA devices, login profiles and memberships, then
//! the class group. Nothing outside the class is looked at twice or touched.

use super::{group_name, iam_path, legacy_class_account, student_account, CLASS_TAG_KEY};
use crate::connection::Connection;
use crate::error::Result;
use crate::iam;
use crate::keychain;
use crate::lang::Lang;
use serde::Serialize;
use std::sync::Arc;
use ts_rs::TS;

use super::create::{ClassProgress, StudentFailure};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ClassCounts {
    pub users: u32,
    pub access_keys: u32,
    pub mfa_devices: u32,
    pub login_profiles: u32,
    pub groups: u32,
}

impl std::ops::AddAssign for ClassCounts {
    fn add_assign(&mut self, other: ClassCounts) {
        self.users += other.users;
        self.access_keys += other.access_keys;
        self.mfa_devices += other.mfa_devices;
        self.login_profiles += other.login_profiles;
        self.groups += other.groups;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ClassTeardownReport {
    pub dry_run: bool,
    /// What was found (dry run) or removed.
    pub counts: ClassCounts,
    pub failed: Vec<StudentFailure>,
}

/// The class's users: under its path, and tagged with it.
async fn class_users(conn: &Connection, class_id: &str) -> Result<Vec<String>> {
    let mut ours = Vec::new();
    for user in iam::users_under(conn, &iam_path(class_id)).await? {
        if iam::user_has_tag(conn, user.user_name(), CLASS_TAG_KEY, class_id).await? == Some(true) {
            ours.push(user.user_name().to_string());
        }
    }
    Ok(ours)
}

async fn remove_user(conn: &Connection, user: &str, dry_run: bool) -> Result<ClassCounts> {
    let removal = iam::remove_user_and_attachments(conn, user, dry_run).await?;
    Ok(ClassCounts {
        users: 1,
        access_keys: removal.access_keys,
        mfa_devices: removal.mfa_devices,
        login_profiles: removal.login_profiles,
        ..ClassCounts::default()
    })
}

async fn remove_group(conn: &Connection, class_id: &str, dry_run: bool) -> Result<u32> {
    let wanted = group_name(class_id);
    let groups = iam::groups_under(conn, &iam_path(class_id)).await?;
    if !groups.iter().any(|g| g.group_name() == wanted) {
        return Ok(0);
    }
    if !dry_run {
        iam::remove_group_and_policies(conn, &wanted).await?;
    }
    Ok(1)
}

/// A dry run (the preview with counts) unless `confirmed`.
pub async fn run(
    conn: &Connection,
    class_id: &str,
    concurrency: usize,
    confirmed: bool,
    lang: Lang,
    progress: Arc<dyn Fn(ClassProgress) + Send + Sync>,
) -> Result<ClassTeardownReport> {
    super::validate_class_id(class_id)?;
    super::validate_concurrency(concurrency)?;
    let users = class_users(conn, class_id).await?;
    let (removed, failed) = super::for_each_student(users.clone(), concurrency, lang, progress.as_ref(), |user| {
        let conn = conn.clone();
        async move { remove_user(&conn, &user, !confirmed).await }
    })
    .await?;
    let mut report = ClassTeardownReport {
        dry_run: !confirmed,
        counts: ClassCounts::default(),
        failed,
    };
    for (_, counts) in removed {
        report.counts += counts;
    }
    if report.failed.is_empty() {
        report.counts.groups = remove_group(conn, class_id, !confirmed).await?;
        if confirmed {
            for user in &users {
                keychain::delete(&student_account(class_id, user))?;
            }
            keychain::delete(&legacy_class_account(class_id))?;
            let _ = std::fs::remove_file(super::create::class_journal_path(class_id)?);
        }
    }
    Ok(report)
}
