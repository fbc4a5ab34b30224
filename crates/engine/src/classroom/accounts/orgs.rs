//! Every Organizations operation accounts mode makes, one thin function each
//! (as iam.rs does for IAM): errors name their operation, lists are read
//! across pages, and "already so" answers are outcomes, not errors.

use super::errors::AccountsError;
use crate::aws_error::{from_sdk, tolerating};
use crate::error::{EngineError, Result};
use crate::iam::every;
use aws_sdk_organizations::types::{
    Account, CreateAccountState, CreateAccountStatus, IamUserAccessToBilling, OrganizationFeatureSet, OrganizationalUnit, PolicySummary,
    PolicyType, Tag,
};
use aws_sdk_organizations::Client;
use std::collections::HashMap;
use std::time::Duration;

/// Every item of every page: Organizations' paginators give pages only.
fn flat<P, T>(pages: Vec<P>, items: impl Fn(P) -> Option<Vec<T>>) -> Vec<T> {
    pages.into_iter().flat_map(|p| items(p).unwrap_or_default()).collect()
}

pub(crate) fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().expect("tag key and value are set")
}

/// The app's markers (created-by, this installation) as Organizations tags.
pub(crate) fn markers() -> Result<Vec<Tag>> {
    Ok(crate::ownership::markers()?.iter().map(|t| tag(t.key(), t.value())).collect())
}

/// Creating calls are sent once: a retried `CreateAccount` whose first
/// answer was lost would make a second account; the next run reconciles.
fn sent_once() -> aws_sdk_organizations::config::Builder {
    aws_sdk_organizations::config::Builder::default().retry_config(aws_smithy_types::retry::RetryConfig::disabled())
}

/// The organization's management account id, or `None` when there is no organization.
pub(crate) async fn management_account(org: &Client) -> Result<Option<(String, bool)>> {
    let described = tolerating(org.describe_organization().send().await, &["AWSOrganizationsNotInUseException"])?;
    Ok(described.and_then(|d| d.organization).map(|o| {
        let all = o.feature_set() == Some(&OrganizationFeatureSet::All);
        (o.master_account_id().unwrap_or_default().to_string(), all)
    }))
}

/// Creates an organization with all features (SCPs need them).
pub(crate) async fn create_organization(org: &Client) -> Result<()> {
    let created = org.create_organization().feature_set(OrganizationFeatureSet::All).send().await;
    tolerating(created, &["AlreadyInOrganizationException"]).map(|_| ())
}

pub(crate) async fn root_id(org: &Client) -> Result<String> {
    let roots = flat(every(org.list_roots().into_paginator().send()).await?, |p| p.roots);
    roots
        .first()
        .map(|r| r.id().unwrap_or_default().to_string())
        .ok_or_else(|| EngineError::Internal("the organization has no root".into()))
}

pub(crate) async fn all_accounts(org: &Client) -> Result<Vec<Account>> {
    Ok(flat(every(org.list_accounts().into_paginator().send()).await?, |p| p.accounts))
}

pub(crate) async fn accounts_in(org: &Client, parent_id: &str) -> Result<Vec<Account>> {
    Ok(flat(
        every(org.list_accounts_for_parent().parent_id(parent_id).into_paginator().send()).await?,
        |p| p.accounts,
    ))
}

pub(crate) async fn ous_under(org: &Client, parent_id: &str) -> Result<Vec<OrganizationalUnit>> {
    let pages = every(
        org.list_organizational_units_for_parent()
            .parent_id(parent_id)
            .into_paginator()
            .send(),
    )
    .await?;
    Ok(flat(pages, |p| p.organizational_units))
}

pub(crate) async fn create_ou(org: &Client, parent_id: &str, name: &str, tags: Vec<Tag>) -> Result<String> {
    let out = org
        .create_organizational_unit()
        .parent_id(parent_id)
        .name(name)
        .set_tags(Some(tags))
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(out.organizational_unit().and_then(|o| o.id()).unwrap_or_default().to_string())
}

