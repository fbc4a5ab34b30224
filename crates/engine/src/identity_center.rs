//! IAM Identity Center: the organization instance, Identity Store users,
//! permission sets and account assignments, one thin function per job, shared
//! by the classroom's accounts mode and the single-account admin
//! (`steps/identity_center_admin.rs`). Identity Store users carry no tags: the
//! app's marker is their user type. What is made is journaled, and a create is
//! marked before it is sent, so a lost answer is taken up on the next call
//! instead of ending as "name taken".

use crate::aws_error::{from_sdk, tolerating};
use crate::error::{EngineError, Result};
use crate::iam::every;
use crate::journal::{Journal, Pending, Resource};
use aws_sdk_identitystore::types::{AlternateIdentifier, Email, Name, UniqueAttribute};
use aws_sdk_ssoadmin::types::{PrincipalType, TargetType};
use aws_smithy_types::Document;

/// The organization's Identity Center instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub instance_arn: String,
    pub identity_store_id: String,
}

impl Instance {
    /// The AWS access portal's default address.
    pub fn portal_url(&self) -> String {
        format!("https://{}.awsapps.com/start", self.identity_store_id)
    }
}

/// The instance in the client's region, or `None` when Identity Center is
/// not enabled there (that is done once, in the console).
pub(crate) async fn instance(sso: &aws_sdk_ssoadmin::Client) -> Result<Option<Instance>> {
    let instances = every(sso.list_instances().into_paginator().items().send()).await?;
    Ok(instances.into_iter().find_map(|i| {
        Some(Instance {
            instance_arn: i.instance_arn?,
            identity_store_id: i.identity_store_id?,
        })
    }))
}

/// An Identity Store user the app makes.
pub(crate) struct StoreUser<'a> {
    /// The sign-in name in the access portal.
    pub name: &'a str,
    pub display_name: &'a str,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub email: &'a str,
    /// The app's marker on the user.
    pub user_type: &'a str,
    /// The name the journal records the user under.
    pub journal_name: &'a str,
}

impl StoreUser<'_> {
    fn resource(&self, user_id: &str) -> Resource {
        Resource::IdentityStoreUser {
            user_id: user_id.to_string(),
            user_name: self.journal_name.to_string(),
        }
    }

    /// The mark left before `CreateUser`, when the user id is not known yet.
    fn creating(&self) -> Pending {
        Pending::Creating {
            resource: self.resource(""),
        }
    }
}

/// The user's id, made when missing. Someone else's user of the same name
/// (without the marker, or not the journal's) is never used.
///
/// `CreateUser` is marked in the journal before it is sent: when its answer
/// is lost (a dropped connection, a crash), the SDK's retry meets a conflict
/// or the next call finds the user, and the mark plus the marker make it the
/// app's.
pub(crate) async fn ensure_user(
    ids: &aws_sdk_identitystore::Client,
    instance: &Instance,
    journal: &mut Journal,
    user: &StoreUser<'_>,
) -> Result<String> {
    if let Some(user_id) = find_user(ids, instance, user.name).await? {
        return adopt_user(ids, instance, journal, user, user_id).await;
    }
    journal.mark_pending(user.creating())?;
    let created = ids
        .create_user()
        .identity_store_id(&instance.identity_store_id)
        .user_name(user.name)
        .display_name(user.display_name)
        .name(Name::builder().given_name(user.given_name).family_name(user.family_name).build())
        .emails(Email::builder().value(user.email).r#type("work").primary(true).build())
        .user_type(user.user_type)
        .send()
        .await;
    let Some(out) = tolerating(created, &["ConflictException"])? else {
        // The first attempt made it and its answer was lost.
        let user_id = find_user(ids, instance, user.name)
            .await?
            .ok_or_else(|| EngineError::NameTakenByOther(user.name.to_string()))?;
        return adopt_user(ids, instance, journal, user, user_id).await;
    };
    let user_id = out.user_id().to_string();
    journal.record(user.resource(&user_id))?;
    journal.clear_pending(&user.creating())?;
    Ok(user_id)
}

/// A user found by name is the app's only when it carries the marker and the
/// journal recorded it, or marked its create.
async fn adopt_user(
    ids: &aws_sdk_identitystore::Client,
    instance: &Instance,
    journal: &mut Journal,
    user: &StoreUser<'_>,
    user_id: String,
) -> Result<String> {
    let described = ids
        .describe_user()
        .identity_store_id(&instance.identity_store_id)
        .user_id(&user_id)
        .send()
        .await
        .map_err(from_sdk)?;
    let resource = user.resource(&user_id);
    let marked = described.user_type() == Some(user.user_type);
    let create_was_marked = journal.data.pending.contains(&user.creating());
    if !(marked && (journal.created(&resource) || create_was_marked)) {
        return Err(EngineError::NameTakenByOther(user.name.to_string()));
    }
    journal.record(resource)?;
    journal.clear_pending(&user.creating())?;
    Ok(user_id)
}

async fn find_user(ids: &aws_sdk_identitystore::Client, instance: &Instance, name: &str) -> Result<Option<String>> {
    let attribute = UniqueAttribute::builder()
        .attribute_path("userName")
        .attribute_value(Document::String(name.to_string()))
        .build()
        .map_err(|e| EngineError::Internal(e.to_string()))?;
    let found = ids
        .get_user_id()
        .identity_store_id(&instance.identity_store_id)
        .alternate_identifier(AlternateIdentifier::UniqueAttribute(attribute))
        .send()
        .await;
    Ok(tolerating(found, &["ResourceNotFoundException"])?.map(|out| out.user_id().to_string()))
}

/// A permission set the app makes: its name, and the AWS managed policy it grants.
pub(crate) struct PermissionSetSpec<'a> {
    /// At most 32 characters.
    pub name: &'a str,
    pub description: &'a str,
    pub policy_arn: &'a str,
}

