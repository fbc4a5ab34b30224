//! One async command per engine call. Errors cross as the engine's `UiError`
//! (stable code + localized message) and nothing else.

use engine::app_data::{AppInfo, Settings};
use engine::connection::{ConnectOptions, CredentialSource};
use engine::steps::identity::{self, IdentityStatus};
use engine::walkthrough::StepView;
use engine::{Lang, UiError};
use std::sync::Mutex;
use tauri::State;

/// The window's language, used to localize engine messages.
#[derive(Default)]
pub struct Session {
    lang: Mutex<Option<Lang>>,
}

impl Session {
    fn lang(&self) -> Lang {
        self.lang
            .lock()
            .map(|l| l.unwrap_or_else(|| AppInfo::current().lang))
            .unwrap_or_default()
    }
}

#[tauri::command]
pub async fn app_info() -> AppInfo {
    AppInfo::current()
}

#[tauri::command]
pub async fn set_language(session: State<'_, Session>, lang: Lang) -> Result<(), UiError> {
    if let Ok(mut current) = session.lang.lock() {
        *current = Some(lang);
    }
    Settings { lang: Some(lang) }
        .save()
        .map_err(|e| e.to_ui(lang))
}

#[tauri::command]
pub async fn identity_status(session: State<'_, Session>) -> Result<IdentityStatus, ()> {
    Ok(identity::status(
        &CredentialSource::DefaultChain,
        &ConnectOptions::default(),
        session.lang(),
    )
    .await)
}

#[tauri::command]
pub async fn walkthrough_steps() -> Vec<StepView> {
    let journal = engine::journal::Journal::open_default().ok();
    engine::walkthrough::views(journal.as_ref())
}

/// The UI calls this once its first screen can be used. With
/// `AWS_SETUP_REPORT_READY=1` the time since launch goes to stdout, for
/// `scripts/run`'s screenshot and `scripts/bench`'s cold-start measurement.
#[tauri::command]
pub fn first_screen_ready(started: State<'_, crate::Started>) {
    if std::env::var_os("AWS_SETUP_REPORT_READY").is_some() {
        println!("first-screen-ready-ms {}", started.0.elapsed().as_millis());
    }
}
