//! Work inside a student's account, through `OrganizationAccountAccessRole`:
//! the class budget, the IAM sign-in user (sign-in option b), and the clean-up
//! that readies an account for the next class. The clean-up is scoped to the
//! resource kinds listed in [`CLEANED_KINDS`]; anything else is left.

use super::guardrails::budget_name;
use super::{AccountClassSettings, ACCESS_ROLE, STUDENT_TAG_KEY};
use crate::aws_error::from_sdk;
use crate::classroom::roster::Student;
use crate::classroom::CLASS_TAG_KEY;
use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::iam::{self, CHANGE_PASSWORD_POLICY_ARN};
use aws_credential_types::Credentials;
use aws_sdk_budgets::types::{
    Budget, BudgetType, ComparisonOperator, Notification, NotificationType, NotificationWithSubscribers, Spend, Subscriber,
    SubscriptionType, ThresholdType, TimeUnit,
};
use secrecy::SecretString;
use serde::Serialize;
use ts_rs::TS;

/// What teardown deletes in a student's account, as aws-nuke would, but only
/// these kinds (the EC2 and S3 ones in the class's regions: `leftovers.rs`).
pub const CLEANED_KINDS: [&str; 8] = [
    "iam_users",
    "iam_roles",
    "budgets",
    "ec2_instances",
    "ebs_volumes",
    "elastic_ips",
    "key_pairs",
    "s3_buckets",
];

/// A connection acting inside `account_id` as the organization's access role.
pub(crate) async fn connect(management: &Connection, account_id: &str) -> Result<Connection> {
    let config = management
        .sdk_config()
        .ok_or_else(|| EngineError::Internal("a connection without configuration".into()))?;
    let out = management
        .sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account_id}:role/{ACCESS_ROLE}"))
        .role_session_name("aws-setup-classroom")
        .duration_seconds(3600)
        .send()
        .await
        .map_err(from_sdk)?;
    let creds = out
        .credentials()
        .ok_or_else(|| EngineError::Internal("AssumeRole answered without credentials".into()))?;
    let provider = Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token().to_string()),
        None,
        "aws-setup-member-account",
    );
    let member = config
        .clone()
        .into_builder()
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(provider))
        .build();
    Ok(Connection::from_config(&member))
}

fn build_err(e: impl std::fmt::Display) -> EngineError {
    EngineError::Internal(e.to_string())
}

fn alert(threshold: f64, kind: NotificationType, emails: &[String]) -> Result<NotificationWithSubscribers> {
    let subscribers = emails
        .iter()
        .map(|email| {
            Subscriber::builder()
                .subscription_type(SubscriptionType::Email)
                .address(email)
                .build()
                .map_err(build_err)
        })
        .collect::<Result<Vec<_>>>()?;
    NotificationWithSubscribers::builder()
        .notification(
            Notification::builder()
                .notification_type(kind)
                .comparison_operator(ComparisonOperator::GreaterThan)
                .threshold(threshold)
                .threshold_type(ThresholdType::Percentage)
                .build()
                .map_err(build_err)?,
        )
        .set_subscribers(Some(subscribers))
        .build()
        .map_err(build_err)
}

/// The class budget in the student's account: alerts at 80 % actual and
/// 100 % forecast, to the instructor (and the student when asked). Returns
/// whether it was created now.
pub(crate) async fn ensure_budget(
    member: &Connection,
    account_id: &str,
    settings: &AccountClassSettings,
    student: &Student,
) -> Result<bool> {
    let name = budget_name(&settings.class_id);
    if crate::steps::budget::find(member, account_id, &name).await?.is_some() {
        return Ok(false);
    }
    let mut emails = vec![settings.instructor_email.trim().to_string()];
    if let (true, Some(email)) = (settings.alert_students, &student.email) {
        emails.push(email.clone());
    }
    let budget = Budget::builder()
        .budget_name(&name)
        .budget_type(BudgetType::Cost)
        .time_unit(TimeUnit::Monthly)
        .budget_limit(
            Spend::builder()
                .amount(settings.budget_usd.trim())
                .unit("USD")
                .build()
                .map_err(build_err)?,
        )
        .build()
        .map_err(build_err)?;
    let created = member
        .budgets
        .create_budget()
        .account_id(account_id)
        .budget(budget)
        .notifications_with_subscribers(alert(80.0, NotificationType::Actual, &emails)?)
        .notifications_with_subscribers(alert(100.0, NotificationType::Forecasted, &emails)?)
        .send()
        .await;
    match crate::aws_error::tolerating(created, &["DuplicateRecordException"])? {
        Some(_) => Ok(true),
        None => Ok(false),
    }
}

