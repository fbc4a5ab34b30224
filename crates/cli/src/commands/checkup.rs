//! `aws-setup checkup`: the security report card (exit code 4 when a check fails).

use super::{finish, open_session, Common};
use crate::output;
use engine::session::WizardSession;
use engine::steps::checkup;
use engine::Lang;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct CheckupArgs {
    /// Also write the report to this file (.md or .html).
    #[arg(long, value_parser = super::absolute_path)]
    out: Option<PathBuf>,
    #[arg(long)]
    overwrite: bool,
    #[command(flatten)]
    common: Common,
}

pub async fn run(args: CheckupArgs, lang: Lang) -> u8 {
    let json = args.common.json;
    finish(
        async {
            let session = open_session(&args.common).await?;
            let checks = session.checkup(lang).await?;
            if let Some(path) = &args.out {
                WizardSession::write_checkup(path, &checks, lang, args.overwrite)?;
            }
            if json {
                output::json(&checks);
            } else {
                print!("{}", WizardSession::checkup_markdown(&checks, lang));
            }
            let failed = checks.iter().any(|c| c.status == checkup::CheckStatus::Fail);
            Ok(if failed { output::EXIT_NEEDS_YOU } else { output::EXIT_OK })
        }
        .await,
        lang,
        json,
    )
}
