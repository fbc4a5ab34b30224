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
            println!("✓ {}", step.title(self.lang));
        }
    }

    fn mfa_codes(&mut self, qr_terminal: &str, setup_key: &SecretString) -> Option<(String, String)> {
        if self.mfa == MfaSource::ThisComputer {
            return None;
        }
        println!("{qr_terminal}");
        // Over SSH, or with a phone that cannot scan a screen, the key is typed in instead.
        println!(
            "{} {}",
            self.lang.pick(
                "QR 코드를 스캔할 수 없으면 인증 앱에서 '설정 키 입력'을 고르고 이 키를 입력하세요:",
                "Can't scan it? In the authenticator app choose 'Enter a setup key' and type this key:"
            ),
            secrecy::ExposeSecret::expose_secret(setup_key)
        );
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
        Ok(Stopped::Finished) => finished(&session, lang, as_json).await,
        Ok(Stopped::AdminSignIn { sign_in_url, user_name }) => {
            if as_json {
                output::json(&serde_json::json!({ "needs_you": "admin_sign_in", "sign_in_url": sign_in_url, "user_name": user_name }));
            }
            eprintln!(
                "{}",
                lang.pick(
                    format!("임시 키를 지우기 전에 관리자 사용자로 콘솔에 한 번 로그인해 보세요.\n  로그인 URL: {sign_in_url}\n  사용자 이름: {user_name}\n  암호: 키체인에 있습니다 (`aws-setup export console --out 파일` 로 꺼낼 수 있습니다)\n  MFA: 인증 앱의 코드\n로그인이 되면 `aws-setup confirm admin-sign-in` 을 실행한 뒤 `aws-setup run` 을 다시 실행하세요."),
                    format!("Before the temporary key is deleted, sign in to the console once as the admin user.\n  Sign-in URL: {sign_in_url}\n  User name: {user_name}\n  Password: in the keychain (`aws-setup export console --out FILE` writes it out)\n  MFA: a code from the authenticator app\nOnce you are in, run `aws-setup confirm admin-sign-in`, then `aws-setup run` again."),
                )
            );
            output::EXIT_NEEDS_YOU
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
                        step.title(lang)
                    ),
                    format!(
                        "The '{}' step needs your decision. Change the config file and run again.",
                        step.title(lang)
                    ),
                )
            );
            output::EXIT_NEEDS_YOU
        }
        Err(err) => fail(err),
    }
}

/// The API steps are done. What is left in the console is listed, never
/// skipped in silence: exit 4 while any of it is open.
async fn finished(session: &WizardSession, lang: Lang, as_json: bool) -> u8 {
    let open = match session.open_console_tasks().await {
        Ok(open) => open,
        Err(err) => return output::error(&err, lang, as_json),
    };
    if as_json {
        output::json(&serde_json::json!({ "finished": true, "console_tasks_open": open }));
    } else if open.is_empty() {
        println!("{}", lang.pick("모든 단계가 끝났습니다.", "Every step is done."));
    } else {
        println!(
            "{}",
            lang.pick(
                "API 단계는 끝났습니다. 콘솔에서 할 일이 남아 있습니다:",
                "The API steps are done. Still to do in the AWS console:"
            )
        );
        for task in &open {
            println!("  - {}", task.describe(lang));
        }
        println!(
            "{}",
            lang.pick(
                "하나를 마칠 때마다 `aws-setup confirm <할 일>` 을 실행하세요 (account-signup, root-mfa, billing-access, admin-sign-in).",
                "As you finish each, run `aws-setup confirm <task>` (account-signup, root-mfa, billing-access, admin-sign-in)."
            )
        );
    }
    if open.is_empty() {
        output::EXIT_OK
    } else {
        output::EXIT_NEEDS_YOU
    }
}
