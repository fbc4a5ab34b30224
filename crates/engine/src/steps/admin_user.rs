//! Step "admin_user": the everyday administrator, an IAM user with console
//! access, so the root user can be put away. Every sub-step checks AWS first,
//! so running the step again finishes what is missing and changes nothing else.

use crate::aws_error;
use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::journal::{Journal, Resource};
use crate::keychain;
use crate::passwords::{self, PasswordPolicy};
use crate::validation::{self, Invalid};
use crate::walkthrough::{StepId, StepState};
use aws_sdk_iam::types::Tag;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const DEFAULT_USER_NAME: &str = "aws.user1";
pub const ADMIN_GROUP: &str = "Administrators";
pub const ADMIN_POLICY_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
pub const CHANGE_PASSWORD_POLICY_ARN: &str = "arn:aws:iam::aws:policy/IAMUserChangePassword";
/// Marks what this app created, so nothing else is ever deleted by teardown.
pub const CREATED_BY_TAG_KEY: &str = "created-by";
pub const CREATED_BY_TAG_VALUE: &str = "aws-setup-wizard";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum AdminRights {
    /// Group `Administrators` with AdministratorAccess: what scanners expect.
    #[default]
    Group,
    /// AdministratorAccess attached to the user, as the handout does it.
    DirectAttach,
}

pub enum PasswordChoice {
    Generate,
    Custom(SecretString),
}

pub struct AdminUserRequest {
    pub user_name: String,
    pub password: PasswordChoice,
    pub reset_required: bool,
    pub rights: AdminRights,
    /// Set the CIS-style account password policy first.
    pub set_password_policy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum AdminUserOutcome {
    /// The user is ready. `password_in_keychain` says whether the console
    /// password can be shown or exported later.
    Ready {
        user_name: String,
        user_arn: String,
        created_now: bool,
        password_in_keychain: bool,
        verified: bool,
    },
    /// A user with this name (in any letter case) exists and this app did not create it.
    NameTaken { existing_user_name: String },
}

pub fn password_account(account_id: &str, user_name: &str) -> String {
    format!("console-password/{account_id}/{user_name}")
}

pub fn created_by_tag() -> Tag {
    Tag::builder()
        .key(CREATED_BY_TAG_KEY)
        .value(CREATED_BY_TAG_VALUE)
        .build()
        .expect("tag key and value are set")
}

/// The account's password policy; `None` when none is set (AWS's default applies).
pub async fn account_password_policy(connection: &Connection) -> Result<Option<PasswordPolicy>> {
    let got = connection.iam.get_account_password_policy().send().await;
    let out = aws_error::tolerating("GetAccountPasswordPolicy", got, &["NoSuchEntity"])?;
    Ok(out.as_ref().and_then(|o| o.password_policy()).map(PasswordPolicy::from_iam))
}

/// Finds a user whose name equals `name` ignoring case, as IAM compares them.
pub async fn find_user(connection: &Connection, name: &str) -> Result<Option<aws_sdk_iam::types::User>> {
    Ok(all_users(connection)
        .await?
        .into_iter()
        .find(|u| validation::same_iam_name(u.user_name(), name)))
}

/// Every IAM user of the account, across pages.
pub async fn all_users(connection: &Connection) -> Result<Vec<aws_sdk_iam::types::User>> {
    users_under(connection, "/").await
}

/// The IAM users whose path starts with `path_prefix`, across pages.
pub async fn users_under(connection: &Connection, path_prefix: &str) -> Result<Vec<aws_sdk_iam::types::User>> {
    connection
        .iam
        .list_users()
        .path_prefix(path_prefix)
        .into_paginator()
        .items()
        .send()
        .collect::<std::result::Result<Vec<_>, _>>()
        .await
        .map_err(|e| aws_error::from_sdk("ListUsers", e))
}

/// Whether AdministratorAccess is attached to the user itself (not through a group).
pub async fn has_admin_policy_attached(connection: &Connection, user_name: &str) -> Result<bool> {
    let direct = connection
        .iam
        .list_attached_user_policies()
        .user_name(user_name)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("ListAttachedUserPolicies", e))?;
    Ok(direct.attached_policies().iter().any(|p| p.policy_arn() == Some(ADMIN_POLICY_ARN)))
}

