//! One async command per screen action. Each locks the wizard session, calls
//! the engine, and turns an error into the engine's `UiError` (a stable code
//! and a message in the window's language). No logic lives here.

use engine::app_data::{AppInfo, Settings};
use engine::classroom::create::{ClassProgress, ClassReport};
use engine::classroom::teardown::ClassTeardownReport;
use engine::classroom::ClassSettings;
use engine::connection::{ConnectOptions, CredentialSource};
use engine::session::{self, AdminUserForm, ConnectResult, ExportKind, TotpPreview, WizardSession};
use engine::session::{ContactEntry, RosterCheck};
use engine::steps::access_key::AccessKeyOutcome;
use engine::steps::account_status::AccountStatus;
use engine::steps::admin_user::AdminUserOutcome;
use engine::steps::alias::AliasOutcome;
use engine::steps::billing_access::{self, BillingCheck, ConsoleGuide};
use engine::steps::bootstrap_cleanup::CleanupOutcome;
use engine::steps::budget::{self, BudgetKind, BudgetOutcome};
use engine::steps::checkup::Check;
use engine::steps::contacts::{Contact, ContactKind};
use engine::steps::identity::{self, IdentityStatus};
use engine::steps::partner::{PartnerHandoff, PartnerOutcome};
use engine::steps::teardown::TeardownReport;
use engine::steps::user_mfa::MfaBegin;
use engine::validation::Invalid;
use engine::walkthrough::{StepId, StepView};
use engine::{aws_cli_config, passwords, Bilingual, EngineError, Lang, UiError};
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use tauri::State;
use tauri::{AppHandle, Emitter};

/// The window's state: its language and the engine session.
pub struct AppState {
    lang: Mutex<Lang>,
    session: tokio::sync::Mutex<WizardSession>,
}

impl AppState {
    pub fn new() -> AppState {
        AppState {
            lang: Mutex::new(AppInfo::current().lang),
            session: tokio::sync::Mutex::new(WizardSession::new(ConnectOptions::default())),
        }
    }

    fn lang(&self) -> Lang {
        self.lang.lock().map(|l| *l).unwrap_or_default()
    }

    fn fail(&self, err: EngineError) -> UiError {
        err.to_ui(self.lang())
    }
}

type Reply<T> = Result<T, UiError>;

