//! Where the `aws-setup` CLI is, for the `credential_process` line the app
//! writes: beside the app's own binary (the .deb installs both in /usr/bin,
//! and cargo builds both into one target folder).

use engine::EngineError;
use std::path::PathBuf;

pub fn installed_cli() -> Result<PathBuf, EngineError> {
    let name = if cfg!(windows) { "aws-setup.exe" } else { "aws-setup" };
    let exe = std::env::current_exe().map_err(|e| EngineError::Internal(e.to_string()))?;
    let beside = exe.parent().map(|dir| dir.join(name)).filter(|p| p.is_file());
    beside
        .or_else(|| std::env::var_os("AWS_SETUP_CLI").map(PathBuf::from))
        .ok_or_else(|| EngineError::Internal("the aws-setup CLI was not found beside the app".into()))
}
