//! `aws-setup budget`: a monthly cost budget (or zero-spend) with email alerts.

use super::{finish, open_session, Common};
use crate::output;
use engine::session::WizardSession;
use engine::steps::budget;
use engine::Lang;

#[derive(clap::Args)]
pub struct BudgetArgs {
    /// The email address that gets the alerts.
    #[arg(long)]
    email: String,
    /// Monthly limit in USD (alerts at 80 % actual and 100 % forecast).
    #[arg(long, default_value = budget::DEFAULT_LIMIT_USD, conflicts_with = "zero_spend")]
    limit: String,
    /// Alert on any charge at all instead.
    #[arg(long)]
    zero_spend: bool,
    #[command(flatten)]
    common: Common,
}

pub async fn run(args: BudgetArgs, lang: Lang) -> u8 {
    let json = args.common.json;
    finish(
        async {
            let kind = if args.zero_spend {
                budget::BudgetKind::ZeroSpend
            } else {
                budget::BudgetKind::Monthly {
                    limit_usd: args.limit.clone(),
                }
            };
            // Checked before connecting: bad input never reaches AWS.
            WizardSession::check_budget(&kind, &args.email)?;
            let session = open_session(&args.common).await?;
            let outcome = session.create_budget(&kind, &args.email).await?;
            if json {
                output::json(&outcome);
            } else {
                match &outcome {
                    budget::BudgetOutcome::Created { budget, .. } => println!(
                        "{} {} (USD {})",
                        lang.pick("예산을 만들었습니다:", "Budget created:"),
                        budget.name,
                        budget.limit_usd
                    ),
                    budget::BudgetOutcome::AlreadyExists { budget } => println!(
                        "{} {} (USD {})",
                        lang.pick("예산이 이미 있습니다:", "The budget exists already:"),
                        budget.name,
                        budget.limit_usd
                    ),
                }
                for line in WizardSession::budget_explanations() {
                    println!("- {}", line.get(lang));
                }
            }
            Ok(output::EXIT_OK)
        }
        .await,
        lang,
        json,
    )
}
