//! `aws-setup mfa-session --profile P`: start the MFA session of a profile
//! set up for MFA sessions, from a terminal, so the AWS CLI's next calls (and
//! a GUI tool's, where no one could be asked) find it cached.

use crate::output;
use engine::{mfa_session, EngineError, Lang};
use std::time::SystemTime;

#[derive(clap::Args)]
pub struct Args {
    /// The profile set up with MFA sessions.
    #[arg(long)]
    profile: String,
    /// The current 6-digit code; asked for on the terminal when absent
    /// (and not needed when this computer is the authenticator).
    #[arg(long)]
    code: Option<String>,
}

pub fn run(args: Args, lang: Lang) -> u8 {
    match start(&args, lang) {
        Ok(until) => {
            let until = mfa_session::rfc3339(until).unwrap_or_default();
            println!(
                "{}",
                lang.pick(
                    format!("✓ 프로필 '{}'의 MFA 세션: {until} 까지", args.profile),
                    format!("✓ MFA session for profile '{}' until {until}", args.profile),
                )
            );
            output::EXIT_OK
        }
        Err(err) => output::error(&err, lang, false),
    }
}

fn start(args: &Args, lang: Lang) -> Result<SystemTime, EngineError> {
    let length = mfa_session::length_of_profile(&args.profile).ok_or_else(|| EngineError::ProfileNotFound(args.profile.clone()))?;
    // A typed code asks for a new session made with it: the cached one is
    // not handed out, and this computer's seed (if it has one) is not used.
    if let Some(code) = &args.code {
        return mfa_session::start_for_profile_blocking(&args.profile, code);
    }
    let wait = super::credential_process::keychain_wait();
    let session = mfa_session::serve(&args.profile, length, wait, || crate::terminal::ask_code(&args.profile, lang))?;
    match session {
        Some(session) => Ok(session.expiration),
        None => {
            eprintln!("{}", super::credential_process::no_key_message(&args.profile, lang));
            Err(EngineError::NeedsEarlierStep(engine::walkthrough::StepId::AccessKey))
        }
    }
}