async fn was_created_by_app(connection: &Connection, journal: &Journal, user_name: &str) -> Result<bool> {
    if journal.created(&Resource::User {
        user_name: user_name.to_string(),
    }) {
        return Ok(true);
    }
    Ok(has_tag(connection, user_name, CREATED_BY_TAG_KEY, CREATED_BY_TAG_VALUE).await? == Some(true))
}

/// Whether the user carries the tag `key=value`; `None` when there is no such user.
pub async fn has_tag(connection: &Connection, user_name: &str, key: &str, value: &str) -> Result<Option<bool>> {
    let listed = connection.iam.list_user_tags().user_name(user_name).send().await;
    let tags = aws_error::tolerating("ListUserTags", listed, &["NoSuchEntity"])?;
    Ok(tags.map(|t| t.tags().iter().any(|t| t.key() == key && t.value() == value)))
}

/// Creates the group unless it exists; only a group created here is recorded.
async fn ensure_group(connection: &Connection, journal: &mut Journal, group: &str) -> Result<()> {
    let created = connection.iam.create_group().group_name(group).send().await;
    if aws_error::tolerating("CreateGroup", created, &["EntityAlreadyExists"])?.is_some() {
        journal.record(Resource::Group {
            group_name: group.to_string(),
        })?;
    }
    Ok(())
}

pub async fn run(connection: &Connection, journal: &mut Journal, account_id: &str, request: &AdminUserRequest) -> Result<AdminUserOutcome> {
    let user_name = request.user_name.trim().to_string();
    validation::user_name(&user_name)?;

    let mut policy = account_password_policy(connection).await?;
    let had_policy = policy.is_some();
    if request.set_password_policy {
        policy = Some(PasswordPolicy::cis());
    }
    if let PasswordChoice::Custom(password) = &request.password {
        passwords::check(password.expose_secret(), policy.as_ref())?;
    }

    let existing = find_user(connection, &user_name).await?;
    let (user_arn, created_now) = match existing {
        Some(user) if user.user_name() != user_name || !was_created_by_app(connection, journal, user.user_name()).await? => {
            return Ok(AdminUserOutcome::NameTaken {
                existing_user_name: user.user_name().to_string(),
            });
        }
        Some(user) => (user.arn().to_string(), false),
        None => {
            let out = connection
                .iam
                .create_user()
                .user_name(&user_name)
                .tags(created_by_tag())
                .send()
                .await
                .map_err(|e| aws_error::from_sdk("CreateUser", e))?;
            journal.record(Resource::User {
                user_name: user_name.clone(),
            })?;
            (out.user().map(|u| u.arn().to_string()).unwrap_or_default(), true)
        }
    };

    if request.set_password_policy {
        let cis = PasswordPolicy::cis();
        connection
            .iam
            .update_account_password_policy()
            .minimum_password_length(cis.minimum_length as i32)
            .require_uppercase_characters(cis.require_uppercase)
            .require_lowercase_characters(cis.require_lowercase)
            .require_numbers(cis.require_numbers)
            .require_symbols(cis.require_symbols)
            .set_password_reuse_prevention(cis.reuse_prevention.map(|n| n as i32))
            .allow_users_to_change_password(true)
            .send()
            .await
            .map_err(|e| aws_error::from_sdk("UpdateAccountPasswordPolicy", e))?;
        if !had_policy {
            journal.record(Resource::PasswordPolicy)?;
        }
    }

    grant_admin_rights(connection, journal, &user_name, request.rights).await?;
    if request.reset_required {
        attach_user_policy(connection, journal, &user_name, CHANGE_PASSWORD_POLICY_ARN).await?;
    }

    let password_account = password_account(account_id, &user_name);
    if !has_login_profile(connection, &user_name).await? {
        let password = match &request.password {
            PasswordChoice::Custom(password) => password.clone(),
            PasswordChoice::Generate => passwords::generate(),
        };
        // Kept before AWS sees it, so the only copy is never lost.
        keychain::set(&password_account, &password)?;
        journal.record(Resource::KeychainEntry {
            account: password_account.clone(),
        })?;
        connection
            .iam
            .create_login_profile()
            .user_name(&user_name)
            .password(password.expose_secret())
            .password_reset_required(request.reset_required)
            .send()
            .await
            .map_err(|e| match aws_error::from_sdk("CreateLoginProfile", e) {
                EngineError::Aws { code, .. } if code == "PasswordPolicyViolation" => Invalid::PasswordPolicy(Vec::new()).into(),
                other => other,
            })?;
        journal.record(Resource::LoginProfile {
            user_name: user_name.clone(),
        })?;
    }

    let verified = has_login_profile(connection, &user_name).await? && has_admin_rights(connection, &user_name).await?;
    journal.set_state(StepId::AdminUser, StepState::Done { verified })?;
    Ok(AdminUserOutcome::Ready {
        password_in_keychain: keychain::get(&password_account)?.is_some(),
        user_name,
        user_arn,
        created_now,
        verified,
    })
}

