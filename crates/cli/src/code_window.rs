//! The app's small MFA code window, for when the AWS CLI needs a code and
//! runs with no terminal (an editor's AWS tools, a GUI program). The window
//! starts the session itself and caches it; its exit code says whether it did.

use engine::app_data::CODE_WINDOW_FLAG;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The installed app, beside this program: both are in `/usr/bin` from the
/// `.deb`, in `Contents/MacOS` of the macOS bundle, and in the install folder
/// on Windows.
fn app_beside_cli() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = if cfg!(windows) {
        "aws-setup-wizard.exe"
    } else {
        "aws-setup-wizard"
    };
    let app = exe.parent()?.join(name);
    app.is_file().then_some(app)
}

/// Opens the window and waits until it closes; `true` when a session was started.
pub fn ask(profile: &str) -> bool {
    let Some(app) = app_beside_cli() else {
        return false;
    };
    Command::new(app)
        .args([CODE_WINDOW_FLAG, profile])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}
