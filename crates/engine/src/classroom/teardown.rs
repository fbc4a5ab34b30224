//! Removing a class: every user under the class's IAM path that carries the
//! class tag, their keys, MFA devices, login profiles and memberships, then
//! the class group. Nothing outside the class is looked at twice or touched.

use super::{group_name, iam_path, secrets_account, CLASS_TAG_KEY};
use crate::aws_error;
use crate::connection::Connection;
use crate::error::Result;
use crate::keychain;
use crate::lang::Lang;
use crate::steps::admin_user;
use serde::Serialize;
use std::sync::Arc;
use ts_rs::TS;

use super::create::{ClassProgress, StudentFailure};

/// Gone already: the goal of every delete here.
const GONE: &str = "NoSuchEntity";

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
    for user in admin_user::users_under(conn, &iam_path(class_id)).await? {
        if admin_user::has_tag(conn, user.user_name(), CLASS_TAG_KEY, class_id).await? == Some(true) {
            ours.push(user.user_name().to_string());
        }
    }
    Ok(ours)
}

async fn remove_user(conn: &Connection, user: &str, dry_run: bool) -> Result<ClassCounts> {
    let iam = &conn.iam;
    let mut counts = ClassCounts {
        users: 1,
        ..ClassCounts::default()
    };
    let keys = iam
        .list_access_keys()
        .user_name(user)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("ListAccessKeys", e))?;
    for key in keys.access_key_metadata() {
        counts.access_keys += 1;
        if !dry_run {
            aws_error::tolerating(
                "DeleteAccessKey",
                iam.delete_access_key()
                    .user_name(user)
                    .set_access_key_id(key.access_key_id().map(str::to_string))
                    .send()
                    .await,
                &[GONE],
            )?;
        }
    }
    let devices = iam
        .list_mfa_devices()
        .user_name(user)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("ListMFADevices", e))?;
    for device in devices.mfa_devices() {
        counts.mfa_devices += 1;
        if !dry_run {
            aws_error::tolerating(
                "DeactivateMFADevice",
                iam.deactivate_mfa_device()
                    .user_name(user)
                    .serial_number(device.serial_number())
                    .send()
                    .await,
                &[GONE],
            )?;
            aws_error::tolerating(
                "DeleteVirtualMFADevice",
                iam.delete_virtual_mfa_device().serial_number(device.serial_number()).send().await,
                &[GONE],
            )?;
        }
    }
    if aws_error::tolerating("GetLoginProfile", iam.get_login_profile().user_name(user).send().await, &[GONE])?.is_some() {
        counts.login_profiles += 1;
        if !dry_run {
            aws_error::tolerating(
                "DeleteLoginProfile",
                iam.delete_login_profile().user_name(user).send().await,
                &[GONE],
            )?;
        }
    }
    if dry_run {
        return Ok(counts);
    }
    let groups = iam
        .list_groups_for_user()
        .user_name(user)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("ListGroupsForUser", e))?;
    for group in groups.groups() {
        aws_error::tolerating(
            "RemoveUserFromGroup",
            iam.remove_user_from_group()
                .user_name(user)
                .group_name(group.group_name())
                .send()
                .await,
            &[GONE],
        )?;
    }
    let attached = iam
        .list_attached_user_policies()
        .user_name(user)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("ListAttachedUserPolicies", e))?;
    for policy in attached.attached_policies() {
        aws_error::tolerating(
            "DetachUserPolicy",
            iam.detach_user_policy()
                .user_name(user)
                .set_policy_arn(policy.policy_arn().map(str::to_string))
                .send()
                .await,
            &[GONE],
        )?;
    }
    aws_error::tolerating("DeleteUser", iam.delete_user().user_name(user).send().await, &[GONE])?;
    Ok(counts)
}

async fn remove_group(conn: &Connection, class_id: &str, dry_run: bool) -> Result<u32> {
    let groups = conn
        .iam
        .list_groups()
        .path_prefix(iam_path(class_id))
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("ListGroups", e))?;
    let wanted = group_name(class_id);
    let Some(group) = groups.groups().iter().find(|g| g.group_name() == wanted) else {
        return Ok(0);
    };
    if dry_run {
        return Ok(1);
    }
    let attached = conn
        .iam
        .list_attached_group_policies()
        .group_name(group.group_name())
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("ListAttachedGroupPolicies", e))?;
    for policy in attached.attached_policies() {
        aws_error::tolerating(
            "DetachGroupPolicy",
            conn.iam
                .detach_group_policy()
                .group_name(group.group_name())
                .set_policy_arn(policy.policy_arn().map(str::to_string))
                .send()
                .await,
            &[GONE],
        )?;
    }
    aws_error::tolerating(
        "DeleteGroup",
        conn.iam.delete_group().group_name(group.group_name()).send().await,
        &[GONE],
    )?;
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
    let (removed, failed) = super::for_each_student(users, concurrency, lang, progress.as_ref(), |user| {
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
            keychain::delete(&secrets_account(class_id))?;
            let _ = std::fs::remove_file(super::create::class_journal_path(class_id)?);
        }
    }
    Ok(report)
}
