//! The class's guardrails: service control policies on the class OU. Every
//! statement exempts `OrganizationAccountAccessRole`, the role the app uses to
//! set up and recycle the account, so the guardrails never lock the app out;
//! students cannot use that role (it trusts the management account only).
//! Each policy stays under AWS's 5,120 characters (checked in a test), and
//! three are attached, below AWS's 5 per target with FullAWSAccess.

use super::orgs;
use super::{AccountClassSettings, ACCESS_ROLE};
use crate::catalogue;
use crate::error::{EngineError, Result};
use crate::journal::{Journal, Resource};
use crate::lang::{Bilingual, Lang};
use serde_json::{json, Value};

/// AWS's limit on one SCP's text.
pub const SCP_MAX_CHARS: usize = 5120;

/// Global services whose calls land in us-east-1 whatever region the student
/// works in: the region guardrail must not deny them.
const GLOBAL_SERVICES: [&str; 22] = [
    "iam:*",
    "organizations:*",
    "account:*",
    "sts:*",
    "support:*",
    "budgets:*",
    "ce:*",
    "cur:*",
    "health:*",
    "route53:*",
    "route53domains:*",
    "cloudfront:*",
    "globalaccelerator:*",
    "waf:*",
    "shield:*",
    "trustedadvisor:*",
    "sso:*",
    "identitystore:*",
    "pricing:*",
    "billing:*",
    "tax:*",
    "aws-portal:*",
];

const RESERVATIONS_AND_MARKETPLACE: [&str; 12] = [
    "ec2:PurchaseReservedInstancesOffering",
    "ec2:PurchaseHostReservation",
    "ec2:PurchaseScheduledInstances",
    "ec2:PurchaseCapacityBlock",
    "rds:PurchaseReservedDBInstancesOffering",
    "elasticache:PurchaseReservedCacheNodesOffering",
    "redshift:PurchaseReservedNodeOffering",
    "dynamodb:PurchaseReservedCapacityOfferings",
    "es:PurchaseReservedInstanceOffering",
    "savingsplans:CreateSavingsPlan",
    "aws-marketplace:Subscribe",
    "aws-marketplace:AcceptAgreementRequest",
];

/// The exemption every statement carries.
fn not_the_app() -> Value {
    json!({ "ArnNotLike": { "aws:PrincipalArn": format!("arn:aws:iam::*:role/{ACCESS_ROLE}") } })
}

fn with_exemption(mut condition: Value) -> Value {
    if let (Some(map), Some(extra)) = (condition.as_object_mut(), not_the_app().as_object()) {
        map.extend(extra.clone());
    }
    condition
}

fn policy(statements: Vec<Value>) -> String {
    serde_json::to_string(&json!({ "Version": "2012-10-17", "Statement": statements })).expect("a JSON value")
}

/// One guardrail policy: its name in AWS, its text, and what it does in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guardrail {
    pub kind: &'static str,
    pub name: String,
    pub content: String,
}

