//! Every IAM operation the engine makes, one thin function each, as the AWS
//! SDK for Rust examples write them. Steps, the checkup, the partner preset
//! and classroom labs call these instead of the SDK, so an operation's error
//! handling, its "already gone" answers and its pagination live in one place.
//! Lists use the SDK's paginators; errors name their operation through
//! `aws_error::from_sdk`, which reads it from the SDK's error type.

use crate::aws_error::{self, from_sdk};
use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::passwords::PasswordPolicy;
use crate::validation;
use aws_sdk_iam::error::SdkError;
use aws_sdk_iam::types::{AccessKeyMetadata, Group, StatusType, SummaryKeyType, Tag, User};
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use secrecy::{ExposeSecret, SecretString};

/// IAM's answer when the thing named does not exist (any more).
pub(crate) const NO_SUCH_ENTITY: &str = "NoSuchEntity";
pub(crate) const ALREADY_EXISTS: &str = "EntityAlreadyExists";

pub const ADMIN_POLICY_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
pub const CHANGE_PASSWORD_POLICY_ARN: &str = "arn:aws:iam::aws:policy/IAMUserChangePassword";
/// Marks what this app created, so nothing else is ever deleted by teardown.
pub(crate) const CREATED_BY_TAG_KEY: &str = "created-by";
pub(crate) const CREATED_BY_TAG_VALUE: &str = "aws-setup-wizard";

/// Every item of a paginated list, across pages, or the operation's error.
pub(crate) async fn every<T, E>(items: PaginationStream<std::result::Result<T, SdkError<E, HttpResponse>>>) -> Result<Vec<T>>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    items.collect::<std::result::Result<Vec<_>, _>>().await.map_err(from_sdk)
}

/// Creating calls are sent once. After a lost answer, the SDK's retry would
/// create a second user, key or device; instead the error stops the step, and
/// the next run reconciles by reading what AWS has.
fn sent_once() -> aws_sdk_iam::config::Builder {
    aws_sdk_iam::config::Builder::default().retry_config(aws_smithy_types::retry::RetryConfig::disabled())
}

pub(crate) fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().expect("tag key and value are set")
}

pub(crate) fn created_by_tag() -> Tag {
    tag(CREATED_BY_TAG_KEY, CREATED_BY_TAG_VALUE)
}

// ---- users ----

/// The IAM users whose path starts with `path_prefix`, across pages.
pub async fn users_under(conn: &Connection, path_prefix: &str) -> Result<Vec<User>> {
    every(conn.iam.list_users().path_prefix(path_prefix).into_paginator().items().send()).await
}

/// Every IAM user of the account, across pages.
pub(crate) async fn all_users(conn: &Connection) -> Result<Vec<User>> {
    users_under(conn, "/").await
}

/// Finds a user whose name equals `name` ignoring case, as IAM compares them.
pub async fn find_user(conn: &Connection, name: &str) -> Result<Option<User>> {
    Ok(all_users(conn)
        .await?
        .into_iter()
        .find(|u| validation::same_iam_name(u.user_name(), name)))
}

/// `CreateUser` with the given tags, under `path` when one is given; returns the ARN.
pub async fn create_user(conn: &Connection, user_name: &str, path: Option<String>, tags: Vec<Tag>) -> Result<String> {
    let out = conn
        .iam
        .create_user()
        .user_name(user_name)
        .set_path(path)
        .set_tags(Some(tags))
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(out.user().map(|u| u.arn().to_string()).unwrap_or_default())
}

pub async fn delete_user(conn: &Connection, user_name: &str) -> Result<()> {
    gone_is_fine(conn.iam.delete_user().user_name(user_name).send().await)
}

/// A user's tags; `None` when there is no such user.
pub(crate) async fn user_tags(conn: &Connection, user_name: &str) -> Result<Option<Vec<Tag>>> {
    let listed = aws_error::tolerating(
        conn.iam
            .list_user_tags()
            .user_name(user_name)
            .into_paginator()
            .items()
            .send()
            .collect::<std::result::Result<Vec<_>, _>>()
            .await,
        &[NO_SUCH_ENTITY],
    )?;
    Ok(listed)
}

