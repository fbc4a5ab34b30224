//! `aws-setup class create|teardown|status`: a classroom lab from a roster.
//! `--mode users` (the default) makes IAM users in this account; `--mode
//! accounts` is handled in class_accounts.rs.

use crate::output;
use engine::classroom::{self, create, ClassSettings, PolicyPreset};
use engine::session::{self, RosterCheck, WizardSession};
use engine::{EngineError, Lang};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(clap::Subcommand)]
pub enum ClassCommand {
    /// Create a user per student (idempotent: run again to retry failures).
    /// Boxed: with the accounts-mode flags it is far larger than the others.
    Create(Box<CreateArgs>),
    /// Remove everything tagged with the class id (a preview unless --yes).
    Teardown(TeardownArgs),
    /// Accounts mode: each student's account, its state, spend and guardrails.
    Status(super::class_accounts::StatusArgs),
}

/// users: IAM users in this account; accounts: an AWS account per student.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Users,
    Accounts,
}

#[derive(clap::Args)]
pub struct CreateArgs {
    /// users: IAM users in this account; accounts: an AWS account per student
    /// (run from the organization's management account).
    #[arg(long, value_enum, default_value = "users")]
    pub(crate) mode: Mode,
    /// CSV or plain list: user name[, display name[, email]] per line.
    #[arg(long)]
    pub(crate) roster: PathBuf,
    #[arg(long)]
    pub(crate) class_id: String,
    /// Also create an access key per student.
    #[arg(long)]
    keys: bool,
    /// Students created at once (1 to 16).
    #[arg(long, default_value_t = classroom::DEFAULT_CONCURRENCY as u32)]
    pub(crate) concurrency: u32,
    /// readonly, poweruser, or comma-separated managed policy ARNs.
    #[arg(long, default_value = "readonly")]
    policy: String,
    /// Where the hand-out CSV and sheets go.
    #[arg(long, default_value = ".", value_parser = super::absolute_path)]
    pub(crate) out_dir: PathBuf,
    /// Replace hand-out files that exist.
    #[arg(long)]
    pub(crate) overwrite: bool,
    #[arg(long)]
    pub(crate) profile: Option<String>,
    #[arg(long)]
    pub(crate) json: bool,
    #[command(flatten)]
    pub(crate) accounts: super::class_accounts::AccountsArgs,
}

#[derive(clap::Args)]
pub struct TeardownArgs {
    #[arg(long)]
    pub(crate) class_id: String,
    /// Delete for real; without it, only the preview with counts.
    #[arg(long)]
    pub(crate) yes: bool,
    #[arg(long, default_value_t = classroom::DEFAULT_CONCURRENCY as u32)]
    pub(crate) concurrency: u32,
    /// Accounts mode: close the student accounts (within AWS's 10 %-a-month
    /// allowance) instead of recycling them into the ready pool.
    #[arg(long)]
    pub(crate) close: bool,
    #[arg(long)]
    pub(crate) profile: Option<String>,
    #[arg(long)]
    pub(crate) json: bool,
}

fn policy_preset(text: &str) -> PolicyPreset {
    match text.trim().to_ascii_lowercase().as_str() {
        "readonly" | "read-only" => PolicyPreset::ReadOnly,
        "poweruser" | "power-user" => PolicyPreset::PowerUser,
        _ => PolicyPreset::Custom {
            policy_arns: text.split(',').map(|s| s.trim().to_string()).collect(),
        },
    }
}

pub(crate) fn progress_printer(lang: Lang) -> Arc<dyn Fn(create::ClassProgress) + Send + Sync> {
    let tty = std::io::stderr().is_terminal();
    Arc::new(move |p| {
        let text = lang.pick(
            format!("완료 {} / 실패 {} / 남음 {}", p.done, p.failed, p.remaining),
            format!("done {} / failed {} / remaining {}", p.done, p.failed, p.remaining),
        );
        if tty {
            eprint!("\r{text}   ");
            if p.remaining == 0 {
                eprintln!();
            }
        } else {
            eprintln!("{text}");
        }
    })
}

/// The roster, checked line by line; `Err` is the exit code after the problems were printed.
pub(crate) fn read_roster(
    path: &std::path::Path,
    lang: Lang,
    json: bool,
) -> Result<Result<Vec<engine::classroom::roster::Student>, u8>, EngineError> {
    let text = std::fs::read_to_string(path).map_err(|e| EngineError::file(path, &e))?;
    Ok(match session::check_roster(&text, lang) {
        RosterCheck::Ok { students } => Ok(students),
        RosterCheck::Problems { problems } => {
            if json {
                output::json(&serde_json::json!({ "roster_problems": problems }));
            }
            for p in &problems {
                eprintln!("{}:{}: {}", path.display(), p.line, p.message);
            }
            Err(output::EXIT_USAGE)
        }
    })
}

