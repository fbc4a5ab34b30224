//! The steps beyond the walkthrough: `budget`, `checkup`, `contacts`, `partner`.

use crate::output;
use engine::connection::{ConnectOptions, Connection};
use engine::files::Overwrite;
use engine::journal::Journal;
use engine::steps::{alias, budget, checkup, contacts, identity, partner};
use engine::{EngineError, Lang};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Common {
    /// Run with this AWS CLI profile instead of the default credential chain.
    #[arg(long, global = true)]
    profile: Option<String>,
    /// Print stable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

async fn connect(common: &Common) -> Result<(Connection, String), EngineError> {
    let conn = Connection::open(&super::source_from(common.profile.clone()), &ConnectOptions::default()).await?;
    let account_id = identity::who_am_i(&conn).await?.account_id;
    Ok((conn, account_id))
}

fn finish(result: Result<u8, EngineError>, lang: Lang, json: bool) -> u8 {
    result.unwrap_or_else(|err| output::error(&err, lang, json))
}

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

pub async fn budget(args: BudgetArgs, lang: Lang) -> u8 {
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
            engine::validation::email(args.email.trim())?;
            if let budget::BudgetKind::Monthly { limit_usd } = &kind {
                budget::validate_amount(limit_usd)?;
            }
            let (conn, account_id) = connect(&args.common).await?;
            let mut journal = Journal::open_default()?;
            let outcome = budget::create(&conn, &mut journal, &account_id, &kind, &args.email).await?;
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
                for line in budget::explanations() {
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

#[derive(clap::Args)]
pub struct CheckupArgs {
    /// Also write the report to this file (.md or .html).
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long)]
    overwrite: bool,
    #[command(flatten)]
    common: Common,
}

pub async fn checkup(args: CheckupArgs, lang: Lang) -> u8 {
    let json = args.common.json;
    finish(
        async {
            let (conn, account_id) = connect(&args.common).await?;
            let checks = checkup::run(&conn, &account_id, lang).await;
            if let Some(path) = &args.out {
                checkup::export(path, &checks, lang, args.overwrite)?;
            }
            if json {
                output::json(&checks);
            } else {
                print!("{}", checkup::to_markdown(&checks, lang));
            }
            let failed = checks.iter().any(|c| c.status == checkup::CheckStatus::Fail);
            Ok(if failed { output::EXIT_NEEDS_YOU } else { output::EXIT_OK })
        }
        .await,
        lang,
        json,
    )
}

#[derive(clap::Subcommand)]
pub enum ContactsCommand {
    /// Show the three alternate contacts.
    Get(Common),
    /// Set one contact.
    Put {
        #[arg(value_enum)]
        kind: ContactKindArg,
        #[arg(long)]
        name: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        phone: String,
        #[command(flatten)]
        common: Common,
    },
    /// Remove one contact.
    Delete {
        #[arg(value_enum)]
        kind: ContactKindArg,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ContactKindArg {
    Billing,
    Operations,
    Security,
}

impl From<ContactKindArg> for contacts::ContactKind {
    fn from(kind: ContactKindArg) -> Self {
        match kind {
            ContactKindArg::Billing => contacts::ContactKind::Billing,
            ContactKindArg::Operations => contacts::ContactKind::Operations,
            ContactKindArg::Security => contacts::ContactKind::Security,
        }
    }
}

pub async fn contacts(command: ContactsCommand, lang: Lang) -> u8 {
    let json = match &command {
        ContactsCommand::Get(c) | ContactsCommand::Put { common: c, .. } | ContactsCommand::Delete { common: c, .. } => c.json,
    };
    finish(
        async {
            match command {
                ContactsCommand::Get(common) => {
                    let (conn, _) = connect(&common).await?;
                    let mut all = serde_json::Map::new();
                    for kind in contacts::ContactKind::ALL {
                        let contact = contacts::get(&conn, kind).await?;
                        let key = serde_json::to_value(kind)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default();
                        if !json {
                            println!("{key}: {}", kind.explanation().get(lang));
                            match &contact {
                                Some(c) => println!("  {} <{}> {} ({})", c.name, c.email, c.phone, c.title),
                                None => println!("  {}", lang.pick("(없음)", "(not set)")),
                            }
                        }
                        all.insert(key, serde_json::to_value(contact).unwrap_or_default());
                    }
                    if json {
                        output::json(&all);
                    }
                }
                ContactsCommand::Put {
                    kind,
                    name,
                    title,
                    email,
                    phone,
                    common,
                } => {
                    let contact = contacts::Contact { name, title, email, phone };
                    contact.validate()?;
                    let (conn, _) = connect(&common).await?;
                    contacts::put(&conn, kind.into(), &contact).await?;
                    if json {
                        output::json(&serde_json::json!({ "put": true }));
                    }
                }
                ContactsCommand::Delete { kind, common } => {
                    let (conn, _) = connect(&common).await?;
                    contacts::delete(&conn, kind.into()).await?;
                    if json {
                        output::json(&serde_json::json!({ "deleted": true }));
                    }
                }
            }
            Ok(output::EXIT_OK)
        }
        .await,
        lang,
        json,
    )
}

#[derive(clap::Args)]
pub struct PartnerArgs {
    /// The partner's user name.
    #[arg(long, default_value = partner::DEFAULT_USER_NAME)]
    user: String,
    /// Where the hand-off sheet (no secrets) and the locked ZIP go.
    #[arg(long, default_value = ".")]
    out_dir: PathBuf,
    #[command(flatten)]
    common: Common,
}

pub async fn partner(args: PartnerArgs, lang: Lang) -> u8 {
    let json = args.common.json;
    finish(
        async {
            engine::validation::user_name(args.user.trim())?;
            let (conn, account_id) = connect(&args.common).await?;
            let sign_in = alias::sign_in_url(&alias::current(&conn).await?.unwrap_or_else(|| account_id.clone()));
            let mut journal = Journal::open_default()?;
            let outcome = partner::create(&conn, &mut journal, &account_id, &args.user, &sign_in).await?;
            let partner::PartnerOutcome::Ready { handoff, .. } = &outcome else {
                if json {
                    output::json(&outcome);
                }
                eprintln!("{}", EngineError::NameTakenByOther(args.user.clone()).message(lang));
                return Ok(output::EXIT_NEEDS_YOU);
            };
            let secrets = partner::load_secrets(&account_id, &handoff.user_name)?.ok_or(EngineError::NeedsEarlierStep("partner"))?;
            let sheet = args.out_dir.join(format!("{}-handoff.md", handoff.user_name));
            let locked = args.out_dir.join(format!("{}-credentials.zip", handoff.user_name));
            partner::write_sheet(&sheet, handoff, lang, Overwrite::Replace)?;
            let zip_password = partner::write_locked_zip(&locked, handoff, &secrets, Overwrite::Replace)?;
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
