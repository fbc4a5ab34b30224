use crate::output;
use engine::session::WizardSession;
use engine::steps::identity::{CallerKind, IdentityStatus};
use engine::walkthrough::StepView;
use engine::Lang;
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Use this AWS CLI profile instead of the default credential chain.
    #[arg(long)]
    profile: Option<String>,
    /// Print stable JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Status {
    identity: IdentityStatus,
    steps: Vec<StepView>,
}

pub async fn run(args: Args, lang: Lang) -> u8 {
    let source = super::source_from(args.profile);
    let status = Status {
        identity: WizardSession::identity_status(&source, lang).await,
        steps: WizardSession::default().steps().await,
    };
    if args.json {
        output::json(&status);
    } else {
        print_text(&status, lang);
    }
    match status.identity {
        IdentityStatus::Connected { .. } => output::EXIT_OK,
        IdentityStatus::NotConnected => output::EXIT_NOT_CONNECTED,
        IdentityStatus::Failed { .. } => output::EXIT_ERROR,
    }
}

fn print_text(status: &Status, lang: Lang) {
    match &status.identity {
        IdentityStatus::Connected { identity } => {
            let kind = match &identity.caller {
                CallerKind::Root => lang.pick("루트 사용자", "root user").to_string(),
                CallerKind::IamUser { user_name } => {
                    format!("{} {user_name}", lang.pick("IAM 사용자", "IAM user"))
                }
                CallerKind::AssumedRole { role_name, .. } => {
                    format!("{} {role_name}", lang.pick("역할", "role"))
                }
                CallerKind::Other => lang.pick("기타", "other").to_string(),
            };
            println!("{}: {}", lang.pick("계정", "Account"), identity.account_id);
            println!("ARN: {}", identity.arn);
            println!("{}: {kind}", lang.pick("종류", "Kind"));
        }
        IdentityStatus::NotConnected => println!("{}", lang.pick("아직 연결되지 않았습니다.", "Not connected yet.")),
        IdentityStatus::Failed { error } => eprintln!("{}: {}", error.code, error.message),
    }
}
