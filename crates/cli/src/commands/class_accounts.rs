//! `aws-setup class create --mode accounts`, and `class teardown|status` for a
//! class made that way: an AWS account per student from the organization's
//! management account (engine::classroom::accounts).

use super::class::{exit_code, print_failures, progress_printer, read_roster, CreateArgs, TeardownArgs};
use crate::output;
use engine::classroom::accounts::{self, AccountClassSettings, SignIn, StudentRights};
use engine::session::WizardSession;
use engine::{EngineError, Lang};

/// Sign-in choices on the command line.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SignInArg {
    IdentityCenter,
    Iam,
}

/// The flags only `--mode accounts` reads.
#[derive(clap::Args)]
pub struct AccountsArgs {
    /// Accounts mode: how students sign in.
    #[arg(long, value_enum, default_value = "identity-center")]
    signin: SignInArg,
    /// Accounts mode: students get AdministratorAccess instead of PowerUserAccess (the guardrails still apply).
    #[arg(long)]
    admin_rights: bool,
    /// Accounts mode: the regions students may use, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "us-east-1")]
    regions: Vec<String>,
    /// Accounts mode: the EC2 instance types students may launch, comma-separated (t3.* for a family).
    #[arg(long, value_delimiter = ',', default_values_t = accounts::DEFAULT_INSTANCE_TYPES.map(String::from))]
    instance_types: Vec<String>,
    /// Accounts mode: each student account's monthly budget in USD.
    #[arg(long, default_value = "20")]
    budget_usd: String,
    /// Accounts mode: who gets every account's budget alerts (required).
    #[arg(long)]
    instructor_email: Option<String>,
    /// Accounts mode: also send a student's budget alerts to the student.
    #[arg(long)]
    alert_students: bool,
    /// Accounts mode: account emails from a pattern, e.g. teacher+CLASS-STUDENT@school.edu
    /// (default: each roster email with +class-student added).
    #[arg(long)]
    email_pattern: Option<String>,
    /// Accounts mode: the organization's account quota, used only when Service Quotas cannot be read.
    #[arg(long)]
    account_quota: Option<u32>,
}

#[derive(clap::Args)]
pub struct StatusArgs {
    #[arg(long)]
    class_id: String,
    #[arg(long)]
    profile: Option<String>,
    #[arg(long)]
    pub(crate) json: bool,
}

pub fn is_accounts_class(class_id: &str) -> bool {
    accounts::is_accounts_class(class_id)
}

fn settings(args: &CreateArgs) -> AccountClassSettings {
    let a = &args.accounts;
    let mut settings = AccountClassSettings::preset(&args.class_id, a.instructor_email.as_deref().unwrap_or_default());
    settings.sign_in = match a.signin {
        SignInArg::IdentityCenter => SignIn::IdentityCenter,
        SignInArg::Iam => SignIn::Iam,
    };
    if a.admin_rights {
        settings.rights = StudentRights::Administrator;
    }
    settings.regions = a.regions.iter().map(|r| r.trim().to_string()).collect();
    settings.instance_types = a.instance_types.iter().map(|t| t.trim().to_string()).collect();
    settings.budget_usd = a.budget_usd.clone();
    settings.alert_students = a.alert_students;
    settings.email_pattern = a.email_pattern.clone();
    settings.account_quota = a.account_quota;
    settings.concurrency = args.concurrency;
    settings
}

pub async fn create(args: CreateArgs, lang: Lang) -> Result<u8, EngineError> {
    let settings = settings(&args);
    settings.validate()?;
    let students = match read_roster(&args.roster, lang, args.json)? {
        Ok(students) => students,
        Err(code) => return Ok(code),
    };
    if let Err((line, invalid)) = settings.account_emails(&students) {
        eprintln!("{}:{line}: {}", args.roster.display(), invalid.message(lang));
        return Err(invalid.into());
    }
    let session = WizardSession::default();
    session.open(&super::source_from(args.profile.clone())).await?;
    let report = session
        .create_account_class(&settings, &students, lang, progress_printer(lang))
        .await?;
    let files = if report.failed.is_empty() {
        WizardSession::export_account_class_handout(&report, &args.out_dir, lang, args.overwrite)?
    } else {
        Vec::new()
    };
    if args.json {
        output::json(&serde_json::json!({ "report": report, "files": files }));
    } else {
        println!(
            "{}",
            lang.pick(
                format!(
                    "새 계정 {}개, 풀에서 재사용 {}개, 이미 있음 {}개, 실패 {}개",
                    report.created.len(),
                    report.reused.len(),
                    report.already_done.len(),
                    report.failed.len()
                ),
                format!(
                    "new accounts {}, reused from the pool {}, already done {}, failed {}",
                    report.created.len(),
                    report.reused.len(),
                    report.already_done.len(),
                    report.failed.len()
                ),
            )
        );
        println!("{}", lang.pick("가드레일(SCP):", "Guardrails (SCPs):"));
        for line in WizardSession::guardrail_words(&settings) {
            println!("  - {}", lang.pick(&line.ko, &line.en));
        }
        print_failures(&report.failed, &files, true, lang);
    }
    Ok(exit_code(&report.failed))
}