/// Sign-in option b: an IAM user named as the student, with the class's
/// rights, a generated password that must be changed, and the class tags.
/// Returns the new password when one was set now.
pub(crate) async fn ensure_iam_user(
    member: &Connection,
    settings: &AccountClassSettings,
    student: &Student,
) -> Result<Option<SecretString>> {
    let user = &student.user_name;
    match iam::user_has_tag(member, user, CLASS_TAG_KEY, &settings.class_id).await? {
        Some(true) => {}
        Some(false) => return Err(EngineError::NameTakenByOther(user.clone())),
        None => {
            let mut tags = crate::ownership::markers()?;
            tags.push(iam::tag(CLASS_TAG_KEY, &settings.class_id));
            tags.push(iam::tag(STUDENT_TAG_KEY, user));
            iam::create_user(member, user, None, tags).await?;
        }
    }
    for arn in [settings.rights.policy_arn(), CHANGE_PASSWORD_POLICY_ARN] {
        iam::attach_user_policy(member, user, arn).await?;
    }
    if iam::has_login_profile(member, user).await? {
        return Ok(None);
    }
    let password = crate::passwords::generate();
    iam::create_login_profile(member, user, &password, true).await?;
    Ok(Some(password))
}

/// What the clean-up found (dry run) or deleted in one account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct CleanupCounts {
    pub iam_users: u32,
    pub iam_roles: u32,
    pub budgets: u32,
    #[serde(flatten)]
    #[ts(flatten)]
    pub leftovers: super::leftovers::Leftovers,
}

impl std::ops::AddAssign for CleanupCounts {
    fn add_assign(&mut self, other: CleanupCounts) {
        self.iam_users += other.iam_users;
        self.iam_roles += other.iam_roles;
        self.budgets += other.budgets;
        self.leftovers += other.leftovers;
    }
}

/// Roles the clean-up never deletes: the app's way in, and AWS's own.
fn role_is_kept(name: &str, path: &str) -> bool {
    name == ACCESS_ROLE || path.starts_with("/aws-service-role/") || path.starts_with("/aws-reserved/")
}

/// Deletes what the class left in the account, of the listed kinds only.
/// The account is the class's (checked by the caller), so all of it is.
pub(crate) async fn clean(
    aws_cli: Option<&std::path::Path>,
    member: &Connection,
    account_id: &str,
    regions: &[String],
    dry_run: bool,
) -> Result<CleanupCounts> {
    let mut counts = CleanupCounts::default();
    // First what costs money, and what a student's own users or roles might
    // otherwise still reach.
    if let Some(aws_cli) = aws_cli {
        counts.leftovers = super::leftovers::clean(aws_cli, member, regions, dry_run).await?;
    }
    for user in iam::all_users(member).await? {
        counts.iam_users += 1;
        iam::remove_user_and_attachments(member, user.user_name(), dry_run).await?;
    }
    let roles = iam::every(member.iam.list_roles().into_paginator().items().send()).await?;
    for role in roles.iter().filter(|r| !role_is_kept(r.role_name(), r.path())) {
        counts.iam_roles += 1;
        if !dry_run {
            remove_role(member, role.role_name()).await?;
        }
    }
    let budgets = member.budgets.describe_budgets().account_id(account_id).send().await;
    let budgets = crate::aws_error::tolerating(budgets, &["NotFoundException"])?
        .map(|out| out.budgets.unwrap_or_default())
        .unwrap_or_default();
    for budget in budgets {
        counts.budgets += 1;
        if !dry_run {
            crate::steps::budget::delete(member, account_id, budget.budget_name()).await?;
        }
    }
    Ok(counts)
}

async fn remove_role(member: &Connection, role: &str) -> Result<()> {
    let attached = iam::every(
        member
            .iam
            .list_attached_role_policies()
            .role_name(role)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    for policy in attached {
        member
            .iam
            .detach_role_policy()
            .role_name(role)
            .policy_arn(policy.policy_arn().unwrap_or_default())
            .send()
            .await
            .map_err(from_sdk)?;
    }
    let inline = iam::every(member.iam.list_role_policies().role_name(role).into_paginator().items().send()).await?;
    for name in inline {
        member
            .iam
            .delete_role_policy()
            .role_name(role)
            .policy_name(name)
            .send()
            .await
            .map_err(from_sdk)?;
    }
    let profiles = iam::every(
        member
            .iam
            .list_instance_profiles_for_role()
            .role_name(role)
            .into_paginator()
            .items()
            .send(),
    )
    .await?;
    for profile in profiles {
        member
            .iam
            .remove_role_from_instance_profile()
            .role_name(role)
            .instance_profile_name(profile.instance_profile_name())
            .send()
            .await
            .map_err(from_sdk)?;
    }
    member.iam.delete_role().role_name(role).send().await.map_err(from_sdk).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apps_role_and_aws_roles_are_never_cleaned() {
        assert!(role_is_kept(ACCESS_ROLE, "/"));
        assert!(role_is_kept("AWSServiceRoleForSupport", "/aws-service-role/support.amazonaws.com/"));
        assert!(role_is_kept("AWSReservedSSO_cs101", "/aws-reserved/sso.amazonaws.com/"));
        assert!(!role_is_kept("student-lambda-role", "/"));
    }
}
