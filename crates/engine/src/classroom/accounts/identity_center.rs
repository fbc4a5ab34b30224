//! Sign-in option a, IAM Identity Center: an Identity Store user per
//! student, one permission set per class, and an assignment of each student
//! to their own account only. The organization instance is enabled once in
//! the console (there is no API for it); the app checks `ListInstances`.
//! Identity Center sends no invitation to users made by API, so the hand-out
//! tells students to set their password through "Forgot password".
//!
//! Identity Store users carry no tags: the class marker is their user type.

use super::errors::AccountsError;
use super::AccountClassSettings;
use crate::aws_error::{from_sdk, tolerating};
use crate::classroom::roster::Student;
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

/// The organization instance, or the console guide when it is not enabled.
pub(crate) async fn instance(sso: &aws_sdk_ssoadmin::Client) -> Result<Instance> {
    let instances = every(sso.list_instances().into_paginator().items().send()).await?;
    instances
        .into_iter()
        .find_map(|i| {
            Some(Instance {
                instance_arn: i.instance_arn?,
                identity_store_id: i.identity_store_id?,
            })
        })
        .ok_or_else(|| AccountsError::IdentityCenterNotEnabled.into())
}

/// The class marker on its Identity Store users.
pub(crate) fn user_type(class_id: &str) -> String {
    format!("aws-setup-class:{class_id}")
}

/// Identity Store user names are shared by every class: the class id goes first.
pub(crate) fn store_user_name(class_id: &str, user_name: &str) -> String {
    format!("{class_id}-{user_name}")
}

/// Permission set names are at most 32 characters, as class ids are.
pub(crate) fn permission_set_name(class_id: &str) -> String {
    class_id.to_string()
}

fn description(class_id: &str) -> String {
    format!("aws-setup-wizard class {class_id}")
}

/// The class's permission set with the class rights; made once and journaled.
pub(crate) async fn ensure_permission_set(
    sso: &aws_sdk_ssoadmin::Client,
    instance: &Instance,
    journal: &mut Journal,
    settings: &AccountClassSettings,
) -> Result<String> {
    let name = permission_set_name(&settings.class_id);
    let arn = match find_permission_set(sso, instance, &name).await? {
        Some(arn) if journal.created(&Resource::PermissionSet { arn: arn.clone() }) => arn,
        Some(_) => return Err(EngineError::NameTakenByOther(name)),
        None => {
            let out = sso
                .create_permission_set()
                .instance_arn(&instance.instance_arn)
                .name(&name)
                .description(description(&settings.class_id))
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
        .managed_policy_arn(settings.rights.policy_arn())
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

/// The student's Identity Store user id, made when missing. Someone else's
/// user of the same name (no class marker, or not journaled) is never used.
///
/// `CreateUser` is marked in the journal before it is sent: when its answer
/// is lost (a dropped connection, a crash), the SDK's retry meets a conflict
/// or the next run finds the user, and the mark plus the class marker make
/// it the class's, instead of a "name taken" that nobody could clear.
pub(crate) async fn ensure_user(
    ids: &aws_sdk_identitystore::Client,
    instance: &Instance,
    journal: &tokio::sync::Mutex<Journal>,
    class_id: &str,
    student: &Student,
    email: &str,
) -> Result<String> {
    let name = store_user_name(class_id, &student.user_name);
    if let Some(user_id) = find_user(ids, instance, &name).await? {
        return adopt_user(ids, instance, journal, class_id, student, user_id).await;
    }
    journal.lock().await.mark_pending(creating_user(student))?;
    let display = student.display_name.clone().unwrap_or_else(|| student.user_name.clone());
    let created = ids
        .create_user()
        .identity_store_id(&instance.identity_store_id)
        .user_name(&name)
        .display_name(&display)
        .name(Name::builder().given_name(&display).family_name(class_id).build())
        .emails(Email::builder().value(email).r#type("work").primary(true).build())
        .user_type(user_type(class_id))
        .send()
        .await;
    let user_id = match tolerating(created, &["ConflictException"])? {
        Some(out) => out.user_id().to_string(),
        // The first attempt made it and its answer was lost.
        None => {
            let user_id = find_user(ids, instance, &name)
                .await?
                .ok_or_else(|| EngineError::NameTakenByOther(name.clone()))?;
            return adopt_user(ids, instance, journal, class_id, student, user_id).await;
        }
    };
    let mut journal = journal.lock().await;
    journal.record(Resource::IdentityStoreUser {
        user_id: user_id.clone(),
        user_name: student.user_name.clone(),
    })?;
    journal.clear_pending(&creating_user(student))?;
    Ok(user_id)
}

/// The mark left before `CreateUser`, when the user id is not known yet.
fn creating_user(student: &Student) -> Pending {
    Pending::Creating {
        resource: Resource::IdentityStoreUser {
            user_id: String::new(),
            user_name: student.user_name.clone(),
        },
    }
}

/// A user found by the student's name is the class's only when it carries
/// the class marker and the journal recorded it, or marked its create.
async fn adopt_user(
    ids: &aws_sdk_identitystore::Client,
    instance: &Instance,
    journal: &tokio::sync::Mutex<Journal>,
    class_id: &str,
    student: &Student,
    user_id: String,
) -> Result<String> {
    let described = ids
        .describe_user()
        .identity_store_id(&instance.identity_store_id)
        .user_id(&user_id)
        .send()
        .await
        .map_err(from_sdk)?;
    let resource = Resource::IdentityStoreUser {
        user_id: user_id.clone(),
        user_name: student.user_name.clone(),
    };
    let marked = described.user_type() == Some(user_type(class_id).as_str());
    let mut journal = journal.lock().await;
    let creating = creating_user(student);
    let marked_create = journal.data.pending.contains(&creating);
    if !(marked && (journal.created(&resource) || marked_create)) {
        return Err(EngineError::NameTakenByOther(store_user_name(class_id, &student.user_name)));
    }
    journal.record(resource)?;
    journal.clear_pending(&creating)?;
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

/// Assigns the student to their own account (and nothing else) with the class's permission set.
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

/// Takes a student's sign-in away: every assignment to the account, then the user.
pub(crate) async fn remove_student(
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
    fn names_and_markers_carry_the_class() {
        assert_eq!(store_user_name("cs101", "alice"), "cs101-alice");
        assert_eq!(user_type("cs101"), "aws-setup-class:cs101");
        let instance = Instance {
            instance_arn: "arn:aws:sso:::instance/ssoins-1".into(),
            identity_store_id: "d-1234567890".into(),
        };
        assert_eq!(instance.portal_url(), "https://d-1234567890.awsapps.com/start");
    }
}