#[tauri::command]
pub async fn app_info() -> AppInfo {
    AppInfo::current()
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> Reply<()> {
    if let Ok(mut current) = state.lang.lock() {
        *current = lang;
    }
    Settings { lang: Some(lang) }.save().map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn identity_status(state: State<'_, AppState>) -> Reply<IdentityStatus> {
    Ok(identity::status(&CredentialSource::DefaultChain, &ConnectOptions::default(), state.lang()).await)
}

#[tauri::command]
pub async fn walkthrough_steps(state: State<'_, AppState>) -> Reply<Vec<StepView>> {
    Ok(state.session.lock().await.steps())
}

#[tauri::command]
pub async fn summary(state: State<'_, AppState>) -> Reply<Vec<StepView>> {
    Ok(state.session.lock().await.steps())
}

#[tauri::command]
pub async fn connect_with_key(
    state: State<'_, AppState>,
    access_key_id: String,
    secret_access_key: String,
    temporary: bool,
) -> Reply<ConnectResult> {
    let source = CredentialSource::pasted(&access_key_id, SecretString::from(secret_access_key)).map_err(|e| state.fail(e))?;
    state
        .session
        .lock()
        .await
        .connect(source, temporary)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn connect_with_profile(state: State<'_, AppState>, profile: String) -> Reply<ConnectResult> {
    state
        .session
        .lock()
        .await
        .connect(CredentialSource::Profile(profile), false)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn list_profiles() -> Vec<String> {
    aws_cli_config::list_profiles()
}

#[tauri::command]
pub async fn account_status(state: State<'_, AppState>) -> Reply<AccountStatus> {
    state.session.lock().await.account_status().await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn root_mfa_helper(state: State<'_, AppState>, secret_key: String) -> Reply<TotpPreview> {
    let secret = SecretString::from(secret_key);
    state.session.lock().await.root_mfa_helper(&secret).map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn root_mfa_code(state: State<'_, AppState>) -> Reply<TotpPreview> {
    state.session.lock().await.root_mfa_code().map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn root_mfa_check_codes(state: State<'_, AppState>, code1: String, code2: String) -> Reply<()> {
    state
        .session
        .lock()
        .await
        .root_mfa_check_codes(&code1, &code2)
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn root_mfa_backup(state: State<'_, AppState>) -> Reply<String> {
    state.session.lock().await.root_mfa_backup().map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn root_mfa_export_png(state: State<'_, AppState>, path: PathBuf) -> Reply<()> {
    state.session.lock().await.root_mfa_export_png(&path).map_err(|e| state.fail(e))
}

/// `None` when valid: live validation while typing is an answer, not a failure.
#[tauri::command]
pub async fn validate_alias(state: State<'_, AppState>, alias: String) -> Reply<Option<UiError>> {
    Ok(session::validate_alias(&alias).err().map(|e| state.fail(e)))
}

#[tauri::command]
pub async fn set_alias(state: State<'_, AppState>, alias: String, replace_existing: bool) -> Reply<AliasOutcome> {
    state
        .session
        .lock()
        .await
        .set_alias(&alias, replace_existing)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn validate_user_name(state: State<'_, AppState>, name: String) -> Reply<Option<UiError>> {
    Ok(session::validate_user_name(&name).err().map(|e| state.fail(e)))
}

#[tauri::command]
pub async fn generate_password() -> String {
    passwords::generate().expose_secret().to_string()
}

#[tauri::command]
pub async fn check_password(state: State<'_, AppState>, password: String) -> Reply<Option<UiError>> {
    let password = SecretString::from(password);
    Ok(state
        .session
        .lock()
        .await
        .check_password(&password)
        .await
        .err()
        .map(|e| state.fail(e)))
}

#[tauri::command]
pub async fn create_admin_user(state: State<'_, AppState>, form: AdminUserForm) -> Reply<AdminUserOutcome> {
    state.session.lock().await.create_admin_user(form).await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn reveal_admin_password(state: State<'_, AppState>) -> Reply<String> {
    let password = state.session.lock().await.reveal_admin_password().map_err(|e| state.fail(e))?;
    Ok(password.expose_secret().to_string())
}

#[tauri::command]
pub async fn begin_user_mfa(state: State<'_, AppState>, device_name: String) -> Reply<MfaBegin> {
    state
        .session
        .lock()
        .await
        .begin_user_mfa(&device_name)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn finish_user_mfa(state: State<'_, AppState>, code1: String, code2: String) -> Reply<bool> {
    state
        .session
        .lock()
        .await
        .finish_user_mfa(&code1, &code2)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn this_computer_mfa(state: State<'_, AppState>) -> Reply<bool> {
    state.session.lock().await.this_computer_mfa().await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn billing_guide() -> ConsoleGuide {
    billing_access::guide()
}

#[tauri::command]
pub async fn billing_probe(state: State<'_, AppState>) -> Reply<BillingCheck> {
    state.session.lock().await.billing_probe().await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn create_access_key(state: State<'_, AppState>, description: String, profile: String) -> Reply<AccessKeyOutcome> {
    let mut session = state.session.lock().await;
    session
        .create_access_key(&description, &profile, false)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn replace_lost_access_key(state: State<'_, AppState>, description: String, profile: String) -> Reply<AccessKeyOutcome> {
    let mut session = state.session.lock().await;
    session
        .create_access_key(&description, &profile, true)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn reveal_secret_once(state: State<'_, AppState>) -> Reply<String> {
    let secret = state.session.lock().await.reveal_secret_once().map_err(|e| state.fail(e))?;
    Ok(secret.expose_secret().to_string())
}

#[tauri::command]
pub async fn configure_cli_profile(state: State<'_, AppState>, profile: String, region: String) -> Reply<String> {
    let cli = crate::cli_path::installed_cli().map_err(|e| state.fail(e))?;
    let path = state
        .session
        .lock()
        .await
        .configure_cli_profile(&profile, &region, &cli)
        .map_err(|e| state.fail(e))?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn write_plaintext_credentials(state: State<'_, AppState>, profile: String) -> Reply<String> {
    let path = state
        .session
        .lock()
        .await
        .write_plaintext_credentials(&profile)
        .map_err(|e| state.fail(e))?;
    Ok(path.display().to_string())
}

#[tauri::command]
pub async fn export_csv(state: State<'_, AppState>, kind: ExportKind, path: PathBuf, overwrite: bool) -> Reply<()> {
    state
        .session
        .lock()
        .await
        .export_csv(kind, &path, overwrite)
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn cleanup_bootstrap(state: State<'_, AppState>) -> Reply<CleanupOutcome> {
    state.session.lock().await.cleanup_bootstrap().await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn confirm_console_step(state: State<'_, AppState>, step: StepId) -> Reply<()> {
    state.session.lock().await.confirm_console_step(step).map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn export_summary(state: State<'_, AppState>, path: PathBuf) -> Reply<()> {
    let lang = state.lang();
    state.session.lock().await.export_summary(&path, lang).map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn teardown_preview(state: State<'_, AppState>) -> Reply<TeardownReport> {
    state.session.lock().await.teardown_preview().map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn teardown_run(state: State<'_, AppState>) -> Reply<TeardownReport> {
    let lang = state.lang();
    state.session.lock().await.teardown_run(lang).await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn budget_explanations() -> Vec<Bilingual> {
    budget::explanations()
}

#[tauri::command]
pub async fn create_budget(state: State<'_, AppState>, kind: BudgetKind, email: String) -> Reply<BudgetOutcome> {
    state
        .session
        .lock()
        .await
        .create_budget(&kind, &email)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn run_checkup(state: State<'_, AppState>) -> Reply<Vec<Check>> {
    let lang = state.lang();
    state.session.lock().await.checkup(lang).await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn export_checkup(state: State<'_, AppState>, path: PathBuf, overwrite: bool) -> Reply<()> {
    let lang = state.lang();
    state
        .session
        .lock()
        .await
        .export_checkup(&path, lang, overwrite)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn get_contacts(state: State<'_, AppState>) -> Reply<Vec<ContactEntry>> {
    state.session.lock().await.get_contacts().await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn put_contact(state: State<'_, AppState>, kind: ContactKind, contact: Contact) -> Reply<()> {
    state
        .session
        .lock()
        .await
        .put_contact(kind, &contact)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn delete_contact(state: State<'_, AppState>, kind: ContactKind) -> Reply<()> {
    state.session.lock().await.delete_contact(kind).await.map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn create_partner(state: State<'_, AppState>, user_name: String) -> Reply<PartnerOutcome> {
    state
        .session
        .lock()
        .await
        .create_partner(&user_name)
        .await
        .map_err(|e| state.fail(e))
}

/// Returns the locked ZIP's password, to show once.
#[tauri::command]
pub async fn export_partner(state: State<'_, AppState>, handoff: PartnerHandoff, sheet_path: PathBuf, zip_path: PathBuf) -> Reply<String> {
    let lang = state.lang();
    let password = state
        .session
        .lock()
        .await
        .export_partner(&handoff, &sheet_path, &zip_path, lang)
        .map_err(|e| state.fail(e))?;
    Ok(password.expose_secret().to_string())
}

#[tauri::command]
pub async fn check_roster(state: State<'_, AppState>, text: String) -> Reply<RosterCheck> {
    Ok(session::check_roster(&text, state.lang()))
}

/// Emits `class-progress` events while it runs.
#[tauri::command]
pub async fn create_class(app: AppHandle, state: State<'_, AppState>, settings: ClassSettings, roster: String) -> Reply<ClassReport> {
    let lang = state.lang();
    let students = match session::check_roster(&roster, lang) {
        RosterCheck::Ok { students } => students,
        RosterCheck::Problems { .. } => return Err(state.fail(EngineError::Invalid(Invalid::RosterEmpty))),
    };
    let progress = progress_events(app);
    state
        .session
        .lock()
        .await
        .create_class(&settings, &students, lang, progress)
        .await
        .map_err(|e| state.fail(e))
}

#[tauri::command]
pub async fn export_class_handout(
    state: State<'_, AppState>,
    class_id: String,
    roster: String,
    dir: PathBuf,
    with_keys: bool,
) -> Reply<Vec<String>> {
    let lang = state.lang();
    let RosterCheck::Ok { students } = session::check_roster(&roster, lang) else {
        return Err(state.fail(EngineError::Invalid(Invalid::RosterEmpty)));
    };
    let paths = state
        .session
        .lock()
        .await
        .export_class_handout(&class_id, &students, &dir, with_keys, lang)
        .await
        .map_err(|e| state.fail(e))?;
    Ok(paths.iter().map(|p| p.display().to_string()).collect())
}

/// A preview with counts unless `confirmed`; emits `class-progress` events.
#[tauri::command]
pub async fn teardown_class(
    app: AppHandle,
    state: State<'_, AppState>,
    class_id: String,
    concurrency: u32,
    confirmed: bool,
) -> Reply<ClassTeardownReport> {
    let lang = state.lang();
    let progress = progress_events(app);
    state
        .session
        .lock()
        .await
        .teardown_class(&class_id, concurrency as usize, confirmed, lang, progress)
        .await
        .map_err(|e| state.fail(e))
}

fn progress_events(app: AppHandle) -> Arc<dyn Fn(ClassProgress) + Send + Sync> {
    Arc::new(move |p| {
        let _ = app.emit("class-progress", p);
    })
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
