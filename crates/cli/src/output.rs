//! How the CLI reports: stable JSON on stdout with `--json`, plain localized
//! text otherwise, and errors on stderr as `code: message`.

use serde::Serialize;

pub const EXIT_OK: u8 = 0;
pub const EXIT_ERROR: u8 = 1;
pub const EXIT_NOT_CONNECTED: u8 = 3;

pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(err) => eprintln!("internal: {err}"),
    }
}