/// The permission set's ARN; made once and journaled. A same-named set the
/// journal does not know is someone else's and is never used.
pub(crate) async fn ensure_permission_set(
    sso: &aws_sdk_ssoadmin::Client,
    instance: &Instance,
    journal: &mut Journal,
    spec: &PermissionSetSpec<'_>,
) -> Result<String> {
    let arn = match find_permission_set(sso, instance, spec.name).await? {
        Some(arn) if journal.created(&Resource::PermissionSet { arn: arn.clone() }) => arn,
        Some(_) => return Err(EngineError::NameTakenByOther(spec.name.to_string())),
        None => {
            let out = sso
                .create_permission_set()
                .instance_arn(&instance.instance_arn)
                .name(spec.name)
                .description(spec.description)
                .session_duration("PT8H")
                .send()
                .await
                .map_err(from_sdk)?;
            let arn = out
                .permission_set()
                .and_then(|p| p.permission_set_arn())
                .unwrap_or_default()
                .to_string();
            journal.record(Resource::PermissionSet { arn: arn.clone() })?;
            arn
        }
    };
    let attached = sso
        .attach_managed_policy_to_permission_set()
        .instance_arn(&instance.instance_arn)
        .permission_set_arn(&arn)
        .managed_policy_arn(spec.policy_arn)
        .send()
        .await;
    tolerating(attached, &["ConflictException"])?;
    Ok(arn)
}

async fn find_permission_set(sso: &aws_sdk_ssoadmin::Client, instance: &Instance, name: &str) -> Result<Option<String>> {
    let arns = every(
        sso.list_permission_sets()
            .instance_arn(&instance.instance_arn)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    for arn in arns {
        let out = sso
            .describe_permission_set()
            .instance_arn(&instance.instance_arn)
            .permission_set_arn(&arn)
            .send()
            .await
            .map_err(from_sdk)?;
        if out.permission_set().and_then(|p| p.name()) == Some(name) {
            return Ok(Some(arn));
        }
    }
    Ok(None)
}

/// Assigns the user to one account (and nothing else) with the permission set.
pub(crate) async fn ensure_assignment(
    sso: &aws_sdk_ssoadmin::Client,
    instance: &Instance,
    permission_set_arn: &str,
    account_id: &str,
    user_id: &str,
) -> Result<()> {
    let existing = every(
        sso.list_account_assignments()
            .instance_arn(&instance.instance_arn)
            .account_id(account_id)
            .permission_set_arn(permission_set_arn)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    if existing.iter().any(|a| a.principal_id() == Some(user_id)) {
        return Ok(());
    }
    sso.create_account_assignment()
        .instance_arn(&instance.instance_arn)
        .target_id(account_id)
        .target_type(TargetType::AwsAccount)
        .permission_set_arn(permission_set_arn)
        .principal_type(PrincipalType::User)
        .principal_id(user_id)
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(())
}

/// Takes a user's sign-in away: every assignment to the account, then the user.
pub(crate) async fn remove_user(
    sso: &aws_sdk_ssoadmin::Client,
    ids: &aws_sdk_identitystore::Client,
    instance: &Instance,
    account_id: &str,
    user_id: &str,
) -> Result<()> {
    let assignments = every(
        sso.list_account_assignments_for_principal()
            .instance_arn(&instance.instance_arn)
            .principal_id(user_id)
            .principal_type(PrincipalType::User)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    for assignment in assignments.iter().filter(|a| a.account_id() == Some(account_id)) {
        sso.delete_account_assignment()
            .instance_arn(&instance.instance_arn)
            .target_id(account_id)
            .target_type(TargetType::AwsAccount)
            .permission_set_arn(assignment.permission_set_arn().unwrap_or_default())
            .principal_type(PrincipalType::User)
            .principal_id(user_id)
            .send()
            .await
            .map_err(from_sdk)?;
    }
    let deleted = ids
        .delete_user()
        .identity_store_id(&instance.identity_store_id)
        .user_id(user_id)
        .send()
        .await;
    tolerating(deleted, &["ResourceNotFoundException"]).map(|_| ())
}

pub(crate) async fn delete_permission_set(sso: &aws_sdk_ssoadmin::Client, instance: &Instance, arn: &str) -> Result<()> {
    let deleted = sso
        .delete_permission_set()
        .instance_arn(&instance.instance_arn)
        .permission_set_arn(arn)
        .send()
        .await;
    tolerating(deleted, &["ResourceNotFoundException"]).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_is_named_after_the_identity_store() {
        let instance = Instance {
            instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
            identity_store_id: "d-1234567890".into(),
        };
        assert_eq!(instance.portal_url(), "https://d-1234567890.awsapps.com/start");
    }
}
