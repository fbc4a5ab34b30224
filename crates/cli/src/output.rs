//! How the CLI reports: stable JSON on stdout with `--json`, plain localized
//! text otherwise, and errors on stderr as `code: message`.

use engine::{EngineError, Lang};
use serde::Serialize;

pub const EXIT_OK: u8 = 0;
pub const EXIT_ERROR: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_NOT_CONNECTED: u8 = 3;
pub const EXIT_NEEDS_YOU: u8 = 4;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string(value) {
        Ok(text) => println!("{text}"),
        Err(err) => eprintln!("internal: {err}"),
    }
}

/// Prints the error the way every subcommand does and returns its exit code.
pub fn error(err: &EngineError, lang: Lang, as_json: bool) -> u8 {
    if as_json {
        json(&serde_json::json!({ "error": err.to_ui(lang) }));
    }
    eprintln!("{}: {}", err.code(), err.message(lang));
    match err {
        EngineError::NoCredentials
        | EngineError::SignInExpired(_)
        | EngineError::AwsLoginFailed(_)
        | EngineError::AwsLoginUnavailable(_) => EXIT_NOT_CONNECTED,
        _ => EXIT_ERROR,
    }
}