pub async fn teardown(args: TeardownArgs, lang: Lang) -> Result<u8, EngineError> {
    let session = WizardSession::default();
    session.open(&super::source_from(args.profile.clone())).await?;
    let report = session
        .teardown_account_class(
            &args.class_id,
            args.concurrency as usize,
            args.close,
            args.yes,
            lang,
            progress_printer(lang),
        )
        .await?;
    if args.json {
        output::json(&report);
    } else {
        let c = report.cleanup;
        let verb = if report.dry_run {
            lang.pick("할 일", "To do")
        } else {
            lang.pick("한 일", "Done")
        };
        let left = &c.leftovers;
        println!(
            "{verb}: {} {}, {} {}; {} {}, {} {}, {} {}, {} {}, {} {}; {} {}, {} {}, {} {}; {} {}",
            report.recycled.len(),
            lang.pick("계정을 준비 풀로", "accounts to the ready pool"),
            report.closed.len(),
            lang.pick("계정 닫기", "accounts closed"),
            left.ec2_instances,
            lang.pick("EC2 인스턴스", "EC2 instances"),
            left.ebs_volumes,
            lang.pick("볼륨", "volumes"),
            left.elastic_ips,
            lang.pick("탄력적 IP", "Elastic IPs"),
            left.key_pairs,
            lang.pick("키 페어", "key pairs"),
            left.s3_buckets,
            lang.pick("S3 버킷", "S3 buckets"),
            c.iam_users,
            lang.pick("IAM 사용자", "IAM users"),
            c.iam_roles,
            lang.pick("IAM 역할", "IAM roles"),
            c.budgets,
            lang.pick("예산", "budgets"),
            report.sign_ins_removed,
            lang.pick("학생 로그인 삭제", "student sign-ins removed"),
        );
        for account in &report.accounts {
            println!("  {} {}", account.user_name, account.account_id);
        }
        if !report.leftovers_checked && !report.accounts.is_empty() {
            println!(
                "{}",
                lang.pick(
                    "주의: 이 컴퓨터에 AWS CLI v2가 없어서 학생 계정의 EC2 인스턴스, 볼륨, 탄력적 IP, 키 페어, S3 버킷을 찾지 않았고 지우지도 않습니다. AWS CLI v2를 설치한 뒤 다시 실행하세요.",
                    "Note: the AWS CLI v2 is not on this computer, so EC2 instances, volumes, Elastic IPs, key pairs and S3 buckets in the student accounts were not looked for, and are not removed. Install the AWS CLI v2 and run this again.",
                )
            );
        }
        if let Some(a) = report.close_allowance {
            println!(
                "{}",
                lang.pick(
                    format!(
                        "계정 닫기 한도: 30일에 {}개, 최근 {}개 닫음, 지금 {}개 더 닫을 수 있음. 나머지는 준비 풀로 옮깁니다.",
                        a.limit, a.closed_recently, a.remaining
                    ),
                    format!(
                        "Closing allowance: {} per 30 days, {} closed recently, {} more may be closed now. The rest go to the ready pool.",
                        a.limit, a.closed_recently, a.remaining
                    ),
                )
            );
        }
        if report.dry_run {
            println!("{}", lang.pick("실제로 하려면 --yes 를 붙이세요.", "Add --yes to do it."));
        }
        print_failures(&report.failed, &[], false, lang);
    }
    Ok(exit_code(&report.failed))
}

pub async fn status(args: StatusArgs, lang: Lang) -> Result<u8, EngineError> {
    let session = WizardSession::default();
    session.open(&super::source_from(args.profile.clone())).await?;
    let status = session.account_class_status(&args.class_id).await?;
    if args.json {
        output::json(&status);
        return Ok(output::EXIT_OK);
    }
    println!("{}: {}", lang.pick("가드레일", "Guardrails"), status.guardrails.join(", "));
    for s in &status.students {
        let spend = s.spend_usd.as_deref().map(|v| format!("USD {v}")).unwrap_or_else(|| "-".into());
        let place = if s.in_class_ou {
            ""
        } else {
            lang.pick(" (수업 OU 밖)", " (outside the class OU)")
        };
        println!("{:<24} {} {}{} {}", s.user_name, s.account_id, s.state, place, spend);
    }
    Ok(output::EXIT_OK)
}
