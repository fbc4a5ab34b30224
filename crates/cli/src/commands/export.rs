//! `aws-setup export`: the CSV files the IAM console and `aws configure import` use.
//! Files are 0600, written atomically, and never overwritten unless asked.

use crate::output;
use engine::session::{ExportKind, WizardSession};
use engine::steps::admin_user;
use engine::Lang;
use std::path::PathBuf;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `User name,Password,Console sign-in URL`, as the IAM console downloads it.
    Console,
    /// `User Name,Access key ID,Secret access key`, for `aws configure import`.
    CliImport,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    format: Format,
    /// The file to write.
    #[arg(long, value_parser = super::absolute_path)]
    out: PathBuf,
    /// The IAM user the file is for.
    #[arg(long, default_value = admin_user::DEFAULT_USER_NAME)]
    user: String,
    /// The keychain profile of the access key (default: the user name).
    #[arg(long)]
    profile: Option<String>,
    /// Replace the file if it exists.
    #[arg(long)]
    overwrite: bool,
}

pub async fn run(args: Args, lang: Lang) -> u8 {
    let kind = match args.format {
        Format::Console => ExportKind::Console,
        Format::CliImport => ExportKind::CliImport,
    };
    let profile = args.profile.clone().unwrap_or_else(|| args.user.clone());
    let session = WizardSession::default();
    match session.export_csv_for(kind, &args.out, args.overwrite, &args.user, &profile).await {
        Ok(()) => {
            println!("{}", args.out.display());
            output::EXIT_OK
        }
        Err(err) => output::error(&err, lang, false),
    }
}
