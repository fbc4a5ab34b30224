//! `aws-setup run --config setup.toml`: the API steps of the walkthrough,
//! headless. The bootstrap key comes from the environment or stdin, never
//! from the command line, where other users of the machine could see it.

use crate::output;
use engine::connection::CredentialSource;
use engine::flow::{self, FlowContext, FlowEvents, SetupConfig, StepSummary, Stopped};
use engine::session::WizardSession;
use engine::walkthrough::StepId;
use engine::{EngineError, Lang};
use secrecy::SecretString;
use std::io::BufRead;
use std::path::PathBuf;
use zeroize::Zeroizing;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MfaSource {
    /// Read two consecutive codes from stdin after showing the QR code.
    Stdin,
    /// This computer is the authenticator: the seed goes to the keychain.
    ThisComputer,
}

#[derive(clap::Args)]
pub struct Args {
    /// The walkthrough settings (see README).
    #[arg(long)]
    config: PathBuf,
    /// Where the two MFA codes come from.
    #[arg(long, value_enum, default_value = "stdin")]
    mfa: MfaSource,
    /// Read the bootstrap key from stdin: the access key id on the first
    /// line, the secret on the second. Otherwise AWS_SETUP_BOOTSTRAP_ACCESS_KEY_ID
    /// and AWS_SETUP_BOOTSTRAP_SECRET_ACCESS_KEY, else --profile, else the default chain.
    #[arg(long)]
    bootstrap_stdin: bool,
    /// Start from this AWS CLI profile instead of a pasted key.
    #[arg(long, conflicts_with = "bootstrap_stdin")]
    profile: Option<String>,
    /// Change an AWS CLI profile of the same name that you already had (it is backed up first).
    #[arg(long)]
    replace_profile: bool,
    /// Print one JSON object per finished step.
    #[arg(long)]
    json: bool,
}

struct Events {
    lang: Lang,
    json: bool,
    mfa: MfaSource,
}

impl FlowEvents for Events {
    fn step_done(&mut self, step: StepId, summary: &StepSummary) {
        if self.json {
            output::json(summary);
        } else {
            println!("✓ {}", step.as_str());
        }
    }

    fn mfa_codes(&mut self, qr_terminal: &str) -> Option<(String, String)> {
        if self.mfa == MfaSource::ThisComputer {
            return None;
        }
        println!("{qr_terminal}");
        println!(
            "{}",
            self.lang.pick(
                "인증 앱으로 위 QR 코드를 스캔한 뒤, 연속된 MFA 코드 두 개를 한 줄에 하나씩 입력하세요:",
                "Scan the QR code above with your authenticator app, then type two consecutive MFA codes, one per line:"
            )
        );
        let mut lines = std::io::stdin().lock().lines();
        let first = lines.next()?.ok()?;
        let second = lines.next()?.ok()?;
        Some((first.trim().replace(' ', ""), second.trim().replace(' ', "")))
    }
}

fn bootstrap_source(args: &Args) -> Result<CredentialSource, EngineError> {
    if args.bootstrap_stdin {
        let mut lines = std::io::stdin().lock().lines();
        let id = lines.next().and_then(|l| l.ok()).unwrap_or_default();
        let secret = Zeroizing::new(lines.next().and_then(|l| l.ok()).unwrap_or_default());
        return CredentialSource::pasted(&id, SecretString::from(secret.as_str()));
    }
    if let (Ok(id), Ok(secret)) = (
        std::env::var("AWS_SETUP_BOOTSTRAP_ACCESS_KEY_ID"),
        std::env::var("AWS_SETUP_BOOTSTRAP_SECRET_ACCESS_KEY"),
    ) {
        return CredentialSource::pasted(&id, SecretString::from(secret));
    }
    Ok(super::source_from(args.profile.clone()))
}

pub async fn run(args: Args, lang: Lang) -> u8 {
    let as_json = args.json;
    let fail = |err: EngineError| output::error(&err, lang, as_json);
    let text = match std::fs::read_to_string(&args.config) {
        Ok(text) => text,
        Err(e) => return fail(EngineError::file(&args.config, &e)),
    };
    let config = match SetupConfig::parse(&text) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{}: {message}", args.config.display());
            return output::EXIT_USAGE;
        }
    };
    if let Err(err) = config.validate() {
        return fail(err);
    }
    let source = match bootstrap_source(&args) {
        Ok(source) => source,
        Err(err) => return fail(err),
    };
    let cli_path = match std::env::current_exe().and_then(|p| p.canonicalize()) {
        Ok(path) => path,
        Err(err) => return fail(EngineError::Internal(err.to_string())),
    };
    let session = WizardSession::default();
    let ctx = FlowContext {
        bootstrap: &source,
        config: &config,
        cli_path: &cli_path,
        replace_profile: args.replace_profile,
    };
    let mut events = Events {
        lang,
        json: as_json,
        mfa: args.mfa,
    };
    let result = flow::run(&ctx, &session, &mut events).await;
    if std::env::var_os("AWS_SETUP_COUNT_CALLS").is_some() {
        // Operation names only: nothing here is secret.
        eprintln!("aws-calls {}", serde_json::json!(engine::call_count::snapshot()));
    }
    match result {
        Ok(Stopped::Finished) => {
            if as_json {
                output::json(&serde_json::json!({ "finished": true }));
            } else {
                println!("{}", lang.pick("모든 API 단계가 끝났습니다.", "All API steps are done."));
            }
            output::EXIT_OK
        }
        Ok(Stopped::NeedsDecision { step, summary }) => {
            if as_json {
                output::json(&serde_json::json!({ "needs_decision": step, "summary": summary }));
            }
            eprintln!(
                "{}",
                lang.pick(
                    format!(
                        "'{}' 단계에서 결정이 필요합니다. 설정 파일을 고친 뒤 다시 실행하세요.",
                        step.as_str()
                    ),
                    format!(
                        "The '{}' step needs your decision. Change the config file and run again.",
                        step.as_str()
                    ),
                )
            );
            output::EXIT_NEEDS_YOU
        }
        Err(err) => fail(err),
    }
}
