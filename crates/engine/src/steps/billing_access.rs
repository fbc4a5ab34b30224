//! Step "billing_access": the switch that lets IAM users see billing. AWS
//! allows it only in the console, only for root, and no API reads it. So the
//! step is instructions as data, plus an optional probe the user must ask for
//! (it costs USD 0.01), whose answer is never stronger than what it saw.

use crate::aws_error;
use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::lang::Bilingual;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) const CONSOLE_URL: &str = "https://console.aws.amazon.com/billing/home#/account";
/// What one Cost Explorer request costs, in US cents.
pub const PROBE_COST_CENTS: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ConsoleGuide {
    pub url: String,
    pub steps: Vec<Bilingual>,
    pub why: Bilingual,
}

/// The console's own labels, quoted so the user finds the right button.
pub(crate) fn guide() -> ConsoleGuide {
    ConsoleGuide {
        url: CONSOLE_URL.into(),
        why: Bilingual::new(
            "처음에는 루트 사용자만 결제 정보를 볼 수 있습니다. 이 설정을 켜야 관리자 IAM 사용자도 청구서와 비용을 확인할 수 있어, 루트로 로그인할 일이 줄어듭니다.",
            "At first only the root user can see billing. With this switch on, your admin IAM user can check bills and costs too, so you rarely need to sign in as root.",
        ),
        steps: vec![
            Bilingual::new("루트 사용자로 AWS 콘솔에 로그인합니다.", "Sign in to the AWS console as the root user."),
            Bilingual::new("오른쪽 위 계정 이름을 누르고 '계정'을 고릅니다.", "Click your account name at the top right and choose 'Account'."),
            Bilingual::new(
                "'결제 정보에 대한 IAM 사용자 및 역할 액세스' 항목으로 내려가 '편집'을 누릅니다.",
                "Scroll to 'IAM user and role access to Billing information' and click 'Edit'.",
            ),
            Bilingual::new("'IAM 액세스 활성화'에 체크하고 '업데이트'를 누릅니다.", "Check 'Activate IAM Access' and click 'Update'."),
        ],
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "result", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum BillingCheck {
    /// The check runs as the admin user, whose key comes on the Access key
    /// screen: it runs by itself once that key exists.
    WaitsForAdminKey,
    /// A billing API answered the admin user: the switch looks on.
    LooksEnabled,
    /// AWS refused the admin user: the switch is most likely off.
    Blocked,
    /// The probe could not tell; `reason` says why, in both languages.
    NotConfirmed { reason: Bilingual },
}

/// Calls `ce:GetCostAndUsage` once as the admin user. Run only when the user asks.
pub(crate) async fn probe(admin: &Connection) -> Result<BillingCheck> {
    let config = admin
        .sdk_config()
        .ok_or(EngineError::NeedsEarlierStep(crate::walkthrough::StepId::AccessKey))?;
    let ce = aws_sdk_costexplorer::Client::from_conf(
        aws_sdk_costexplorer::config::Builder::from(config)
            .interceptor(crate::call_count::CallCounter)
            .build(),
    );
    let today = time::OffsetDateTime::now_utc().date();
    let start = today.replace_day(1).map_err(|e| EngineError::Internal(e.to_string()))?;
    let end = if start == today { today.next_day().unwrap_or(today) } else { today };
    let range = aws_sdk_costexplorer::types::DateInterval::builder()
        .start(start.to_string())
        .end(end.to_string())
        .build()
        .map_err(|e| EngineError::Internal(e.to_string()))?;
    let result = ce
        .get_cost_and_usage()
        .time_period(range)
        .granularity(aws_sdk_costexplorer::types::Granularity::Monthly)
        .metrics("UnblendedCost")
        .send()
        .await;
    Ok(match result {
        Ok(_) => BillingCheck::LooksEnabled,
        Err(err) => match aws_error::from_sdk(err) {
            EngineError::AccessDenied { .. } => BillingCheck::Blocked,
            EngineError::Aws { code, .. } if code == "DataUnavailableException" || code == "UnauthorizedException" => BillingCheck::NotConfirmed {
                reason: Bilingual::new(
                    "Cost Explorer가 아직 켜지지 않았습니다. 루트로 로그인해 '비용 탐색기'를 한 번 열면 24시간 안에 켜집니다. 그 뒤 다시 확인하세요.",
                    "Cost Explorer is not enabled yet. Sign in as root and open Cost Explorer once; it turns on within 24 hours. Then check again.",
                ),
            },
            other => BillingCheck::NotConfirmed {
                reason: Bilingual::new(other.message(crate::Lang::Ko), other.message(crate::Lang::En)),
            },
        },
    })
}