/// Whether the user carries the tag `key=value`; `None` when there is no such user.
pub(crate) async fn user_has_tag(conn: &Connection, user_name: &str, key: &str, value: &str) -> Result<Option<bool>> {
    Ok(user_tags(conn, user_name)
        .await?
        .map(|tags| tags.iter().any(|t| t.key() == key && t.value() == value)))
}

pub(crate) async fn tag_user(conn: &Connection, user_name: &str, tag: Tag) -> Result<()> {
    conn.iam.tag_user().user_name(user_name).tags(tag).send().await.map_err(from_sdk)?;
    Ok(())
}

// ---- console passwords ----

pub(crate) async fn has_login_profile(conn: &Connection, user_name: &str) -> Result<bool> {
    let got = aws_error::tolerating(conn.iam.get_login_profile().user_name(user_name).send().await, &[NO_SUCH_ENTITY])?;
    Ok(got.is_some())
}

pub async fn create_login_profile(conn: &Connection, user_name: &str, password: &SecretString, reset_required: bool) -> Result<()> {
    conn.iam
        .create_login_profile()
        .user_name(user_name)
        .password(password.expose_secret())
        .password_reset_required(reset_required)
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(())
}

pub(crate) async fn delete_login_profile(conn: &Connection, user_name: &str) -> Result<()> {
    gone_is_fine(conn.iam.delete_login_profile().user_name(user_name).send().await)
}

// ---- groups and policies ----

/// Whether a group of this name exists.
pub(crate) async fn group_exists(conn: &Connection, group_name: &str) -> Result<bool> {
    let got = aws_error::tolerating(
        conn.iam.get_group().group_name(group_name).max_items(1).send().await,
        &[NO_SUCH_ENTITY],
    )?;
    Ok(got.is_some())
}

/// `CreateGroup`; `false` when the group exists already.
pub async fn create_group(conn: &Connection, group_name: &str, path: Option<String>) -> Result<bool> {
    let created = conn.iam.create_group().group_name(group_name).set_path(path).send().await;
    Ok(aws_error::tolerating(created, &[ALREADY_EXISTS])?.is_some())
}

pub async fn delete_group(conn: &Connection, group_name: &str) -> Result<()> {
    gone_is_fine(conn.iam.delete_group().group_name(group_name).send().await)
}

/// The groups whose path starts with `path_prefix`, across pages.
pub(crate) async fn groups_under(conn: &Connection, path_prefix: &str) -> Result<Vec<Group>> {
    every(conn.iam.list_groups().path_prefix(path_prefix).into_paginator().items().send()).await
}

pub(crate) async fn groups_for_user(conn: &Connection, user_name: &str) -> Result<Vec<Group>> {
    every(conn.iam.list_groups_for_user().user_name(user_name).into_paginator().items().send()).await
}

pub async fn add_user_to_group(conn: &Connection, group_name: &str, user_name: &str) -> Result<()> {
    conn.iam
        .add_user_to_group()
        .group_name(group_name)
        .user_name(user_name)
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(())
}

pub(crate) async fn remove_user_from_group(conn: &Connection, group_name: &str, user_name: &str) -> Result<()> {
    gone_is_fine(
        conn.iam
            .remove_user_from_group()
            .group_name(group_name)
            .user_name(user_name)
            .send()
            .await,
    )
}

pub async fn attach_group_policy(conn: &Connection, group_name: &str, policy_arn: &str) -> Result<()> {
    conn.iam
        .attach_group_policy()
        .group_name(group_name)
        .policy_arn(policy_arn)
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(())
}

pub(crate) async fn detach_group_policy(conn: &Connection, group_name: &str, policy_arn: &str) -> Result<()> {
    gone_is_fine(
        conn.iam
            .detach_group_policy()
            .group_name(group_name)
            .policy_arn(policy_arn)
            .send()
            .await,
    )
}

