//! Step "teardown": removes everything the journal says the app created, in
//! an order AWS accepts (keys and devices before users, members before groups).
//! A dry run by default; it deletes only when confirmed. For practice mode
//! and for mistakes.

use crate::aws_cli_config;
use crate::connection::Connection;
use crate::error::{EngineError, Result, UiError};
use crate::iam;
use crate::journal::{Journal, Resource};
use crate::keychain;
use crate::lang::Lang;
use crate::ownership;
use crate::steps::identity::{self, CallerKind};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct TeardownReport {
    pub dry_run: bool,
    /// What would be (or was tried to be) removed, in order.
    pub planned: Vec<Resource>,
    pub removed: Vec<Resource>,
    pub failed: Vec<(Resource, UiError)>,
}

fn rank(resource: &Resource) -> u8 {
    match resource {
        Resource::AccessKey { .. } => 0,
        Resource::MfaDevice { .. } => 1,
        Resource::LoginProfile { .. } => 2,
        Resource::UserPolicy { .. } => 3,
        Resource::GroupMembership { .. } => 4,
        Resource::GroupPolicy { .. } => 5,
        Resource::Group { .. } => 6,
        Resource::User { .. } => 7,
        Resource::Alias { .. } => 8,
        Resource::PasswordPolicy => 9,
        Resource::AwsCliProfile { .. } | Resource::CredentialsFileProfile { .. } | Resource::SsoSession { .. } => 10,
        Resource::KeychainEntry { .. } => 11,
        Resource::Budget { .. } => 8,
        // The Identity Center admin's user goes before its permission set.
        Resource::IdentityStoreUser { .. } => 7,
        Resource::PermissionSet { .. } => 8,
        Resource::OrgAccount { .. } | Resource::OrganizationalUnit { .. } | Resource::Scp { .. } => 12,
    }
}

pub(crate) fn plan(journal: &Journal) -> Vec<Resource> {
    let mut planned = journal.data.resources.clone();
    planned.sort_by_key(rank);
    planned
}

async fn remove(connection: &Connection, planned: &[Resource], resource: &Resource) -> Result<()> {
    match resource {
        Resource::AccessKey { user_name, access_key_id } => iam::delete_access_key(connection, Some(user_name), access_key_id).await,
        Resource::MfaDevice { user_name, serial_number } => iam::remove_mfa_device(connection, user_name, serial_number).await,
        Resource::LoginProfile { user_name } => iam::delete_login_profile(connection, user_name).await,
        Resource::UserPolicy { user_name, policy_arn } => iam::detach_user_policy(connection, user_name, policy_arn).await,
        Resource::GroupMembership { group_name, user_name } => iam::remove_user_from_group(connection, group_name, user_name).await,
        Resource::GroupPolicy { group_name, policy_arn } => iam::detach_group_policy(connection, group_name, policy_arn).await,
        Resource::Group { group_name } => iam::delete_group(connection, group_name).await,
        Resource::User { user_name } => iam::delete_user(connection, user_name).await,
        Resource::Alias { alias } => iam::delete_account_alias(connection, alias).await,
        Resource::PasswordPolicy => iam::delete_account_password_policy(connection).await,
        Resource::AwsCliProfile { profile } => {
            // What the profile's way of signing in keeps beside it goes too:
            // a cached MFA session, and a console sign-in's refresh token.
            crate::mfa_session::forget(profile)?;
            crate::console_sign_in::sign_out(profile)?;
            aws_cli_config::remove_profile(profile, true).map(|_| ())
        }
        Resource::CredentialsFileProfile { profile } => aws_cli_config::remove_profile(profile, false).map(|_| ()),
        Resource::KeychainEntry { account } => keychain::delete(account),
        Resource::Budget { name } => {
            let account_id = identity::who_am_i(connection).await?.account_id;
            crate::steps::budget::delete(connection, &account_id, name).await
        }
        Resource::SsoSession { name, .. } => aws_cli_config::remove_sso_session(name).map(|_| ()),
        // The Identity Center admin's (the classroom's are in the class
        // journals, which recycle them: classroom::accounts::recycle).
        Resource::PermissionSet { .. } | Resource::IdentityStoreUser { .. } => {
            crate::steps::identity_center_admin::remove(connection, planned, resource).await
        }
        // Kept only in the classroom accounts-mode journals.
        Resource::OrgAccount { .. } | Resource::OrganizationalUnit { .. } | Resource::Scp { .. } => Ok(()),
    }
}

/// The planned users that exist without this installation's marker.
async fn users_not_marked_ours(connection: &Connection, planned: &[Resource]) -> Result<Vec<String>> {
    let mut foreign = Vec::new();
    for resource in planned {
        if let Resource::User { user_name } = resource {
            if ownership::user_is_marked_ours(connection, user_name).await? == Some(false) {
                foreign.push(user_name.clone());
            }
        }
    }
    Ok(foreign)
}

/// Refuses to delete the user whose key is doing the deleting: the first
/// deleted key would cut the run off halfway.
async fn check_caller_survives(connection: &Connection, planned: &[Resource]) -> Result<()> {
    let me = identity::who_am_i(connection).await?;
    if let CallerKind::IamUser { user_name } = &me.caller {
        if planned.contains(&Resource::User {
            user_name: user_name.clone(),
        }) {
            return Err(EngineError::TeardownOwnUser(user_name.clone()));
        }
    }
    Ok(())
}

pub async fn run(connection: &Connection, journal: &mut Journal, confirmed: bool, lang: Lang) -> Result<TeardownReport> {
    let planned = plan(journal);
    let mut report = TeardownReport {
        dry_run: !confirmed,
        planned: planned.clone(),
        removed: Vec::new(),
        failed: Vec::new(),
    };
    if !confirmed || planned.is_empty() {
        return Ok(report);
    }
    check_caller_survives(connection, &planned).await?;
    let foreign = users_not_marked_ours(connection, &planned).await?;
    for resource in planned.clone() {
        // The journal says the app made it, but AWS does not carry the app's
        // marker: a same-named user of someone else's. Never changed.
        if let Some(user) = foreign.iter().find(|u| resource.belongs_to_user(u)) {
            report
                .failed
                .push((resource, EngineError::NameTakenByOther(user.clone()).to_ui(lang)));
            continue;
        }
        match remove(connection, &planned, &resource).await {
            Ok(()) => {
                journal.forget(&resource)?;
                report.removed.push(resource);
            }
            Err(err) => report.failed.push((resource, err.to_ui(lang))),
        }
    }
    Ok(report)
}
