//! Extra "Identity Center admin": the single-account path that seed 002
//! recommends, offered after the walkthrough (the IAM admin user stays the
//! handout's default). The account becomes an organization's management
//! account (one is made when there is none), IAM Identity Center is enabled
//! once in the console (AWS has no API for an organization instance; the app
//! guides it and checks `ListInstances`), and then, by API:
//! - an Identity Store user for the admin (marker: user type `aws-setup-admin`);
//! - the `AdministratorAccess` permission set;
//! - the user assigned to this account with it;
//! - an AWS CLI profile for `aws sso login`, as `aws configure sso` writes it
//!   (an `[sso-session]` section and a profile that names it).
//!
//! Identity Center sends no invitation to a user made by API: the first sign-in
//! is "Forgot password" on the access portal, which the outcome spells out.

use crate::aws_cli_config;
use crate::classroom::accounts::errors::AccountsError;
use crate::classroom::accounts::orgs;
use crate::connection::{validate_region, Connection};
use crate::error::{EngineError, Result};
use crate::identity_center::{self, Instance, PermissionSetSpec, StoreUser};
use crate::journal::{Journal, Resource};
use crate::validation::{self, Invalid};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

/// The permission set's name, as AWS's own guides name it; it is also the
/// role name the access portal and the CLI profile show.
pub const PERMISSION_SET: &str = "AdministratorAccess";
const ADMINISTRATOR_ACCESS: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
/// The app's marker on the admin's Identity Store user.
pub const USER_TYPE: &str = "aws-setup-admin";
/// The `[sso-session NAME]` the app writes into `~/.aws/config`.
pub const SSO_SESSION: &str = "aws-setup";
pub const DEFAULT_PROFILE: &str = "aws-setup-sso";

/// What the user types; checked in full before any AWS call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct IdentityCenterAdminForm {
    /// The sign-in name on the access portal.
    pub user_name: String,
    pub given_name: String,
    pub family_name: String,
    /// Where "Forgot password" sends the first password link.
    pub email: String,
    /// The region Identity Center is (or will be) enabled in.
    pub region: String,
    /// The AWS CLI profile to write for `aws sso login`.
    pub profile: String,
}

impl IdentityCenterAdminForm {
    pub fn validate(&self) -> std::result::Result<(), Invalid> {
        validation::user_name(self.user_name.trim())?;
        for name in [&self.given_name, &self.family_name] {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
                return Err(Invalid::ContactName);
            }
        }
        validation::email(self.email.trim())?;
        validate_region(self.region.trim())?;
        aws_cli_config::validate_profile_name(self.profile.trim())
    }
}

/// How far the set-up got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum IdentityCenterAdminOutcome {
    /// Identity Center is not enabled in the region yet: the console guide.
    /// Nothing but the organization (when there was none) was made.
    NotEnabled {
        console_url: String,
        region: String,
        organization_created: bool,
    },
    /// The admin can sign in on the portal, and the CLI with `aws sso login`.
    Ready {
        portal_url: String,
        user_name: String,
        account_id: String,
        permission_set: String,
        profile: String,
        config_path: String,
        organization_created: bool,
    },
}

/// The console page where Identity Center is enabled, in the chosen region.
pub fn console_url(region: &str) -> String {
    format!("https://{region}.console.aws.amazon.com/singlesignon/home?region={region}")
}

/// The Identity Center clients for a region (it lives in exactly one).
pub(crate) fn clients(connection: &Connection, region: &str) -> Result<(aws_sdk_ssoadmin::Client, aws_sdk_identitystore::Client)> {
    let config = connection
        .sdk_config()
        .ok_or_else(|| EngineError::Internal("a connection without configuration".into()))?;
    let region = aws_config::Region::new(region.to_string());
    Ok((
        aws_sdk_ssoadmin::Client::from_conf(aws_sdk_ssoadmin::config::Builder::from(config).region(region.clone()).build()),
        aws_sdk_identitystore::Client::from_conf(aws_sdk_identitystore::config::Builder::from(config).region(region).build()),
    ))
}

/// The organization this account manages, made (all features) when there is
/// none. Returns whether it was made now.
async fn ensure_organization(connection: &Connection, account_id: &str) -> Result<bool> {
    let config = connection
        .sdk_config()
        .ok_or_else(|| EngineError::Internal("a connection without configuration".into()))?;
    let org = aws_sdk_organizations::Client::from_conf(
        aws_sdk_organizations::config::Builder::from(config)
            .region(aws_config::Region::new(crate::connection::DEFAULT_REGION))
            .build(),
    );
    match orgs::management_account(&org).await? {
        None => {
            orgs::create_organization(&org).await?;
            Ok(true)
        }
        Some((management, _)) if management != account_id => Err(AccountsError::NotManagementAccount {
            management_account: management,
        }
        .into()),
        Some((_, false)) => Err(AccountsError::NotAllFeatures.into()),
        Some(_) => Ok(false),
    }
}

