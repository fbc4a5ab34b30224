//! Step "budget": a monthly cost budget that emails the user before a bill
//! surprises them. Budgets only warn; they never stop spending.

use crate::aws_error;
use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::journal::{Journal, Resource};
use crate::lang::Bilingual;
use crate::validation::{self, Invalid};
use aws_sdk_budgets::types::{
    Budget, BudgetType, ComparisonOperator, Notification, NotificationType, NotificationWithSubscribers, Spend, Subscriber,
    SubscriptionType, ThresholdType, TimeUnit,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) const MONTHLY_BUDGET_NAME: &str = "aws-setup-monthly";
pub(crate) const ZERO_SPEND_BUDGET_NAME: &str = "aws-setup-zero-spend";
pub const DEFAULT_LIMIT_USD: &str = "10";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum BudgetKind {
    /// A monthly limit in USD: alerts at 80 % of actual and 100 % of forecast spend.
    Monthly { limit_usd: String },
    /// Any charge at all: an alert as soon as actual spend passes USD 0.01.
    ZeroSpend,
}

impl BudgetKind {
    pub fn name(&self) -> &'static str {
        match self {
            BudgetKind::Monthly { .. } => MONTHLY_BUDGET_NAME,
            BudgetKind::ZeroSpend => ZERO_SPEND_BUDGET_NAME,
        }
    }
}

/// A positive USD amount with at most two decimals, up to one million.
pub(crate) fn validate_amount(amount: &str) -> Result<(), Invalid> {
    let amount = amount.trim();
    let (whole, cents) = amount.split_once('.').unwrap_or((amount, ""));
    let digits_ok =
        !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && cents.len() <= 2 && cents.bytes().all(|b| b.is_ascii_digit());
    let value: f64 = amount.parse().unwrap_or(0.0);
    if digits_ok && (0.01..=1_000_000.0).contains(&value) && !(amount.contains('.') && cents.is_empty()) {
        Ok(())
    } else {
        Err(Invalid::BudgetAmount)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct BudgetView {
    pub name: String,
    pub limit_usd: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum BudgetOutcome {
    Created {
        budget: BudgetView,
        email: String,
    },
    /// A budget of this name exists: reported, never duplicated.
    AlreadyExists {
        budget: BudgetView,
    },
}

/// What the user should know, in plain words.
pub(crate) fn explanations() -> Vec<Bilingual> {
    vec![
        Bilingual::new(
            "예산은 알림만 보냅니다. 한도를 넘어도 AWS가 사용을 멈추지 않으니, 알림을 받으면 직접 리소스를 정리하세요.",
            "A budget only warns you. AWS does not stop anything when you go over, so act on the email yourself.",
        ),
        Bilingual::new(
            "AWS가 보낸 확인 메일이 오면 수신을 확인해야 알림이 옵니다. 받은편지함과 스팸함을 확인하세요.",
            "AWS emails the address first; alerts arrive only after you confirm it. Check your inbox and spam folder.",
        ),
    ]
}

fn view(budget: &Budget) -> BudgetView {
    BudgetView {
        name: budget.budget_name().to_string(),
        limit_usd: budget.budget_limit().map(|s| s.amount().to_string()).unwrap_or_default(),
    }
}

async fn list(connection: &Connection, account_id: &str) -> Result<Vec<Budget>> {
    let out = connection
        .budgets
        .describe_budgets()
        .account_id(account_id)
        .send()
        .await
        .map_err(aws_error::from_sdk)?;
    Ok(out.budgets().to_vec())
}

pub async fn find(connection: &Connection, account_id: &str, name: &str) -> Result<Option<BudgetView>> {
    Ok(list(connection, account_id)
        .await?
        .iter()
        .find(|b| b.budget_name() == name)
        .map(view))
}

/// Any budget at all, for the checkup.
pub(crate) async fn any_exists(connection: &Connection, account_id: &str) -> Result<bool> {
    Ok(!list(connection, account_id).await?.is_empty())
}

fn build_err(e: impl std::fmt::Display) -> EngineError {
    EngineError::Internal(e.to_string())
}

fn alert(kind: NotificationType, threshold: f64, threshold_type: ThresholdType, email: &str) -> Result<NotificationWithSubscribers> {
    NotificationWithSubscribers::builder()
        .notification(
            Notification::builder()
                .notification_type(kind)
                .comparison_operator(ComparisonOperator::GreaterThan)
                .threshold(threshold)
                .threshold_type(threshold_type)
                .build()
                .map_err(build_err)?,
        )
        .subscribers(
            Subscriber::builder()
                .subscription_type(SubscriptionType::Email)
                .address(email)
                .build()
                .map_err(build_err)?,
        )
        .build()
        .map_err(build_err)
}

pub async fn create(conn: &Connection, journal: &mut Journal, account_id: &str, kind: &BudgetKind, email: &str) -> Result<BudgetOutcome> {
    let email = email.trim();
    validation::email(email)?;
    let (limit, alerts) = match kind {
        BudgetKind::Monthly { limit_usd } => {
            validate_amount(limit_usd)?;
            (
                limit_usd.trim().to_string(),
                vec![
                    alert(NotificationType::Actual, 80.0, ThresholdType::Percentage, email)?,
                    alert(NotificationType::Forecasted, 100.0, ThresholdType::Percentage, email)?,
                ],
            )
        }
        // AWS's own zero-spend template: a USD 1 budget that alerts past one cent.
        BudgetKind::ZeroSpend => (
            "1".to_string(),
            vec![alert(NotificationType::Actual, 0.01, ThresholdType::AbsoluteValue, email)?],
        ),
    };
    if let Some(budget) = find(conn, account_id, kind.name()).await? {
        return Ok(BudgetOutcome::AlreadyExists { budget });
    }
    let budget = Budget::builder()
        .budget_name(kind.name())
        .budget_type(BudgetType::Cost)
        .time_unit(TimeUnit::Monthly)
        .budget_limit(Spend::builder().amount(&limit).unit("USD").build().map_err(build_err)?)
        .build()
        .map_err(build_err)?;
    let created = conn
        .budgets
        .create_budget()
        .account_id(account_id)
        .budget(budget)
        .set_notifications_with_subscribers(Some(alerts))
        .send()
        .await;
    if let Err(err) = created {
        return match aws_error::from_sdk(err) {
            EngineError::Aws { code, .. } if code == "DuplicateRecordException" => Ok(BudgetOutcome::AlreadyExists {
                budget: BudgetView {
                    name: kind.name().into(),
                    limit_usd: limit,
                },
            }),
            other => Err(other),
        };
    }
    journal.record(Resource::Budget { name: kind.name().into() })?;
    Ok(BudgetOutcome::Created {
        budget: BudgetView {
            name: kind.name().into(),
            limit_usd: limit,
        },
        email: email.to_string(),
    })
}

pub async fn delete(connection: &Connection, account_id: &str, name: &str) -> Result<()> {
    let deleted = connection
        .budgets
        .delete_budget()
        .account_id(account_id)
        .budget_name(name)
        .send()
        .await;
    aws_error::tolerating(deleted, &["NotFoundException"]).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_positive_usd_with_two_decimals() {
        for good in ["10", "0.01", "12.5", "999999.99", "1000000"] {
            assert_eq!(validate_amount(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "0",
            "0.00",
            "-5",
            "10.",
            ".5",
            "1.234",
            "ten",
            "1e3",
            "1,000",
            "1000000.01",
            " ",
        ] {
            assert_eq!(validate_amount(bad), Err(Invalid::BudgetAmount), "{bad:?}");
        }
    }
}