async fn create(args: CreateArgs, lang: Lang) -> Result<u8, EngineError> {
    if args.mode == Mode::Accounts {
        return super::class_accounts::create(args, lang).await;
    }
    let settings = ClassSettings {
        class_id: args.class_id.clone(),
        policy: policy_preset(&args.policy),
        access_keys: args.keys,
        concurrency: args.concurrency,
    };
    settings.validate()?;
    let students = match read_roster(&args.roster, lang, args.json)? {
        Ok(students) => students,
        Err(code) => return Ok(code),
    };
    let session = WizardSession::default();
    session.open(&super::source_from(args.profile.clone())).await?;
    let report = session.create_class(&settings, &students, lang, progress_printer(lang)).await?;
    let mut files = Vec::new();
    if report.failed.is_empty() {
        files = session
            .export_class_handout(
                &settings.class_id,
                &students,
                &args.out_dir,
                settings.access_keys,
                lang,
                args.overwrite,
            )
            .await?;
    }
    if args.json {
        output::json(&serde_json::json!({ "report": report, "files": files }));
    } else {
        println!(
            "{}",
            lang.pick(
                format!(
                    "새로 만듦 {}명, 이미 있음 {}명, 실패 {}명",
                    report.created.len(),
                    report.already_done.len(),
                    report.failed.len()
                ),
                format!(
                    "created {}, already done {}, failed {}",
                    report.created.len(),
                    report.already_done.len(),
                    report.failed.len()
                ),
            )
        );
        print_failures(&report.failed, &files, true, lang);
    }
    Ok(exit_code(&report.failed))
}

/// The failed students, the files written and, after a create, how to retry:
/// the same words for both modes.
pub(crate) fn print_failures(failed: &[create::StudentFailure], files: &[PathBuf], after_create: bool, lang: Lang) {
    for f in failed {
        eprintln!("  ! {}: {}", f.user_name, f.error.message);
    }
    for file in files {
        println!("{}", file.display());
    }
    if after_create && !failed.is_empty() {
        eprintln!(
            "{}",
            lang.pick(
                "실패한 학생을 고친 뒤 같은 명령을 다시 실행하세요. 끝난 학생은 건너뜁니다. 모두 끝나면 안내 파일을 씁니다.",
                "Fix the failures and run the same command again: finished students are skipped. The hand-out is written once everyone is done.",
            )
        );
    }
}

pub(crate) fn exit_code(failed: &[create::StudentFailure]) -> u8 {
    if failed.is_empty() {
        output::EXIT_OK
    } else {
        output::EXIT_ERROR
    }
}

async fn teardown(args: TeardownArgs, lang: Lang) -> Result<u8, EngineError> {
    if super::class_accounts::is_accounts_class(&args.class_id) {
        return super::class_accounts::teardown(args, lang).await;
    }
    let session = WizardSession::default();
    session.open(&super::source_from(args.profile.clone())).await?;
    let report = session
        .teardown_class(&args.class_id, args.concurrency as usize, args.yes, lang, progress_printer(lang))
        .await?;
    if args.json {
        output::json(&report);
    } else {
        let c = report.counts;
        let verb = if report.dry_run {
            lang.pick("삭제할 항목", "To remove")
        } else {
            lang.pick("삭제함", "Removed")
        };
        println!(
            "{verb}: {} {}, {} {}, {} {}, {} {}, {} {}",
            c.users,
            lang.pick("사용자", "users"),
            c.access_keys,
            lang.pick("액세스 키", "access keys"),
            c.mfa_devices,
            lang.pick("MFA 장치", "MFA devices"),
            c.login_profiles,
            lang.pick("콘솔 암호", "console passwords"),
            c.groups,
            lang.pick("그룹", "groups"),
        );
        if report.dry_run {
            println!("{}", lang.pick("실제로 삭제하려면 --yes 를 붙이세요.", "Add --yes to remove them."));
        }
        print_failures(&report.failed, &[], false, lang);
    }
    Ok(exit_code(&report.failed))
}

pub async fn run(command: ClassCommand, lang: Lang) -> u8 {
    let json = match &command {
        ClassCommand::Create(a) => a.json,
        ClassCommand::Teardown(a) => a.json,
        ClassCommand::Status(a) => a.json,
    };
    let result = match command {
        ClassCommand::Create(args) => create(*args, lang).await,
        ClassCommand::Teardown(args) => teardown(args, lang).await,
        ClassCommand::Status(args) => super::class_accounts::status(args, lang).await,
    };
    result.unwrap_or_else(|err| output::error(&err, lang, json))
}
