//! `class status`: per student, the account, its state, whether it is still
//! in the class OU, and its month-to-date spend where Cost Explorer answers
//! (one `GetCostAndUsage` call grouped by account, which AWS bills at
//! USD 0.01); and the guardrails attached to the class OU.

use super::create::class_ou_id;
use super::{class_journal, orgs, OrgClients};
use crate::error::{EngineError, Result};
use crate::journal::Resource;
use aws_sdk_costexplorer::types::{DateInterval, Granularity, GroupDefinition, GroupDefinitionType};
use serde::Serialize;
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct StudentStatus {
    pub user_name: String,
    pub account_id: String,
    /// AWS's account state: `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, or `MISSING`.
    pub state: String,
    pub in_class_ou: bool,
    /// Month-to-date unblended cost in USD; absent when Cost Explorer did not answer.
    pub spend_usd: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct AccountClassStatus {
    pub class_id: String,
    pub students: Vec<StudentStatus>,
    /// The SCPs on the class OU, by name (FullAWSAccess included).
    pub guardrails: Vec<String>,
}

/// Month-to-date spend per linked account, or nothing when Cost Explorer is unavailable.
async fn spend_by_account(clients: &OrgClients) -> HashMap<String, String> {
    let Some(config) = clients.management.sdk_config() else {
        return HashMap::new();
    };
    let ce = aws_sdk_costexplorer::Client::from_conf(
        aws_sdk_costexplorer::config::Builder::from(config)
            .region(aws_config::Region::new(crate::connection::DEFAULT_REGION))
            .interceptor(crate::call_count::CallCounter)
            .build(),
    );
    let today = time::OffsetDateTime::now_utc().date();
    let Ok(start) = today.replace_day(1) else { return HashMap::new() };
    let end = today.next_day().unwrap_or(today);
    let Ok(range) = DateInterval::builder().start(start.to_string()).end(end.to_string()).build() else {
        return HashMap::new();
    };
    let answer = ce
        .get_cost_and_usage()
        .time_period(range)
        .granularity(Granularity::Monthly)
        .metrics("UnblendedCost")
        .group_by(
            GroupDefinition::builder()
                .r#type(GroupDefinitionType::Dimension)
                .key("LINKED_ACCOUNT")
                .build(),
        )
        .send()
        .await;
    let Ok(out) = answer else {
        tracing::info!("Cost Explorer did not answer; spend is left out");
        return HashMap::new();
    };
    let mut spend = HashMap::new();
    for result in out.results_by_time() {
        for group in result.groups() {
            let (Some(account), Some(amount)) = (
                group.keys().first(),
                group.metrics().and_then(|m| m.get("UnblendedCost")).and_then(|m| m.amount()),
            ) else {
                continue;
            };
            spend.insert(account.clone(), amount.to_string());
        }
    }
    spend
}

pub async fn run(clients: &OrgClients, class_id: &str) -> Result<AccountClassStatus> {
    crate::classroom::validate_class_id(class_id)?;
    let journal = class_journal(class_id)?;
    let org = &clients.organizations;
    let Some(ou_id) = class_ou_id(&journal) else {
        return Ok(AccountClassStatus {
            class_id: class_id.into(),
            students: Vec::new(),
            guardrails: Vec::new(),
        });
    };
    let accounts = orgs::all_accounts(org).await?;
    let in_ou: Vec<String> = orgs::accounts_in(org, &ou_id).await?.into_iter().filter_map(|a| a.id).collect();
    let guardrails = orgs::scps_on(org, &ou_id)
        .await
        .map_err(|e| match e {
            EngineError::Aws { .. } => EngineError::Internal("the class OU is gone".into()),
            other => other,
        })?
        .into_iter()
        .filter_map(|p| p.name)
        .collect();
    let spend = spend_by_account(clients).await;
    let mut students: Vec<StudentStatus> = journal
        .data
        .resources
        .iter()
        .filter_map(|r| match r {
            Resource::OrgAccount { account_id, user_name } => Some((account_id, user_name)),
            _ => None,
        })
        .map(|(account_id, user_name)| {
            let state = accounts
                .iter()
                .find(|a| a.id() == Some(account_id.as_str()))
                .and_then(|a| a.status().map(|s| s.as_str().to_string()))
                .unwrap_or_else(|| "MISSING".into());
            StudentStatus {
                user_name: user_name.clone(),
                account_id: account_id.clone(),
                state,
                in_class_ou: in_ou.contains(account_id),
                spend_usd: spend.get(account_id).cloned(),
            }
        })
        .collect();
    students.sort_by(|a, b| a.user_name.cmp(&b.user_name));
    Ok(AccountClassStatus {
        class_id: class_id.into(),
        students,
        guardrails,
    })
}