/// The preset for these settings, in the order it is attached.
pub fn preset(settings: &AccountClassSettings) -> Vec<Guardrail> {
    let class = &settings.class_id;
    let protect = policy(vec![
        json!({ "Sid": "NoLeavingTheOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*" }),
        json!({
            "Sid": "KeepCloudTrailOn", "Effect": "Deny",
            "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"],
            "Resource": "*", "Condition": not_the_app()
        }),
        json!({
            "Sid": "KeepTheAppsRole", "Effect": "Deny",
            "Action": ["iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"],
            "Resource": format!("arn:aws:iam::*:role/{ACCESS_ROLE}"), "Condition": not_the_app()
        }),
        json!({
            "Sid": "KeepTheClassBudget", "Effect": "Deny",
            "Action": ["budgets:ModifyBudget", "budgets:DeleteBudgetAction", "budgets:UpdateBudgetAction"],
            "Resource": format!("arn:aws:budgets::*:budget/{}", budget_name(class)), "Condition": not_the_app()
        }),
    ]);
    let regions = policy(vec![json!({
        "Sid": "OnlyTheClassRegions", "Effect": "Deny", "NotAction": GLOBAL_SERVICES, "Resource": "*",
        "Condition": with_exemption(json!({ "StringNotEquals": { "aws:RequestedRegion": settings.regions } }))
    })]);
    let spending = policy(vec![
        json!({
            "Sid": "OnlyListedInstanceTypes", "Effect": "Deny", "Action": "ec2:RunInstances",
            "Resource": "arn:aws:ec2:*:*:instance/*",
            "Condition": with_exemption(json!({ "StringNotLike": { "ec2:InstanceType": settings.instance_types } }))
        }),
        json!({
            "Sid": "NoReservationsOrMarketplace", "Effect": "Deny", "Action": RESERVATIONS_AND_MARKETPLACE, "Resource": "*",
            "Condition": not_the_app()
        }),
    ]);
    [("protect", protect), ("regions", regions), ("spending", spending)]
        .into_iter()
        .map(|(kind, content)| Guardrail {
            kind,
            name: format!("aws-setup-{class}-{kind}"),
            content,
        })
        .collect()
}

/// The class budget's name in each student account.
pub(crate) fn budget_name(class_id: &str) -> String {
    format!("class-{class_id}")
}

/// The preset in plain words, one sentence per rule, in both languages.
pub fn explain(settings: &AccountClassSettings) -> Vec<Bilingual> {
    let regions = settings.regions.join(", ");
    let types = settings.instance_types.join(", ");
    let line = |key: &str| {
        let args = [("regions", regions.as_str()), ("types", types.as_str())];
        let key = format!("classroom_accounts.guardrails.{key}");
        Bilingual::new(catalogue::text(Lang::Ko, &key, &args), catalogue::text(Lang::En, &key, &args))
    };
    [
        "leave",
        "regions",
        "instance_types",
        "cloudtrail",
        "guardrails",
        "reservations",
        "exempt",
    ]
    .into_iter()
    .map(line)
    .collect()
}

/// Makes or updates the preset's policies and attaches them to the class OU.
pub(crate) async fn ensure(
    org: &aws_sdk_organizations::Client,
    journal: &mut Journal,
    settings: &AccountClassSettings,
    root_id: &str,
    ou_id: &str,
    class_tags: Vec<aws_sdk_organizations::types::Tag>,
) -> Result<()> {
    orgs::enable_scps(org, root_id).await?;
    let existing = orgs::scps(org).await?;
    for guardrail in preset(settings) {
        if guardrail.content.chars().count() > SCP_MAX_CHARS {
            return Err(EngineError::Internal(format!("the {} guardrail is too long", guardrail.kind)));
        }
        let found = existing.iter().find(|p| p.name() == Some(guardrail.name.as_str()));
        let policy_id = match found.and_then(|p| p.id()) {
            Some(id) if journal.created(&scp_resource(id, &guardrail.name)) => {
                orgs::update_scp(org, id, &guardrail.content).await?;
                id.to_string()
            }
            Some(_) => return Err(EngineError::NameTakenByOther(guardrail.name)),
            None => {
                let description = format!("aws-setup-wizard class {} guardrail", settings.class_id);
                let id = orgs::create_scp(org, &guardrail.name, &description, &guardrail.content, class_tags.clone()).await?;
                journal.record(scp_resource(&id, &guardrail.name))?;
                id
            }
        };
        orgs::attach_scp(org, &policy_id, ou_id).await?;
    }
    Ok(())
}

pub(crate) fn scp_resource(policy_id: &str, name: &str) -> Resource {
    Resource::Scp {
        policy_id: policy_id.into(),
        name: name.into(),
    }
}

