//! Step "admin_user": the everyday administrator, an IAM user with console
//! access, so the root user can be put away. Every sub-step checks AWS first,
//! so running the step again finishes what is missing and changes nothing else.

use crate::connection::Connection;
use crate::crash_points::crash_point;
use crate::error::{EngineError, Result};
use crate::iam;
use crate::journal::{Journal, Pending, Resource};
use crate::keychain;
use crate::passwords::{self, PasswordPolicy};
use crate::validation::{self, Invalid};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const DEFAULT_USER_NAME: &str = "aws.user1";
pub const ADMIN_GROUP: &str = "Administrators";
use crate::iam::has_admin_rights;
pub use crate::iam::{account_password_policy, find_user, ADMIN_POLICY_ARN, CHANGE_PASSWORD_POLICY_ARN};
use crate::ownership::{self, UserClaim};

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
    /// Take over a same-named user made by hand with administrator rights
    /// (a handout done halfway): its password and policies are left as they
    /// are, only what is missing is added, and teardown leaves the user.
    pub adopt: bool,
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
        /// Made by hand and taken over: teardown leaves it.
        adopted: bool,
        password_in_keychain: bool,
        verified: bool,
    },
    /// A user with this name (in any letter case) exists and this app did not
    /// create it. `adoptable`: it has the exact name and administrator rights,
    /// as the handout makes it, so it may be taken over instead.
    NameTaken { existing_user_name: String, adoptable: bool },
}

pub fn password_account(account_id: &str, user_name: &str) -> String {
    format!("console-password/{account_id}/{user_name}")
}

/// Creates the group unless it exists; only a group created here is recorded.
/// A group that exists because a create of ours was cut short is ours too.
async fn ensure_group(connection: &Connection, journal: &mut Journal, group: &str) -> Result<()> {
    let resource = Resource::Group {
        group_name: group.to_string(),
    };
    if iam::group_exists(connection, group).await? {
        journal.record_if_creating(&resource)?;
        return Ok(());
    }
    journal.mark_creating(&resource)?;
    if iam::create_group(connection, group, None).await? {
        crash_point!("admin_user.group_created");
        journal.record(resource)?;
    } else {
        // Made by someone else in the meantime: not ours.
        journal.clear_pending(&Pending::Creating { resource })?;
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

    let user = Resource::User {
        user_name: user_name.clone(),
    };
    let (user_arn, created_now, adopted) = match ownership::claim_user(connection, journal, &user_name, None, Vec::new()).await? {
        UserClaim::Created { arn } => (arn, true, false),
        UserClaim::Ours { arn } => (arn, false, false),
        UserClaim::Taken { existing_user_name } => {
            // Only the exact name, with the rights the handout gives: anything
            // else is someone else's user and is never touched.
            let adoptable = existing_user_name == user_name && has_admin_rights(connection, &user_name).await?;
            if !(adoptable && (request.adopt || journal.adopted(&user))) {
                return Ok(AdminUserOutcome::NameTaken {
                    existing_user_name,
                    adoptable,
                });
            }
            journal.adopt(user)?;
            let arn = find_user(connection, &user_name)
                .await?
                .map(|u| u.arn().to_string())
                .unwrap_or_default();
            (arn, false, true)
        }
    };

    if request.set_password_policy {
        // Only a policy the account did not have is the app's to remove.
        if !had_policy {
            journal.mark_creating(&Resource::PasswordPolicy)?;
        }
        iam::update_account_password_policy(connection, &PasswordPolicy::cis()).await?;
        crash_point!("admin_user.password_policy_set");
        journal.record_if_creating(&Resource::PasswordPolicy)?;
    }

    // An adopted user has its rights already; only group membership, when
    // asked for, is added. Its password is the user's own: no forced change.
    if !adopted || request.rights == AdminRights::Group {
        grant_admin_rights(connection, journal, &user_name, request.rights).await?;
    }
    if request.reset_required && !adopted {
        attach_user_policy(connection, journal, &user_name, CHANGE_PASSWORD_POLICY_ARN).await?;
    }

    let password_account = password_account(account_id, &user_name);
    let login_profile = Resource::LoginProfile {
        user_name: user_name.clone(),
    };
    if iam::has_login_profile(connection, &user_name).await? {
        journal.record_if_creating(&login_profile)?;
    } else {
        let password = match &request.password {
            PasswordChoice::Custom(password) => password.clone(),
            PasswordChoice::Generate => passwords::generate(),
        };
        // Kept before AWS sees it, so the only copy is never lost.
        keychain::set(&password_account, &password)?;
        journal.record(Resource::KeychainEntry {
            account: password_account.clone(),
        })?;
        crash_point!("admin_user.password_in_keychain");
        journal.mark_creating(&login_profile)?;
        iam::create_login_profile(connection, &user_name, &password, request.reset_required)
            .await
            .map_err(|e| match e {
                EngineError::Aws { code, .. } if code == "PasswordPolicyViolation" => Invalid::PasswordPolicy(Vec::new()).into(),
                other => other,
            })?;
        crash_point!("admin_user.login_profile_created");
        journal.record(login_profile)?;
    }

    let verified = iam::has_login_profile(connection, &user_name).await? && has_admin_rights(connection, &user_name).await?;
    Ok(AdminUserOutcome::Ready {
        password_in_keychain: keychain::get(&password_account)?.is_some(),
        user_name,
        user_arn,
        created_now,
        adopted,
        verified,
    })
}

/// Attaches a managed policy to the user and records it.
pub(crate) async fn attach_user_policy(connection: &Connection, journal: &mut Journal, user_name: &str, policy_arn: &str) -> Result<()> {
    iam::attach_user_policy(connection, user_name, policy_arn).await?;
    crash_point!("admin_user.user_policy_attached");
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
            iam::attach_group_policy(connection, ADMIN_GROUP, ADMIN_POLICY_ARN).await?;
            crash_point!("admin_user.group_policy_attached");
            // A group that was there before keeps its policy on teardown.
            if journal.created(&Resource::Group {
                group_name: ADMIN_GROUP.into(),
            }) {
                journal.record(Resource::GroupPolicy {
                    group_name: ADMIN_GROUP.into(),
                    policy_arn: ADMIN_POLICY_ARN.into(),
                })?;
            }
            iam::add_user_to_group(connection, ADMIN_GROUP, user_name).await?;
            crash_point!("admin_user.added_to_group");
            journal.record(Resource::GroupMembership {
                group_name: ADMIN_GROUP.into(),
                user_name: user_name.to_string(),
            })
        }
    }
}
