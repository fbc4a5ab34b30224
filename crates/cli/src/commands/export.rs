//! `aws-setup export`: the CSV files the IAM console and `aws configure import` use.
//! Files are 0600, written atomically, and never overwritten unless asked.

use crate::output;
use engine::files::Overwrite;
use engine::journal::{Journal, Resource};
use engine::steps::{admin_user, alias, handoff};
use engine::{keychain, EngineError, Lang};
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
    #[arg(long)]
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

fn export(args: &Args) -> Result<(), EngineError> {
    let journal = Journal::open_default()?;
    let account_id = journal.data.account_id.clone().ok_or(EngineError::NeedsEarlierStep("identity"))?;
    let overwrite = if args.overwrite { Overwrite::Replace } else { Overwrite::Refuse };
    match args.format {
        Format::Console => {
            let password = keychain::get(&admin_user::password_account(&account_id, &args.user))?
                .ok_or(EngineError::NeedsEarlierStep("admin_user"))?;
            let alias = journal.data.resources.iter().find_map(|r| match r {
                Resource::Alias { alias } => Some(alias.clone()),
                _ => None,
            });
            let url = alias::sign_in_url(alias.as_deref().unwrap_or(&account_id));
            handoff::export_console_csv(&args.out, &args.user, &password, &url, overwrite)
        }
        Format::CliImport => {
            let profile = args.profile.clone().unwrap_or_else(|| args.user.clone());
            let key = keychain::load_access_key(&profile)?.ok_or(EngineError::NeedsEarlierStep("access_key"))?;
            handoff::export_cli_import_csv(&args.out, &args.user, &key.access_key_id, &key.secret_access_key, overwrite)
        }
    }
}

pub fn run(args: Args, lang: Lang) -> u8 {
    match export(&args) {
        Ok(()) => {
            println!("{}", args.out.display());
            output::EXIT_OK
        }
        Err(err) => output::error(&err, lang, false),
    }
}
