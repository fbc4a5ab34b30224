//! Updates through tauri-plugin-updater, with its own minisign key: the
//! public key and the one endpoint are in `tauri.conf.json`
//! (`plugins.updater`), the private key is a CI secret, and the plugin checks
//! the signature of every download against that key before installing.
//!
//! The webview never talks to the endpoint: these functions run in Rust, the
//! plugin's own JavaScript commands are granted to no window, and the CSP
//! allows no network origin. When to look and when to install is
//! `engine::updates` (once a day, never in a step, only after a yes).

use engine::updates::{self, CheckDecision, Moment, UpdateOffer};
use engine::EngineError;
use std::sync::Mutex;
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

pub fn plugin<R: Runtime>() -> TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// The update found by the last check, waiting for the person's yes.
#[derive(Default)]
pub struct Pending(Mutex<Option<Update>>);

impl Pending {
    fn put(&self, update: Option<Update>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = update;
    }

    fn take(&self) -> Option<Update> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

fn failed(err: tauri_plugin_updater::Error) -> EngineError {
    EngineError::Internal(format!("update: {err}"))
}

/// Asks the endpoint for a newer version. Errors are the caller's to keep
/// quiet: an offline computer is not a problem to show a beginner.
pub async fn find<R: Runtime>(app: &AppHandle<R>) -> Result<Option<Update>, EngineError> {
    let updater = app.updater_builder().timeout(TIMEOUT).build().map_err(failed)?;
    updater.check().await.map_err(failed)
}

/// For the manifest and for the download, so a stalled network never leaves
/// an install waiting forever.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// Downloads the update and verifies its signature with the configured
/// public key (the plugin's `download` refuses a package signed by any
/// other key). Nothing is installed.
pub async fn download_verified(update: &Update) -> Result<Vec<u8>, EngineError> {
    update.download(|_, _| {}, || {}).await.map_err(failed)
}

/// The window's check: at most once a day, never in a step. An offer is
/// kept until the person answers it.
pub async fn check<R: Runtime>(app: &AppHandle<R>, pending: &Pending, moment: Moment) -> UpdateOffer {
    if updates::begin_check(moment, updates::unix_now()) != CheckDecision::Check {
        return UpdateOffer::None;
    }
    match find(app).await {
        Ok(Some(update)) => {
            let offer = UpdateOffer::Available {
                version: update.version.clone(),
                notes: update.body.clone(),
            };
            pending.put(Some(update));
            offer
        }
        Ok(None) => UpdateOffer::None,
        Err(err) => {
            tracing::warn!("{err}");
            UpdateOffer::None
        }
    }
}

/// The person said yes: download, verify, install, restart. Refused (false)
/// in a step or with no offer pending.
pub async fn install<R: Runtime>(app: &AppHandle<R>, pending: &Pending, moment: Moment) -> Result<bool, EngineError> {
    if !updates::may_install(true, moment) {
        return Ok(false);
    }
    let Some(update) = pending.take() else {
        return Ok(false);
    };
    let bytes = download_verified(&update).await?;
    update.install(bytes).map_err(failed)?;
    app.restart()
}
