//! Called by the AWS CLI and SDKs on every request through a profile's
//! `credential_process`. It prints the JSON the AWS CLI expects:
//! - the profile's key from the keychain, as it is; or
//! - with `--mfa-session LENGTH`, an MFA session made from that key and
//!   cached in the keychain, so a repeated call makes no AWS call.
//!
//! No async runtime is started unless a new session must be made, to keep
//! each call cheap. The AWS CLI hides this program's stderr, so a code is
//! asked for on the terminal itself (`/dev/tty`), never on stderr, where the
//! prompt would look like a hang; with no terminal, in the app's small code
//! window. stderr never carries a secret.

use crate::output;
use engine::{keychain, mfa_session, EngineError, Lang};
use secrecy::ExposeSecret;
use std::io::Write;
use std::time::Duration;
use zeroize::Zeroizing;

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose credentials to print.
    #[arg(long)]
    profile: String,
    /// Hand out MFA sessions of this length (`90m`, `12h`; 15 minutes to 36 hours).
    #[arg(long, value_name = "LENGTH")]
    mfa_session: Option<String>,
}

/// How long the AWS CLI's call may wait on the keychain (10 s; tests shorten it).
pub(crate) fn keychain_wait() -> Duration {
    let millis = std::env::var("AWS_SETUP_KEYCHAIN_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    Duration::from_millis(millis)
}

pub(crate) fn no_key_message(profile: &str, lang: Lang) -> String {
    lang.pick(
        format!("aws-setup: 키체인에 프로필 '{profile}'의 액세스 키가 없습니다. AWS 설정 마법사에서 액세스 키 단계를 다시 실행하세요."),
        format!("aws-setup: the keychain has no access key for profile '{profile}'. Run the access key step of AWS Setup Wizard again."),
    )
}

pub fn run(args: Args, lang: Lang) -> u8 {
    let json = match &args.mfa_session {
        Some(length) => session_json(&args.profile, length, lang),
        None => key_json(&args.profile),
    };
    let json = match json {
        Ok(Some(json)) => json,
        Ok(None) => {
            eprintln!("{}", no_key_message(&args.profile, lang));
            return output::EXIT_ERROR;
        }
        Err(err) => return output::error(&err, lang, false),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(json.as_bytes()).and_then(|_| stdout.flush()).is_err() {
        return output::EXIT_ERROR;
    }
    output::EXIT_OK
}

fn key_json(profile: &str) -> Result<Option<Zeroizing<String>>, EngineError> {
    let Some(key) = keychain::load_access_key_within(profile, keychain_wait())? else {
        return Ok(None);
    };
    Ok(Some(Zeroizing::new(
        serde_json::json!({
            "Version": 1,
            "AccessKeyId": key.access_key_id,
            "SecretAccessKey": key.secret_access_key.expose_secret(),
        })
        .to_string(),
    )))
}

fn session_json(profile: &str, length: &str, lang: Lang) -> Result<Option<Zeroizing<String>>, EngineError> {
    let length = mfa_session::parse_length(length)?;
    let session = match mfa_session::serve(profile, length, keychain_wait(), || crate::terminal::ask_code(profile, lang)) {
        // No terminal: the app's code window starts the session and caches it.
        Err(EngineError::MfaCodeNeeded(_)) if crate::code_window::ask(profile) => {
            let owned = profile.to_string();
            keychain::within(keychain_wait(), move || mfa_session::cached(&owned, std::time::SystemTime::now()))?
                .ok_or_else(|| EngineError::MfaCodeNeeded(profile.to_string()))
                .map(Some)
        }
        other => other,
    }?;
    session.map(|s| s.process_json()).transpose()
}
