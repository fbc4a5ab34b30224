//! Called by the AWS CLI and SDKs on every request through a profile's
//! `credential_process`. It only reads the keychain and prints the JSON the
//! AWS CLI expects; no async runtime is started, to keep each call cheap.
//! stderr is shown to the user by the AWS CLI, so it never carries the secret.

use crate::output;
use engine::{keychain, Lang};
use secrecy::ExposeSecret;
use std::io::Write;
use std::time::Duration;
use zeroize::Zeroizing;

#[derive(clap::Args)]
pub struct Args {
    /// The profile whose key to print.
    #[arg(long)]
    profile: String,
}

/// How long the AWS CLI's call may wait on the keychain (10 s; tests shorten it).
fn keychain_wait() -> Duration {
    let millis = std::env::var("AWS_SETUP_KEYCHAIN_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    Duration::from_millis(millis)
}

pub fn run(args: Args, lang: Lang) -> u8 {
    let key = match keychain::load_access_key_within(&args.profile, keychain_wait()) {
        Ok(Some(key)) => key,
        Ok(None) => {
            eprintln!(
                "{}",
                lang.pick(
                    format!(
                        "aws-setup: 키체인에 프로필 '{}'의 액세스 키가 없습니다. AWS 설정 마법사에서 액세스 키 단계를 다시 실행하세요.",
                        args.profile
                    ),
                    format!(
                        "aws-setup: the keychain has no access key for profile '{}'. Run the access key step of AWS Setup Wizard again.",
                        args.profile
                    ),
                )
            );
            return output::EXIT_ERROR;
        }
        Err(err) => return output::error(&err, lang, false),
    };
    let json = Zeroizing::new(
        serde_json::json!({
            "Version": 1,
            "AccessKeyId": key.access_key_id,
            "SecretAccessKey": key.secret_access_key.expose_secret(),
        })
        .to_string(),
    );
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(json.as_bytes()).and_then(|_| stdout.flush()).is_err() {
        return output::EXIT_ERROR;
    }
    output::EXIT_OK
}
