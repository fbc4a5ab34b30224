//! `aws-setup partner`: a support user for a billing partner, with a safe hand-off.

use super::{finish, open_session, Common};
use crate::output;
use engine::steps::partner;
use engine::{EngineError, Lang};
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    ReadOnly,
    ViewOnly,
}

#[derive(clap::Args)]
pub struct PartnerArgs {
    /// The partner's user name.
    #[arg(long, default_value = partner::DEFAULT_USER_NAME)]
    user: String,
    /// The partner's rights: the handout's (ReadOnlyAccess) or the stricter
    /// view-only one (ViewOnlyAccess, which reads no data). Both add AWSSupportAccess.
    #[arg(long, value_enum, default_value = "read-only")]
    preset: Preset,
    /// Where the hand-off sheet (no secrets) and the locked ZIP go.
    #[arg(long, default_value = ".", value_parser = super::absolute_path)]
    out_dir: PathBuf,
    #[command(flatten)]
    common: Common,
}

pub async fn run(args: PartnerArgs, lang: Lang) -> u8 {
    let json = args.common.json;
    finish(
        async {
            engine::validation::user_name(args.user.trim())?;
            let session = open_session(&args.common).await?;
            let preset = match args.preset {
                Preset::ReadOnly => partner::PartnerPreset::ReadOnlyAndSupport,
                Preset::ViewOnly => partner::PartnerPreset::ViewOnlyAndSupport,
            };
            let outcome = session.create_partner(&args.user, preset).await?;
            let partner::PartnerOutcome::Ready { handoff, .. } = &outcome else {
                if json {
                    output::json(&outcome);
                }
                eprintln!("{}", EngineError::NameTakenByOther(args.user.clone()).message(lang));
                return Ok(output::EXIT_NEEDS_YOU);
            };
            let sheet = args.out_dir.join(format!("{}-handoff.md", handoff.user_name));
            let locked = args.out_dir.join(format!("{}-credentials.zip", handoff.user_name));
            let zip_password = session.export_partner(&handoff.user_name, &sheet, &locked, lang, true).await?;
            // The ZIP's password goes to stdout once, to be read out by phone;
            // it is written nowhere else.
            let zip_password = secrecy::ExposeSecret::expose_secret(&zip_password);
            if json {
                output::json(
                    &serde_json::json!({ "outcome": outcome, "sheet": sheet, "locked_zip": locked, "zip_password": zip_password }),
                );
            } else {
                println!("{}", sheet.display());
                println!("{}", locked.display());
                println!("{}", lang.pick(partner::WARNING_KO, partner::WARNING_EN));
                println!(
                    "{} {zip_password}",
                    lang.pick("ZIP 파일 암호(전화로 알려 주세요):", "The ZIP file's password (give it by phone):")
                );
            }
            Ok(output::EXIT_OK)
        }
        .await,
        lang,
        json,
    )
}
