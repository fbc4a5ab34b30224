//! `aws-setup`: the wizard without a window. Every subcommand is a thin
//! caller of the engine; see `commands/` for one file per subcommand.

mod code_window;
mod commands;
mod output;
mod terminal;

use clap::{Parser, Subcommand};
use engine::Lang;
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (or nothing to do: already done)
  1  an error; the message says what to do next
  2  the command line is wrong
  3  not connected: no usable AWS credentials were found
  4  waiting on you: a console-only step or a confirmation is needed";

#[derive(Parser)]
#[command(name = "aws-setup", version, about = "Set up a new AWS account safely, without a window", after_help = EXIT_CODES)]
struct Cli {
    /// Language of messages: ko or en (default: from the locale).
    #[arg(long, global = true, env = "AWS_SETUP_LANG", value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Where secrets are kept: the OS keychain (default), or, on a computer
    /// with none, a file locked with the passphrase in AWS_SETUP_STORE_PASSPHRASE.
    #[arg(long, global = true, value_enum, env = "AWS_SETUP_STORE")]
    store: Option<Store>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Who AWS thinks you are, and the walkthrough's state.
    Status(commands::status::Args),
    /// The API steps of the walkthrough, headless, from a config file.
    Run(commands::run::Args),
    /// Say that a console-only task is done (`run` lists what is open).
    Confirm(commands::confirm::Args),
    /// Print a profile's key for the AWS CLI (used by `credential_process`).
    CredentialProcess(commands::credential_process::Args),
    /// Start the MFA session of a profile set up for MFA sessions.
    MfaSession(commands::mfa_session::Args),
    /// What kind of credential each AWS CLI profile holds, and when it expires.
    LoginStatus(commands::login_status::Args),
    /// Write the admin user's credentials to a CSV file.
    Export(commands::export::Args),
    /// Remove everything this app created (a preview unless --yes).
    Teardown(commands::teardown::Args),
    /// IAM Identity Center for this account: the admin as an Identity Center user, and `aws sso login`.
    IdentityCenter(commands::identity_center::Args),
    /// A monthly cost budget with email alerts.
    Budget(commands::budget::BudgetArgs),
    /// The security report card (exit code 4 when a check fails).
    Checkup(commands::checkup::CheckupArgs),
    /// Alternate contacts for billing, operations and security.
    #[command(subcommand)]
    Contacts(commands::contacts::ContactsCommand),
    /// A support user for a billing partner, with a safe hand-off.
    Partner(commands::partner::PartnerArgs),
    /// Classroom labs: a user per student from a roster, and teardown.
    #[command(subcommand)]
    Class(commands::class::ClassCommand),
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Store {
    Keychain,
    File,
}

fn parse_lang(value: &str) -> Result<Lang, String> {
    Lang::parse(value).ok_or_else(|| "expected ko or en".to_string())
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(engine::logging::filter_directives(
            std::env::var("AWS_SETUP_LOG").ok().as_deref(),
        )))
        .with_writer(std::io::stderr)
        .without_time()
        .init();
    let cli = Cli::parse();
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    if cli.store == Some(Store::File) {
        engine::file_store::choose();
    }
    // credential-process runs on every AWS CLI call and needs no AWS call, so it
    // skips the async runtime: its start-up time matters.
    let command = match cli.command {
        Command::CredentialProcess(args) => return ExitCode::from(commands::credential_process::run(args, lang)),
        Command::MfaSession(args) => return ExitCode::from(commands::mfa_session::run(args, lang)),
        Command::LoginStatus(args) => return ExitCode::from(commands::login_status::run(args, lang)),
        other => other,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("aws-setup: cannot start: {err}");
            return ExitCode::from(output::EXIT_ERROR);
        }
    };
    let code = runtime.block_on(async {
        match command {
            Command::Status(args) => commands::status::run(args, lang).await,
            Command::Run(args) => commands::run::run(args, lang).await,
            Command::Confirm(args) => commands::confirm::run(args, lang).await,
            Command::Export(args) => commands::export::run(args, lang).await,
            Command::Teardown(args) => commands::teardown::run(args, lang).await,
            Command::Class(command) => commands::class::run(command, lang).await,
            Command::Budget(args) => commands::budget::run(args, lang).await,
            Command::IdentityCenter(args) => commands::identity_center::run(args, lang).await,
            Command::Checkup(args) => commands::checkup::run(args, lang).await,
            Command::Contacts(command) => commands::contacts::run(command, lang).await,
            Command::Partner(args) => commands::partner::run(args, lang).await,
            Command::CredentialProcess(_) | Command::MfaSession(_) | Command::LoginStatus(_) => {
                unreachable!("handled before the runtime starts")
            }
        }
    });
    ExitCode::from(code)
}
