//! `aws-setup teardown`: a preview of what the app created; with `--yes`, removal.

use crate::output;
use engine::journal::Resource;
use engine::session::WizardSession;
use engine::Lang;

#[derive(clap::Args)]
pub struct Args {
    /// Delete for real. Without it, only the preview is shown.
    #[arg(long)]
    yes: bool,
    /// Run with this AWS CLI profile (not the admin user being deleted).
    #[arg(long)]
    profile: Option<String>,
    #[arg(long)]
    json: bool,
}

fn describe(resource: &Resource) -> String {
    serde_json::to_string(resource).unwrap_or_default()
}

pub async fn run(args: Args, lang: Lang) -> u8 {
    let fail = |err| output::error(&err, lang, args.json);
    let session = WizardSession::default();
    let report = if args.yes {
        match session.open(&super::source_from(args.profile.clone())).await {
            Ok(_) => session.teardown_run(lang).await,
            Err(err) => Err(err),
        }
    } else {
        session.teardown_preview().await
    };
    let report = match report {
        Ok(report) => report,
        Err(err) => return fail(err),
    };
    if args.json {
        output::json(&report);
    } else if report.dry_run {
        println!(
            "{}",
            lang.pick(
                format!("삭제할 항목 {}개 (미리 보기, --yes 로 실제 삭제):", report.planned.len()),
                format!("{} items to remove (preview; --yes removes them):", report.planned.len()),
            )
        );
        for resource in &report.planned {
            println!("  - {}", describe(resource));
        }
    } else {
        println!(
            "{}",
            lang.pick(
                format!("삭제함: {}개", report.removed.len()),
                format!("Removed: {}", report.removed.len())
            )
        );
        for (resource, error) in &report.failed {
            eprintln!("  ! {} — {}", describe(resource), error.message);
        }
    }
    if report.failed.is_empty() {
        output::EXIT_OK
    } else {
        output::EXIT_ERROR
    }
}
