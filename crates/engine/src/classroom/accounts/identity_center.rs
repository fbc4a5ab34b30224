//! Sign-in option a, IAM Identity Center: an Identity Store user per
//! student, one permission set per class, and an assignment of each student
//! to their own account only. The organization instance is enabled once in
//! the console (there is no API for it); the app checks `ListInstances`.
//! Identity Center sends no invitation to users made by API, so the hand-out
//! tells students to set their password through "Forgot password".
//!
//! The calls themselves are in [`crate::identity_center`]; this file names
//! and marks what a class makes.

use super::errors::AccountsError;
use super::AccountClassSettings;
use crate::classroom::roster::Student;
use crate::error::Result;
pub(crate) use crate::identity_center::{delete_permission_set, ensure_assignment, remove_user as remove_student, Instance};
use crate::identity_center::{PermissionSetSpec, StoreUser};
use crate::journal::Journal;

/// The organization instance, or the console guide when it is not enabled.
pub(crate) async fn instance(sso: &aws_sdk_ssoadmin::Client) -> Result<Instance> {
    crate::identity_center::instance(sso)
        .await?
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

/// The class's permission set with the class rights; made once and journaled.
pub(crate) async fn ensure_permission_set(
    sso: &aws_sdk_ssoadmin::Client,
    instance: &Instance,
    journal: &mut Journal,
    settings: &AccountClassSettings,
) -> Result<String> {
    let spec = PermissionSetSpec {
        name: &permission_set_name(&settings.class_id),
        description: &format!("aws-setup-wizard class {}", settings.class_id),
        policy_arn: settings.rights.policy_arn(),
    };
    crate::identity_center::ensure_permission_set(sso, instance, journal, &spec).await
}

/// The student's Identity Store user id, made when missing. The journal is
/// held for the whole call, so two students never interleave their marks.
pub(crate) async fn ensure_user(
    ids: &aws_sdk_identitystore::Client,
    instance: &Instance,
    journal: &tokio::sync::Mutex<Journal>,
    class_id: &str,
    student: &Student,
    email: &str,
) -> Result<String> {
    let display = student.display_name.clone().unwrap_or_else(|| student.user_name.clone());
    let user = StoreUser {
        name: &store_user_name(class_id, &student.user_name),
        display_name: &display,
        given_name: &display,
        family_name: class_id,
        email,
        user_type: &user_type(class_id),
        journal_name: &student.user_name,
    };
    crate::identity_center::ensure_user(ids, instance, &mut *journal.lock().await, &user).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_markers_carry_the_class() {
        assert_eq!(store_user_name("cs101", "alice"), "cs101-alice");
        assert_eq!(user_type("cs101"), "aws-setup-class:cs101");
        assert_eq!(permission_set_name("cs101"), "cs101");
    }
}