/// Runs (or resumes) the set-up; every part is found again before it is made.
pub async fn set_up(
    connection: &Connection,
    journal: &mut Journal,
    account_id: &str,
    form: &IdentityCenterAdminForm,
) -> Result<IdentityCenterAdminOutcome> {
    form.validate()?;
    let region = form.region.trim();
    let organization_created = ensure_organization(connection, account_id).await?;
    let (sso, ids) = clients(connection, region)?;
    let Some(instance) = identity_center::instance(&sso).await? else {
        return Ok(IdentityCenterAdminOutcome::NotEnabled {
            console_url: console_url(region),
            region: region.to_string(),
            organization_created,
        });
    };
    let spec = PermissionSetSpec {
        name: PERMISSION_SET,
        description: "aws-setup-wizard administrator",
        policy_arn: ADMINISTRATOR_ACCESS,
    };
    let permission_set = identity_center::ensure_permission_set(&sso, &instance, journal, &spec).await?;
    let user_name = form.user_name.trim();
    let (given, family) = (form.given_name.trim(), form.family_name.trim());
    let user = StoreUser {
        name: user_name,
        display_name: &format!("{given} {family}"),
        given_name: given,
        family_name: family,
        email: form.email.trim(),
        user_type: USER_TYPE,
        journal_name: user_name,
    };
    let user_id = identity_center::ensure_user(&ids, &instance, journal, &user).await?;
    identity_center::ensure_assignment(&sso, &instance, &permission_set, account_id, &user_id).await?;
    let config_path = write_cli_profile(journal, &instance, region, account_id, form.profile.trim())?;
    Ok(IdentityCenterAdminOutcome::Ready {
        portal_url: instance.portal_url(),
        user_name: user_name.to_string(),
        account_id: account_id.to_string(),
        permission_set: PERMISSION_SET.to_string(),
        profile: form.profile.trim().to_string(),
        config_path: config_path.display().to_string(),
        organization_created,
    })
}

/// What `aws configure sso` writes: the session (portal and region) and a
/// profile that names it. Both are the app's only through the journal; a
/// section of the same name that is not is refused, never changed.
fn write_cli_profile(journal: &mut Journal, instance: &Instance, region: &str, account_id: &str, profile: &str) -> Result<PathBuf> {
    let session = Resource::SsoSession {
        name: SSO_SESSION.to_string(),
        region: region.to_string(),
    };
    let ours = journal.record_if_creating(&session)?;
    journal.mark_creating(&session)?;
    let portal = instance.portal_url();
    aws_cli_config::upsert_sso_session(
        SSO_SESSION,
        &[
            ("sso_start_url", portal.as_str()),
            ("sso_region", region),
            ("sso_registration_scopes", "sso:account:access"),
        ],
        ours,
    )?;
    journal.record(session)?;
    crate::steps::handoff::write_own_profile(
        journal,
        Resource::AwsCliProfile {
            profile: profile.to_string(),
        },
        profile,
        true,
        &[
            ("sso_session", SSO_SESSION),
            ("sso_account_id", account_id),
            ("sso_role_name", PERMISSION_SET),
            ("region", region),
        ],
        false,
    )
}

/// Teardown's part: the admin's assignment and user, then the permission
/// set, in the region the journal's `[sso-session]` records.
pub(crate) async fn remove(connection: &Connection, journal_resources: &[Resource], resource: &Resource) -> Result<()> {
    let Some(region) = journal_resources.iter().find_map(|r| match r {
        Resource::SsoSession { region, .. } => Some(region.clone()),
        _ => None,
    }) else {
        return Ok(());
    };
    let (sso, ids) = clients(connection, &region)?;
    let Some(instance) = identity_center::instance(&sso).await? else {
        return Ok(());
    };
    match resource {
        Resource::IdentityStoreUser { user_id, .. } => {
            let account_id = crate::steps::identity::who_am_i(connection).await?.account_id;
            identity_center::remove_user(&sso, &ids, &instance, &account_id, user_id).await
        }
        Resource::PermissionSet { arn } => identity_center::delete_permission_set(&sso, &instance, arn).await,
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> IdentityCenterAdminForm {
        IdentityCenterAdminForm {
            user_name: "kim.admin".into(),
            given_name: "Minji".into(),
            family_name: "Kim".into(),
            email: "minji@example.com".into(),
            region: "ap-northeast-2".into(),
            profile: DEFAULT_PROFILE.into(),
        }
    }

    #[test]
    fn every_field_is_checked_before_any_call() {
        assert_eq!(form().validate(), Ok(()));
        type Spoil = fn(&mut IdentityCenterAdminForm);
        let bad: [(Spoil, Invalid); 5] = [
            (|f| f.user_name = "has space".into(), Invalid::UserNameCharacters),
            (|f| f.given_name = " ".into(), Invalid::ContactName),
            (|f| f.email = "nobody".into(), Invalid::Email),
            (|f| f.region = "mars-1".into(), Invalid::Region),
            (|f| f.profile = "a b".into(), Invalid::ProfileName),
        ];
        for (spoil, expected) in bad {
            let mut f = form();
            spoil(&mut f);
            assert_eq!(f.validate(), Err(expected));
        }
    }

    #[test]
    fn the_console_guide_opens_in_the_chosen_region() {
        assert_eq!(
            console_url("ap-northeast-2"),
            "https://ap-northeast-2.console.aws.amazon.com/singlesignon/home?region=ap-northeast-2"
        );
    }
}