/// The managed policy ARNs attached to a group, across pages.
pub(crate) async fn group_policies(conn: &Connection, group_name: &str) -> Result<Vec<String>> {
    let attached = every(
        conn.iam
            .list_attached_group_policies()
            .group_name(group_name)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    Ok(attached.into_iter().filter_map(|p| p.policy_arn).collect())
}

pub async fn attach_user_policy(conn: &Connection, user_name: &str, policy_arn: &str) -> Result<()> {
    conn.iam
        .attach_user_policy()
        .user_name(user_name)
        .policy_arn(policy_arn)
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(())
}

pub(crate) async fn detach_user_policy(conn: &Connection, user_name: &str, policy_arn: &str) -> Result<()> {
    gone_is_fine(
        conn.iam
            .detach_user_policy()
            .user_name(user_name)
            .policy_arn(policy_arn)
            .send()
            .await,
    )
}

/// The managed policy ARNs attached to the user itself, across pages.
pub(crate) async fn user_policies(conn: &Connection, user_name: &str) -> Result<Vec<String>> {
    let attached = every(
        conn.iam
            .list_attached_user_policies()
            .user_name(user_name)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    Ok(attached.into_iter().filter_map(|p| p.policy_arn).collect())
}

/// Whether AdministratorAccess is attached to the user itself (not through a group).
pub(crate) async fn has_admin_policy_attached(conn: &Connection, user_name: &str) -> Result<bool> {
    Ok(user_policies(conn, user_name).await?.iter().any(|arn| arn == ADMIN_POLICY_ARN))
}

/// AdministratorAccess attached to the user, or to a group the user is in.
pub(crate) async fn has_admin_rights(conn: &Connection, user_name: &str) -> Result<bool> {
    if has_admin_policy_attached(conn, user_name).await? {
        return Ok(true);
    }
    for group in groups_for_user(conn, user_name).await? {
        if group_policies(conn, group.group_name())
            .await?
            .iter()
            .any(|arn| arn == ADMIN_POLICY_ARN)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

// ---- access keys ----

/// A user's access keys; `None` when the user does not exist.
pub async fn access_keys(conn: &Connection, user_name: &str) -> Result<Option<Vec<AccessKeyMetadata>>> {
    let listed = conn
        .iam
        .list_access_keys()
        .user_name(user_name)
        .into_paginator()
        .items()
        .send()
        .collect::<std::result::Result<Vec<_>, _>>()
        .await;
    aws_error::tolerating(listed, &[NO_SUCH_ENTITY])
}

pub(crate) fn key_is_active(key: &AccessKeyMetadata) -> bool {
    key.status() == Some(&StatusType::Active)
}

/// `CreateAccessKey`: the one moment AWS shows the secret. The caller must
/// keep it (keychain or export) before doing anything else.
pub async fn create_access_key(conn: &Connection, user_name: &str) -> Result<crate::keychain::StoredAccessKey> {
    let out = conn
        .iam
        .create_access_key()
        .user_name(user_name)
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .map_err(from_sdk)?;
    let key = out
        .access_key()
        .ok_or_else(|| EngineError::Internal("CreateAccessKey returned no key".into()))?;
    Ok(crate::keychain::StoredAccessKey {
        access_key_id: key.access_key_id().to_string(),
        secret_access_key: SecretString::from(key.secret_access_key().to_string()),
        user_name: Some(user_name.to_string()),
    })
}

/// Deletes a user's key; a key that is gone already is fine. With no user
/// name, AWS acts on the caller's own keys (root's, for a root caller).
pub async fn delete_access_key(conn: &Connection, user_name: Option<&str>, access_key_id: &str) -> Result<()> {
    gone_is_fine(
        conn.iam
            .delete_access_key()
            .set_user_name(user_name.map(str::to_string))
            .access_key_id(access_key_id)
            .send()
            .await,
    )
}

// ---- MFA devices ----

/// The serial numbers of the MFA devices enabled for an IAM user, across pages.
pub async fn mfa_devices(conn: &Connection, user_name: &str) -> Result<Vec<String>> {
    let devices = every(conn.iam.list_mfa_devices().user_name(user_name).into_paginator().items().send()).await?;
    Ok(devices.into_iter().map(|d| d.serial_number).collect())
}

/// `CreateVirtualMFADevice`: the device as AWS returned it, seed included.
pub(crate) async fn create_virtual_mfa_device(conn: &Connection, device_name: &str) -> Result<aws_sdk_iam::types::VirtualMfaDevice> {
    let out = conn
        .iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name(device_name)
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .map_err(from_sdk)?;
    out.virtual_mfa_device
        .ok_or_else(|| EngineError::Internal("CreateVirtualMFADevice returned no device".into()))
}

pub(crate) async fn enable_mfa_device(conn: &Connection, user_name: &str, serial_number: &str, code1: &str, code2: &str) -> Result<()> {
    conn.iam
        .enable_mfa_device()
        .user_name(user_name)
        .serial_number(serial_number)
        .authentication_code1(code1)
        .authentication_code2(code2)
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(())
}

/// The serial numbers of virtual MFA devices assigned to no user, across pages.
pub(crate) async fn unassigned_mfa_devices(conn: &Connection) -> Result<Vec<String>> {
    let devices = every(
        conn.iam
            .list_virtual_mfa_devices()
            .assignment_status(aws_sdk_iam::types::AssignmentStatusType::Unassigned)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    Ok(devices.into_iter().map(|d| d.serial_number).collect())
}

pub(crate) async fn deactivate_mfa_device(conn: &Connection, user_name: &str, serial_number: &str) -> Result<()> {
    gone_is_fine(
        conn.iam
            .deactivate_mfa_device()
            .user_name(user_name)
            .serial_number(serial_number)
            .send()
            .await,
    )
}

pub(crate) async fn delete_virtual_mfa_device(conn: &Connection, serial_number: &str) -> Result<()> {
    gone_is_fine(conn.iam.delete_virtual_mfa_device().serial_number(serial_number).send().await)
}

// ---- the account ----

/// `GetAccountSummary`'s map, as counts by key.
pub(crate) async fn account_summary(conn: &Connection) -> Result<std::collections::HashMap<SummaryKeyType, i32>> {
    let out = conn.iam.get_account_summary().send().await.map_err(from_sdk)?;
    Ok(out.summary_map().cloned().unwrap_or_default())
}

/// The account's password policy; `None` when none is set (AWS's default applies).
pub async fn account_password_policy(conn: &Connection) -> Result<Option<PasswordPolicy>> {
    let got = aws_error::tolerating(conn.iam.get_account_password_policy().send().await, &[NO_SUCH_ENTITY])?;
    Ok(got.as_ref().and_then(|o| o.password_policy()).map(PasswordPolicy::from_iam))
}

pub(crate) async fn update_account_password_policy(conn: &Connection, policy: &PasswordPolicy) -> Result<()> {
    conn.iam
        .update_account_password_policy()
        .minimum_password_length(policy.minimum_length as i32)
        .require_uppercase_characters(policy.require_uppercase)
        .require_lowercase_characters(policy.require_lowercase)
        .require_numbers(policy.require_numbers)
        .require_symbols(policy.require_symbols)
        .set_password_reuse_prevention(policy.reuse_prevention.map(|n| n as i32))
        .allow_users_to_change_password(true)
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(())
}

pub(crate) async fn delete_account_password_policy(conn: &Connection) -> Result<()> {
    gone_is_fine(conn.iam.delete_account_password_policy().send().await)
}

/// The account's alias, if it has one (an account has at most one).
pub(crate) async fn account_alias(conn: &Connection) -> Result<Option<String>> {
    let out = conn.iam.list_account_aliases().send().await.map_err(from_sdk)?;
    Ok(out.account_aliases().first().cloned())
}

/// `CreateAccountAlias`; `false` when someone, somewhere in AWS, has it.
pub async fn create_account_alias(conn: &Connection, alias: &str) -> Result<bool> {
    let created = conn
        .iam
        .create_account_alias()
        .account_alias(alias)
        .customize()
        .config_override(sent_once())
        .send()
        .await;
    Ok(aws_error::tolerating(created, &[ALREADY_EXISTS])?.is_some())
}

pub(crate) async fn delete_account_alias(conn: &Connection, alias: &str) -> Result<()> {
    gone_is_fine(conn.iam.delete_account_alias().account_alias(alias).send().await)
}

/// Asks AWS to build the credential report; `true` once it is complete.
pub async fn generate_credential_report(conn: &Connection) -> Result<bool> {
    let state = conn.iam.generate_credential_report().send().await.map_err(from_sdk)?;
    Ok(state.state() == Some(&aws_sdk_iam::types::ReportStateType::Complete))
}

/// The credential report's CSV text.
pub(crate) async fn credential_report_csv(conn: &Connection) -> Result<String> {
    let report = conn.iam.get_credential_report().send().await.map_err(from_sdk)?;
    Ok(report
        .content()
        .map(|b| String::from_utf8_lossy(b.as_ref()).to_string())
        .unwrap_or_default())
}

// ---- composite removals ----

/// What removing a user took away (or would, in a dry run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserRemoval {
    pub access_keys: u32,
    pub mfa_devices: u32,
    pub login_profiles: u32,
}

/// Removes a user with everything attached to it, in the order AWS accepts:
/// keys, MFA devices, console password, group memberships, policies, the user.
/// A dry run only counts. Only for users whose ownership the caller checked.
pub(crate) async fn remove_user_and_attachments(conn: &Connection, user_name: &str, dry_run: bool) -> Result<UserRemoval> {
    let mut removal = UserRemoval::default();
    for key in access_keys(conn, user_name).await?.unwrap_or_default() {
        removal.access_keys += 1;
        if !dry_run {
            delete_access_key(conn, Some(user_name), key.access_key_id().unwrap_or_default()).await?;
        }
    }
    for serial_number in mfa_devices(conn, user_name).await? {
        removal.mfa_devices += 1;
        if !dry_run {
            remove_mfa_device(conn, user_name, &serial_number).await?;
        }
    }
    if has_login_profile(conn, user_name).await? {
        removal.login_profiles += 1;
        if !dry_run {
            delete_login_profile(conn, user_name).await?;
        }
    }
    if dry_run {
        return Ok(removal);
    }
    for group in groups_for_user(conn, user_name).await? {
        remove_user_from_group(conn, group.group_name(), user_name).await?;
    }
    for arn in user_policies(conn, user_name).await? {
        detach_user_policy(conn, user_name, &arn).await?;
    }
    delete_user(conn, user_name).await?;
    Ok(removal)
}

/// Detaches a device from its user, then deletes it.
pub(crate) async fn remove_mfa_device(conn: &Connection, user_name: &str, serial_number: &str) -> Result<()> {
    deactivate_mfa_device(conn, user_name, serial_number).await?;
    delete_virtual_mfa_device(conn, serial_number).await
}

/// Detaches every policy from a group, then deletes it.
pub(crate) async fn remove_group_and_policies(conn: &Connection, group_name: &str) -> Result<()> {
    for arn in group_policies(conn, group_name).await? {
        detach_group_policy(conn, group_name, &arn).await?;
    }
    delete_group(conn, group_name).await
}

/// `NoSuchEntity` means someone removed it already: the goal is reached.
fn gone_is_fine<T, E>(result: std::result::Result<T, aws_sdk_iam::error::SdkError<E, aws_smithy_runtime_api::http::Response>>) -> Result<()>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    aws_error::tolerating(result, &[NO_SUCH_ENTITY]).map(|_| ())
}
