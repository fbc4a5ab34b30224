//! Asking on the terminal itself. The AWS CLI captures a `credential_process`
//! program's stdout and hides its stderr, so a prompt there would look like a
//! hang; the terminal device is still the user's, when there is one.

use engine::Lang;
use std::io::{BufRead, BufReader, Write};

#[cfg(unix)]
const TERMINAL: (&str, &str) = ("/dev/tty", "/dev/tty");
#[cfg(windows)]
const TERMINAL: (&str, &str) = ("CONIN$", "CONOUT$");

/// The admin's MFA code for `profile`, typed on the terminal; `None` when
/// there is no terminal (a GUI app's AWS call, a CI job).
pub fn ask_code(profile: &str, lang: Lang) -> Option<String> {
    let (input, output) = TERMINAL;
    let mut out = std::fs::OpenOptions::new().write(true).open(output).ok()?;
    let inp = std::fs::OpenOptions::new().read(true).open(input).ok()?;
    let prompt = lang.pick(
        format!("aws-setup: 프로필 '{profile}'의 MFA 코드(6자리): "),
        format!("aws-setup: MFA code for profile '{profile}' (6 digits): "),
    );
    out.write_all(prompt.as_bytes()).and_then(|_| out.flush()).ok()?;
    let mut line = String::new();
    BufReader::new(inp).read_line(&mut line).ok()?;
    Some(line.trim().to_string())
}