/// The regions the class's guardrail allows, read back from AWS: recycling
/// looks for what students launched there (they could launch nowhere else).
/// The connection's default region when the class has no regions guardrail.
pub(crate) async fn class_regions(org: &aws_sdk_organizations::Client, journal: &Journal) -> Result<Vec<String>> {
    let policy_id = journal.data.resources.iter().find_map(|r| match r {
        Resource::Scp { policy_id, name } if name.ends_with("-regions") => Some(policy_id.clone()),
        _ => None,
    });
    let Some(policy_id) = policy_id else {
        return Ok(vec![crate::connection::DEFAULT_REGION.to_string()]);
    };
    let content = orgs::scp_content(org, &policy_id).await?;
    Ok(regions_in(&content).unwrap_or_else(|| vec![crate::connection::DEFAULT_REGION.to_string()]))
}

/// The `aws:RequestedRegion` list of the regions guardrail's text.
fn regions_in(content: &str) -> Option<Vec<String>> {
    let doc: Value = serde_json::from_str(content).ok()?;
    let regions = doc["Statement"][0]["Condition"]["StringNotEquals"]["aws:RequestedRegion"].as_array()?;
    let regions: Vec<String> = regions.iter().filter_map(|r| r.as_str().map(str::to_string)).collect();
    (!regions.is_empty()).then_some(regions)
}

/// Detaches and deletes the class's own policies (those the journal records).
pub(crate) async fn remove(org: &aws_sdk_organizations::Client, journal: &Journal, ou_id: &str) -> Result<u32> {
    let mut removed = 0;
    for resource in &journal.data.resources {
        if let Resource::Scp { policy_id, .. } = resource {
            orgs::detach_scp(org, policy_id, ou_id).await?;
            orgs::delete_scp(org, policy_id).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guardrail_fits_aws_limit_even_with_many_regions_and_types() {
        let mut settings = AccountClassSettings::preset("c".repeat(32).as_str(), "t@example.com");
        settings.regions = (0..10).map(|i| format!("ap-northeast-{i}")).collect();
        settings.instance_types = (0..20).map(|i| format!("m{i}-family.large")).collect();
        let preset = preset(&settings);
        assert_eq!(preset.len(), 3);
        for g in &preset {
            assert!(g.content.chars().count() < SCP_MAX_CHARS, "{} is {} chars", g.kind, g.content.len());
            let doc: Value = serde_json::from_str(&g.content).unwrap();
            for statement in doc["Statement"].as_array().unwrap() {
                assert_eq!(statement["Effect"], "Deny");
                let exempt = statement.to_string().contains("OrganizationAccountAccessRole");
                assert!(exempt || statement["Sid"] == "NoLeavingTheOrganization", "{statement}");
            }
        }
    }

    #[test]
    fn the_preset_names_the_class_regions_and_types() {
        let settings = AccountClassSettings::preset("cs101", "t@example.com");
        let preset = preset(&settings);
        assert_eq!(preset[0].name, "aws-setup-cs101-protect");
        assert!(preset[1].content.contains("\"us-east-1\""));
        assert!(preset[2].content.contains("t3.micro") && preset[2].content.contains("aws-marketplace:Subscribe"));
        assert!(preset[0].content.contains("budget/class-cs101"));
    }

    #[test]
    fn the_class_regions_are_read_back_from_the_guardrail_text() {
        let mut settings = AccountClassSettings::preset("cs101", "t@example.com");
        settings.regions = vec!["ap-northeast-2".into(), "us-west-2".into()];
        let regions = preset(&settings).into_iter().find(|g| g.kind == "regions").unwrap();
        assert_eq!(regions_in(&regions.content), Some(settings.regions));
        assert_eq!(regions_in("{}"), None);
    }

    #[test]
    fn the_plain_words_are_in_both_languages_with_the_settings_filled_in() {
        let settings = AccountClassSettings::preset("cs101", "t@example.com");
        let lines = explain(&settings);
        assert_eq!(lines.len(), 7);
        for line in &lines {
            assert!(
                !line.ko.contains("classroom_accounts") && !line.en.contains("classroom_accounts"),
                "{line:?}"
            );
            assert!(!line.ko.contains('{') && !line.en.contains('{'));
        }
        assert!(lines[1].en.contains("us-east-1") && lines[2].ko.contains("t3.micro"));
    }
}
