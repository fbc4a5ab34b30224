//! Where the `aws-setup` CLI is, for the `credential_process` line the app
//! writes: the rule per OS is `engine::cli_location` (tested there for all
//! three); this only supplies the running app's binary and resource folder.

use engine::cli_location::{self, Os};
use engine::EngineError;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};

pub fn installed_cli<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, EngineError> {
    let exe = std::env::current_exe().map_err(|e| EngineError::Internal(e.to_string()))?;
    let resources = app.path().resource_dir().ok();
    cli_location::find_cli(
        Os::current(),
        &exe,
        resources.as_deref(),
        |p| p.is_file(),
        std::env::var_os("AWS_SETUP_CLI").map(PathBuf::from),
    )
    .ok_or_else(|| EngineError::Internal("the aws-setup CLI was not found where the installer puts it".into()))
}