async fn attach_user_policy(connection: &Connection, journal: &mut Journal, user_name: &str, policy_arn: &str) -> Result<()> {
    connection
        .iam
        .attach_user_policy()
        .user_name(user_name)
        .policy_arn(policy_arn)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("AttachUserPolicy", e))?;
    journal.record(Resource::UserPolicy {
        user_name: user_name.to_string(),
        policy_arn: policy_arn.to_string(),
    })
}

async fn grant_admin_rights(connection: &Connection, journal: &mut Journal, user_name: &str, rights: AdminRights) -> Result<()> {
    match rights {
        AdminRights::DirectAttach => attach_user_policy(connection, journal, user_name, ADMIN_POLICY_ARN).await,
        AdminRights::Group => {
            ensure_group(connection, journal, ADMIN_GROUP).await?;
            connection
                .iam
                .attach_group_policy()
                .group_name(ADMIN_GROUP)
                .policy_arn(ADMIN_POLICY_ARN)
                .send()
                .await
                .map_err(|e| aws_error::from_sdk("AttachGroupPolicy", e))?;
            // A group that was there before keeps its policy on teardown.
            if journal.created(&Resource::Group {
                group_name: ADMIN_GROUP.into(),
            }) {
                journal.record(Resource::GroupPolicy {
                    group_name: ADMIN_GROUP.into(),
                    policy_arn: ADMIN_POLICY_ARN.into(),
                })?;
            }
            connection
                .iam
                .add_user_to_group()
                .group_name(ADMIN_GROUP)
                .user_name(user_name)
                .send()
                .await
                .map_err(|e| aws_error::from_sdk("AddUserToGroup", e))?;
            journal.record(Resource::GroupMembership {
                group_name: ADMIN_GROUP.into(),
                user_name: user_name.to_string(),
            })
        }
    }
}

pub async fn has_login_profile(connection: &Connection, user_name: &str) -> Result<bool> {
    let got = connection.iam.get_login_profile().user_name(user_name).send().await;
    Ok(aws_error::tolerating("GetLoginProfile", got, &["NoSuchEntity"])?.is_some())
}

/// AdministratorAccess attached to the user, or to a group the user is in.
pub async fn has_admin_rights(connection: &Connection, user_name: &str) -> Result<bool> {
    if has_admin_policy_attached(connection, user_name).await? {
        return Ok(true);
    }
    let groups = connection
        .iam
        .list_groups_for_user()
        .user_name(user_name)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("ListGroupsForUser", e))?;
    for group in groups.groups() {
        let attached = connection
            .iam
            .list_attached_group_policies()
            .group_name(group.group_name())
            .send()
            .await
            .map_err(|e| aws_error::from_sdk("ListAttachedGroupPolicies", e))?;
        if attached
            .attached_policies()
            .iter()
            .any(|p| p.policy_arn() == Some(ADMIN_POLICY_ARN))
        {
            return Ok(true);
        }
    }
    Ok(false)
}