pub(crate) async fn delete_ou(org: &Client, ou_id: &str) -> Result<()> {
    let deleted = org.delete_organizational_unit().organizational_unit_id(ou_id).send().await;
    tolerating(deleted, &["OrganizationalUnitNotFoundException"]).map(|_| ())
}

/// A resource's tags (account, OU, policy, root) as a map.
pub(crate) async fn tags_of(org: &Client, resource_id: &str) -> Result<HashMap<String, String>> {
    let tags = every(
        org.list_tags_for_resource()
            .resource_id(resource_id)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    Ok(tags.into_iter().map(|t| (t.key, t.value)).collect())
}

pub(crate) async fn tag_resource(org: &Client, resource_id: &str, tags: Vec<Tag>) -> Result<()> {
    org.tag_resource()
        .resource_id(resource_id)
        .set_tags(Some(tags))
        .send()
        .await
        .map_err(from_sdk)
        .map(|_| ())
}

pub(crate) async fn untag_resource(org: &Client, resource_id: &str, keys: &[&str]) -> Result<()> {
    org.untag_resource()
        .resource_id(resource_id)
        .set_tag_keys(Some(keys.iter().map(|k| k.to_string()).collect()))
        .send()
        .await
        .map_err(from_sdk)
        .map(|_| ())
}

/// The OU or root an account sits in.
pub(crate) async fn parent_of(org: &Client, account_id: &str) -> Result<String> {
    let parents = flat(every(org.list_parents().child_id(account_id).into_paginator().send()).await?, |p| {
        p.parents
    });
    Ok(parents.first().and_then(|p| p.id()).unwrap_or_default().to_string())
}

pub(crate) async fn move_account(org: &Client, account_id: &str, from: &str, to: &str) -> Result<()> {
    if from == to {
        return Ok(());
    }
    let moved = org
        .move_account()
        .account_id(account_id)
        .source_parent_id(from)
        .destination_parent_id(to)
        .send()
        .await;
    tolerating(moved, &["DuplicateAccountException"]).map(|_| ())
}

/// Sends `CreateAccount`; returns the request's status (it may already be final).
pub(crate) async fn create_account(org: &Client, email: &str, name: &str, tags: Vec<Tag>) -> Result<CreateAccountStatus> {
    let out = org
        .create_account()
        .email(email)
        .account_name(name)
        .iam_user_access_to_billing(IamUserAccessToBilling::Allow)
        .set_tags(Some(tags))
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .map_err(from_sdk)?;
    out.create_account_status
        .ok_or_else(|| EngineError::Internal("CreateAccount answered without a status".into()))
}

/// Requests still creating an account, to resume instead of creating twice.
pub(crate) async fn creations_in_progress(org: &Client) -> Result<Vec<CreateAccountStatus>> {
    let pages = every(
        org.list_create_account_status()
            .states(CreateAccountState::InProgress)
            .into_paginator()
            .send(),
    )
    .await?;
    Ok(flat(pages, |p| p.create_account_statuses))
}

/// The pause before the `attempt`-th status read: 1, 2, 4, 8, then 15 s.
pub(crate) fn poll_delay(attempt: u32) -> Duration {
    Duration::from_secs((1u64 << attempt.min(4)).min(15))
}

/// Reads the request's status with backoff until it is final; a real account
/// takes a minute or two. Returns the new account's id.
pub(crate) async fn wait_for_account(org: &Client, mut status: CreateAccountStatus) -> Result<String> {
    const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
    let mut waited = Duration::ZERO;
    let mut attempt = 0;
    loop {
        match status.state() {
            Some(CreateAccountState::Succeeded) => {
                return status
                    .account_id()
                    .map(str::to_string)
                    .ok_or_else(|| EngineError::Internal("a created account without an id".into()));
            }
            Some(CreateAccountState::Failed) => {
                let reason = status
                    .failure_reason()
                    .map(|r| r.as_str().to_string())
                    .unwrap_or_else(|| "UNKNOWN".into());
                return Err(AccountsError::CreationFailed { reason }.into());
            }
            _ if waited >= MAX_WAIT => return Err(EngineError::Unavailable),
            _ => {}
        }
        let pause = poll_delay(attempt);
        tokio::time::sleep(pause).await;
        waited += pause;
        attempt += 1;
        let id = status.id().unwrap_or_default().to_string();
        let out = org
            .describe_create_account_status()
            .create_account_request_id(id)
            .send()
            .await
            .map_err(from_sdk)?;
        status = out
            .create_account_status
            .ok_or_else(|| EngineError::Internal("DescribeCreateAccountStatus answered without a status".into()))?;
    }
}

pub(crate) async fn close_account(org: &Client, account_id: &str) -> Result<()> {
    let closed = org.close_account().account_id(account_id).send().await;
    tolerating(closed, &["AccountAlreadyClosedException"]).map(|_| ())
}

// ---- service control policies ----

/// Turns SCPs on for the root; already on is fine.
pub(crate) async fn enable_scps(org: &Client, root_id: &str) -> Result<()> {
    let enabled = org
        .enable_policy_type()
        .root_id(root_id)
        .policy_type(PolicyType::ServiceControlPolicy)
        .send()
        .await;
    tolerating(enabled, &["PolicyTypeAlreadyEnabledException"]).map(|_| ())
}

pub(crate) async fn scps(org: &Client) -> Result<Vec<PolicySummary>> {
    let pages = every(org.list_policies().filter(PolicyType::ServiceControlPolicy).into_paginator().send()).await?;
    Ok(flat(pages, |p| p.policies))
}

pub(crate) async fn scps_on(org: &Client, target_id: &str) -> Result<Vec<PolicySummary>> {
    let pages = every(
        org.list_policies_for_target()
            .target_id(target_id)
            .filter(PolicyType::ServiceControlPolicy)
            .into_paginator()
            .send(),
    )
    .await?;
    Ok(flat(pages, |p| p.policies))
}

pub(crate) async fn create_scp(org: &Client, name: &str, description: &str, content: &str, tags: Vec<Tag>) -> Result<String> {
    let out = org
        .create_policy()
        .name(name)
        .description(description)
        .content(content)
        .r#type(PolicyType::ServiceControlPolicy)
        .set_tags(Some(tags))
        .customize()
        .config_override(sent_once())
        .send()
        .await
        .map_err(from_sdk)?;
    Ok(out
        .policy()
        .and_then(|p| p.policy_summary())
        .and_then(|s| s.id())
        .unwrap_or_default()
        .to_string())
}

/// Puts the preset's current text back, so an edited preset takes effect on a re-run.
pub(crate) async fn update_scp(org: &Client, policy_id: &str, content: &str) -> Result<()> {
    org.update_policy()
        .policy_id(policy_id)
        .content(content)
        .send()
        .await
        .map_err(from_sdk)
        .map(|_| ())
}

/// A policy's text, as AWS keeps it.
pub(crate) async fn scp_content(org: &Client, policy_id: &str) -> Result<String> {
    let out = org.describe_policy().policy_id(policy_id).send().await.map_err(from_sdk)?;
    Ok(out.policy().and_then(|p| p.content()).unwrap_or_default().to_string())
}

pub(crate) async fn attach_scp(org: &Client, policy_id: &str, target_id: &str) -> Result<()> {
    let attached = org.attach_policy().policy_id(policy_id).target_id(target_id).send().await;
    tolerating(attached, &["DuplicatePolicyAttachmentException"]).map(|_| ())
}

pub(crate) async fn detach_scp(org: &Client, policy_id: &str, target_id: &str) -> Result<()> {
    let detached = org.detach_policy().policy_id(policy_id).target_id(target_id).send().await;
    tolerating(detached, &["PolicyNotAttachedException", "PolicyNotFoundException"]).map(|_| ())
}

pub(crate) async fn delete_scp(org: &Client, policy_id: &str) -> Result<()> {
    let deleted = org.delete_policy().policy_id(policy_id).send().await;
    tolerating(deleted, &["PolicyNotFoundException"]).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_reads_back_off_to_fifteen_seconds() {
        let secs: Vec<u64> = (0..7).map(|a| poll_delay(a).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 15, 15, 15]);
    }
}
