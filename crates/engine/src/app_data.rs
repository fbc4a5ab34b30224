//! Where the engine keeps its own files (the journal and the settings), and
//! whether it runs against the local practice simulator.

use crate::error::{EngineError, Result};
use crate::files;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// `AWS_SETUP_DATA_DIR` wins; otherwise the OS app-data folder
/// (`$XDG_DATA_HOME/aws-setup-wizard` on Linux).
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("AWS_SETUP_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("io", "awssetupwizard", "aws-setup-wizard")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| EngineError::Internal("no home folder".into()))
}

/// Practice mode is on when the app was started against a local simulator
/// (`scripts/run --practice` sets both variables).
pub(crate) fn practice_endpoint() -> Option<String> {
    let on = std::env::var("AWS_SETUP_PRACTICE").is_ok_and(|v| v == "1" || v == "true");
    if !on {
        return None;
    }
    std::env::var("AWS_ENDPOINT_URL").ok().filter(|url| !url.is_empty())
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub lang: Option<Lang>,
    /// When the app last looked for an update (Unix seconds); see `updates.rs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_check: Option<u64>,
}

impl Settings {
    fn path() -> Result<PathBuf> {
        Ok(data_dir()?.join("settings.json"))
    }

    /// Missing or unreadable settings fall back to defaults: they hold only preferences.
    pub fn load() -> Settings {
        Settings::path()
            .ok()
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn save(&self) -> Result<()> {
        let path = Settings::path()?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| EngineError::Internal(e.to_string()))?;
        files::write_atomic(&path, &json, files::Overwrite::Replace)
    }
}

/// What the window needs to know at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export_to = "ipc.ts")]
pub struct AppInfo {
    pub version: String,
    /// The simulator's address when in practice mode.
    pub practice_endpoint: Option<String>,
    /// The saved choice, else the OS locale's language.
    pub lang: Lang,
    /// `AWS_SETUP_SAVE_DIR`: for unattended runs (kiosks, tests), save dialogs
    /// are skipped and files go to this folder.
    pub save_dir: Option<String>,
    /// Started as the small MFA code window (`--mfa-session-for PROFILE`):
    /// `credential_process` opens it when the AWS CLI has no terminal.
    pub code_window_for: Option<String>,
}

/// The flag `credential_process` starts the app with to ask for an MFA code.
pub const CODE_WINDOW_FLAG: &str = "--mfa-session-for";

/// The profile after [`CODE_WINDOW_FLAG`] in `args`, if it is a profile name.
pub fn code_window_profile(args: impl IntoIterator<Item = String>) -> Option<String> {
    let mut args = args.into_iter();
    args.find(|a| a == CODE_WINDOW_FLAG)?;
    args.next()
        .filter(|profile| crate::aws_cli_config::validate_profile_name(profile).is_ok())
}

impl AppInfo {
    pub fn current() -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            practice_endpoint: practice_endpoint(),
            lang: Settings::load().lang.unwrap_or_else(Lang::from_env),
            save_dir: std::env::var("AWS_SETUP_SAVE_DIR").ok().filter(|d| !d.is_empty()),
            code_window_for: code_window_profile(std::env::args()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_window_is_asked_for_by_flag_and_profile_name() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            code_window_profile(args(&["app", "--mfa-session-for", "aws.user1"])).as_deref(),
            Some("aws.user1")
        );
        assert_eq!(code_window_profile(args(&["app"])), None);
        assert_eq!(code_window_profile(args(&["app", "--mfa-session-for"])), None);
        assert_eq!(code_window_profile(args(&["app", "--mfa-session-for", "bad name;rm"])), None);
    }
}
