//! `aws-setup confirm TASK`: you did a console-only task, so `run` stops
//! listing it. Root MFA is also read from AWS on the next run.

use crate::output;
use engine::session::WizardSession;
use engine::walkthrough::ConsoleTask;
use engine::Lang;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Task {
    /// All 5 signup steps are done and the account is active.
    AccountSignup,
    /// The root user has an MFA device.
    RootMfa,
    /// IAM users and roles may see billing (switched on by root).
    BillingAccess,
    /// You signed in to the console as the admin user, with its MFA.
    AdminSignIn,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    task: Task,
}

pub async fn run(args: Args, lang: Lang) -> u8 {
    let task = match args.task {
        Task::AccountSignup => ConsoleTask::AccountSignup,
        Task::RootMfa => ConsoleTask::RootMfa,
        Task::BillingAccess => ConsoleTask::BillingAccess,
        Task::AdminSignIn => ConsoleTask::AdminSignIn,
    };
    match WizardSession::default().confirm_console_task(task).await {
        Ok(()) => {
            println!("✓ {}", task.step().title(lang));
            output::EXIT_OK
        }
        Err(err) => output::error(&err, lang, false),
    }
}
