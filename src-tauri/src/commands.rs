//! One async command per screen action, each one line that calls the engine's
//! service (`WizardSession`). Errors cross as `CommandError` (`error.rs`): a
//! stable code and a message in the window's language. No logic lives here.

use crate::error::{self, Reply};
use engine::app_data::{AppInfo, Settings};
use engine::aws_cli_install::{self, AwsCliInstall};
use engine::classroom::accounts::create::AccountClassReport;
use engine::classroom::accounts::recycle::AccountTeardownReport;
use engine::classroom::accounts::AccountClassSettings;
use engine::classroom::create::{ClassProgress, ClassReport};
use engine::classroom::teardown::ClassTeardownReport;
use engine::classroom::ClassSettings;
use engine::connection::CredentialSource;
use engine::session::{self, AdminSignIn, AdminUserForm, ConnectResult, ExportKind, ProgressFn, TotpPreview, WizardSession};
use engine::session::{CliProfileForm, ContactEntry, RosterCheck};
use engine::steps::access_key::AccessKeyOutcome;
use engine::steps::account_status::AccountStatus;
use engine::steps::admin_user::AdminUserOutcome;
use engine::steps::alias::AliasOutcome;
use engine::steps::billing_access::{BillingCheck, ConsoleGuide};
use engine::steps::bootstrap_cleanup::CleanupOutcome;
use engine::steps::budget::{BudgetKind, BudgetOutcome};
use engine::steps::checkup::Check;
use engine::steps::contacts::{Contact, ContactKind};
use engine::steps::identity::IdentityStatus;
use engine::steps::identity_center_admin::{IdentityCenterAdminForm, IdentityCenterAdminOutcome};
use engine::steps::partner::{PartnerOutcome, PartnerPreset};
use engine::steps::teardown::TeardownReport;
use engine::steps::user_mfa::MfaBegin;
use engine::updates::{Moment, UpdateOffer};
use engine::validation::Invalid;
use engine::walkthrough::{ConsoleTask, StepId, StepView};
use engine::{aws_cli_config, passwords, Bilingual, EngineError, Lang, UiError};
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;
use std::sync::Arc;
use tauri::State;
use tauri::{AppHandle, Emitter};

/// The window's state: the engine's service. The window's language lives in
/// `error.rs`, where error messages are made.
pub struct AppState {
    session: WizardSession,
}

impl AppState {
    pub fn new() -> AppState {
        error::set_window_lang(AppInfo::current().lang);
        AppState {
            session: WizardSession::default(),
        }
    }
}

fn lang() -> Lang {
    error::window_lang()
}

/// Live validation while typing: `None` when valid. An invalid answer is a
/// result, not a failure.
fn problem(result: Result<(), EngineError>) -> Option<UiError> {
    result.err().map(|e| e.to_ui(lang()))
}

/// A roster the command was sent must parse; the screen checked it first.
fn students(roster: &str) -> Result<Vec<engine::classroom::roster::Student>, EngineError> {
    match session::check_roster(roster, lang()) {
        RosterCheck::Ok { students } => Ok(students),
        RosterCheck::Problems { .. } => Err(EngineError::Invalid(Invalid::RosterEmpty)),
    }
}

fn progress_events(app: AppHandle) -> ProgressFn {
    Arc::new(move |p: ClassProgress| {
        let _ = app.emit("class-progress", p);
    })
}

fn reveal(secret: SecretString) -> String {
    secret.expose_secret().to_string()
}

fn shown(path: PathBuf) -> String {
    path.display().to_string()
}

#[tauri::command]
pub async fn app_info() -> AppInfo {
    AppInfo::current()
}

#[tauri::command]
pub async fn set_language(lang: Lang) -> Reply<()> {
    error::set_window_lang(lang);
    Ok(Settings {
        lang: Some(lang),
        ..Settings::load()
    }
    .save()?)
}

#[tauri::command]
pub async fn identity_status() -> IdentityStatus {
    WizardSession::identity_status(&CredentialSource::DefaultChain, lang()).await
}

#[tauri::command]
pub async fn walkthrough_steps(state: State<'_, AppState>) -> Reply<Vec<StepView>> {
    Ok(state.session.steps().await)
}

#[tauri::command]
pub async fn connect_with_key(
    state: State<'_, AppState>,
    access_key_id: String,
    secret_access_key: String,
    temporary: bool,
) -> Reply<ConnectResult> {
    let source = CredentialSource::pasted(&access_key_id, SecretString::from(secret_access_key))?;
    Ok(state.session.connect(&source, temporary).await?)
}

#[tauri::command]
pub async fn connect_with_console(state: State<'_, AppState>, region: String, again: bool) -> Reply<ConnectResult> {
    Ok(state.session.console_sign_in(&region, again).await?)
}

#[tauri::command]
pub fn cancel_sign_in(state: State<'_, AppState>) {
    state.session.cancel_sign_in()
}

#[tauri::command]
pub async fn connect_with_profile(state: State<'_, AppState>, profile: String) -> Reply<ConnectResult> {
    Ok(state.session.connect(&CredentialSource::Profile(profile), false).await?)
}

#[tauri::command]
pub async fn list_profiles() -> Vec<String> {
    aws_cli_config::list_profiles()
}

#[tauri::command]
pub async fn account_status(state: State<'_, AppState>) -> Reply<AccountStatus> {
    Ok(state.session.account_status().await?)
}

#[tauri::command]
pub async fn root_mfa_helper(state: State<'_, AppState>, secret_key: String) -> Reply<TotpPreview> {
    Ok(state.session.root_mfa_helper(&SecretString::from(secret_key)).await?)
}

#[tauri::command]
pub async fn root_mfa_code(state: State<'_, AppState>) -> Reply<TotpPreview> {
    Ok(state.session.root_mfa_code().await?)
}

#[tauri::command]
pub async fn root_mfa_check_codes(state: State<'_, AppState>, code1: String, code2: String) -> Reply<()> {
    Ok(state.session.root_mfa_check_codes(&code1, &code2).await?)
}

#[tauri::command]
pub async fn root_mfa_backup(state: State<'_, AppState>) -> Reply<String> {
    Ok(state.session.root_mfa_backup().await?)
}

#[tauri::command]
pub async fn root_mfa_export_png(state: State<'_, AppState>, path: PathBuf) -> Reply<()> {
    Ok(state.session.root_mfa_export_png(&path).await?)
}

#[tauri::command]
pub async fn validate_alias(alias: String) -> Option<UiError> {
    problem(session::validate_alias(&alias))
}

#[tauri::command]
pub async fn set_alias(state: State<'_, AppState>, alias: String, replace_existing: bool) -> Reply<AliasOutcome> {
    Ok(state.session.set_alias(&alias, replace_existing).await?)
}

#[tauri::command]
pub async fn keep_alias(state: State<'_, AppState>) -> Reply<AliasOutcome> {
    Ok(state.session.keep_alias().await?)
}

#[tauri::command]
pub async fn validate_user_name(name: String) -> Option<UiError> {
    problem(session::validate_user_name(&name))
}

#[tauri::command]
pub async fn generate_password() -> String {
    reveal(passwords::generate())
}

#[tauri::command]
pub async fn check_password(state: State<'_, AppState>, password: String) -> Reply<Option<UiError>> {
    Ok(problem(state.session.check_password(&SecretString::from(password)).await))
}

#[tauri::command]
pub async fn create_admin_user(state: State<'_, AppState>, form: AdminUserForm) -> Reply<AdminUserOutcome> {
    Ok(state.session.create_admin_user(form).await?)
}

#[tauri::command]
pub async fn reveal_admin_password(state: State<'_, AppState>) -> Reply<String> {
    Ok(reveal(state.session.reveal_admin_password().await?))
}

#[tauri::command]
pub async fn begin_user_mfa(state: State<'_, AppState>, device_name: String) -> Reply<MfaBegin> {
    Ok(state.session.begin_user_mfa(&device_name).await?)
}

#[tauri::command]
pub async fn finish_user_mfa(state: State<'_, AppState>, code1: String, code2: String) -> Reply<bool> {
    Ok(state.session.finish_user_mfa(&code1, &code2).await?)
}

#[tauri::command]
pub async fn reveal_mfa_setup_key(state: State<'_, AppState>) -> Reply<String> {
    Ok(reveal(state.session.reveal_mfa_setup_key().await?))
}

#[tauri::command]
pub async fn this_computer_mfa(state: State<'_, AppState>, device_name: String) -> Reply<bool> {
    Ok(state.session.this_computer_mfa(&device_name).await?)
}

#[tauri::command]
pub async fn billing_guide() -> ConsoleGuide {
    WizardSession::billing_guide()
}

#[tauri::command]
pub async fn billing_probe(state: State<'_, AppState>, again: bool) -> Reply<BillingCheck> {
    Ok(state.session.billing_probe(again).await?)
}

#[tauri::command]
pub async fn create_access_key(state: State<'_, AppState>, description: String, profile: String) -> Reply<AccessKeyOutcome> {
    Ok(state.session.create_access_key(&description, &profile, false).await?)
}

#[tauri::command]
pub async fn replace_lost_access_key(state: State<'_, AppState>, description: String, profile: String) -> Reply<AccessKeyOutcome> {
    Ok(state.session.create_access_key(&description, &profile, true).await?)
}

#[tauri::command]
pub async fn reveal_secret_once(state: State<'_, AppState>) -> Reply<String> {
    Ok(reveal(state.session.reveal_secret_once().await?))
}

#[tauri::command]
pub async fn configure_cli_profile(app: AppHandle, state: State<'_, AppState>, form: CliProfileForm) -> Reply<String> {
    let cli = crate::cli_path::installed_cli(&app)?;
    Ok(shown(state.session.configure_cli_profile(&form, &cli).await?))
}

/// The code window: a new MFA session for `profile`, cached for the AWS CLI.
#[tauri::command]
pub async fn start_mfa_session(profile: String, code: String) -> Reply<String> {
    let until = engine::mfa_session::start_for_profile(&profile, &code).await?;
    Ok(engine::mfa_session::rfc3339(until)?)
}

/// Closes the code window; `credential_process` reads the exit code.
#[tauri::command]
pub fn close_code_window(app: AppHandle, started: bool) {
    app.exit(if started { 0 } else { 1 });
}

#[tauri::command]
pub async fn sign_in_cli_profile(state: State<'_, AppState>, profile: String) -> Reply<()> {
    Ok(state.session.sign_in_cli_profile(&profile).await?)
}

#[tauri::command]
pub async fn write_plaintext_credentials(state: State<'_, AppState>, profile: String, replace_existing: bool) -> Reply<String> {
    Ok(shown(state.session.write_plaintext_credentials(&profile, replace_existing).await?))
}

#[tauri::command]
pub async fn export_csv(state: State<'_, AppState>, kind: ExportKind, path: PathBuf, overwrite: bool) -> Reply<()> {
    Ok(state.session.export_csv(kind, &path, overwrite).await?)
}

#[tauri::command]
pub async fn cleanup_bootstrap(state: State<'_, AppState>) -> Reply<CleanupOutcome> {
    Ok(state.session.cleanup_bootstrap().await?)
}

#[tauri::command]
pub async fn admin_sign_in(state: State<'_, AppState>) -> Reply<AdminSignIn> {
    Ok(state.session.admin_sign_in().await?)
}

#[tauri::command]
pub async fn confirm_admin_sign_in(state: State<'_, AppState>) -> Reply<()> {
    Ok(state.session.confirm_admin_sign_in().await?)
}

#[tauri::command]
pub async fn open_console_tasks(state: State<'_, AppState>) -> Reply<Vec<ConsoleTask>> {
    Ok(state.session.open_console_tasks().await?)
}

#[tauri::command]
pub async fn confirm_console_step(state: State<'_, AppState>, step: StepId) -> Reply<()> {
    Ok(state.session.confirm_console_step(step).await?)
}

#[tauri::command]
pub async fn export_summary(state: State<'_, AppState>, path: PathBuf) -> Reply<()> {
    Ok(state.session.export_summary(&path, lang()).await?)
}

#[tauri::command]
pub async fn teardown_preview(state: State<'_, AppState>) -> Reply<TeardownReport> {
    Ok(state.session.teardown_preview().await?)
}

#[tauri::command]
pub async fn teardown_run(state: State<'_, AppState>) -> Reply<TeardownReport> {
    Ok(state.session.teardown_run(lang()).await?)
}

#[tauri::command]
pub async fn budget_explanations() -> Vec<Bilingual> {
    WizardSession::budget_explanations()
}

#[tauri::command]
pub async fn create_budget(state: State<'_, AppState>, kind: BudgetKind, email: String) -> Reply<BudgetOutcome> {
    Ok(state.session.create_budget(&kind, &email).await?)
}

#[tauri::command]
pub async fn run_checkup(state: State<'_, AppState>) -> Reply<Vec<Check>> {
    Ok(state.session.checkup(lang()).await?)
}

#[tauri::command]
pub async fn export_checkup(state: State<'_, AppState>, path: PathBuf, overwrite: bool) -> Reply<()> {
    Ok(state.session.export_checkup(&path, lang(), overwrite).await?)
}

#[tauri::command]
pub async fn get_contacts(state: State<'_, AppState>) -> Reply<Vec<ContactEntry>> {
    Ok(state.session.get_contacts().await?)
}

#[tauri::command]
pub async fn put_contact(state: State<'_, AppState>, kind: ContactKind, contact: Contact) -> Reply<()> {
    Ok(state.session.put_contact(kind, &contact).await?)
}

#[tauri::command]
pub async fn delete_contact(state: State<'_, AppState>, kind: ContactKind) -> Reply<()> {
    Ok(state.session.delete_contact(kind).await?)
}

#[tauri::command]
pub async fn set_up_identity_center(state: State<'_, AppState>, form: IdentityCenterAdminForm) -> Reply<IdentityCenterAdminOutcome> {
    Ok(state.session.identity_center_admin(&form).await?)
}

#[tauri::command]
pub async fn create_partner(state: State<'_, AppState>, user_name: String, preset: PartnerPreset) -> Reply<PartnerOutcome> {
    Ok(state.session.create_partner(&user_name, preset).await?)
}

/// Returns the locked ZIP's password, to show once.
#[tauri::command]
pub async fn export_partner(state: State<'_, AppState>, user_name: String, sheet_path: PathBuf, zip_path: PathBuf) -> Reply<String> {
    Ok(reveal(
        state
            .session
            .export_partner(&user_name, &sheet_path, &zip_path, lang(), false)
            .await?,
    ))
}

/// Whether `aws` is on the PATH, and its version (the access-key screen).
#[tauri::command]
pub async fn aws_cli_install() -> AwsCliInstall {
    aws_cli_install::detect().await
}

#[tauri::command]
pub async fn check_roster(text: String) -> RosterCheck {
    session::check_roster(&text, lang())
}

/// Emits `class-progress` events while it runs.
#[tauri::command]
pub async fn create_class(app: AppHandle, state: State<'_, AppState>, settings: ClassSettings, roster: String) -> Reply<ClassReport> {
    Ok(state
        .session
        .create_class(&settings, &students(&roster)?, lang(), progress_events(app))
        .await?)
}

#[tauri::command]
pub async fn export_class_handout(
    state: State<'_, AppState>,
    class_id: String,
    roster: String,
    dir: PathBuf,
    with_keys: bool,
) -> Reply<Vec<String>> {
    let paths = state
        .session
        .export_class_handout(&class_id, &students(&roster)?, &dir, with_keys, lang(), false)
        .await?;
    Ok(paths.into_iter().map(shown).collect())
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
    Ok(state
        .session
        .teardown_class(&class_id, concurrency as usize, confirmed, lang(), progress_events(app))
        .await?)
}

/// Classroom accounts mode; emits `class-progress` events.
#[tauri::command]
pub async fn create_account_class(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: AccountClassSettings,
    roster: String,
) -> Reply<AccountClassReport> {
    Ok(state
        .session
        .create_account_class(&settings, &students(&roster)?, lang(), progress_events(app))
        .await?)
}

#[tauri::command]
pub async fn export_account_class_handout(state: State<'_, AppState>, class_id: String, dir: PathBuf) -> Reply<Vec<String>> {
    let paths = state
        .session
        .export_account_class_handout_for(&class_id, &dir, lang(), false)
        .await?;
    Ok(paths.into_iter().map(shown).collect())
}

/// A dry run unless `confirmed`: accounts go to the ready pool; emits `class-progress` events.
#[tauri::command]
pub async fn teardown_account_class(
    app: AppHandle,
    state: State<'_, AppState>,
    class_id: String,
    concurrency: u32,
    confirmed: bool,
) -> Reply<AccountTeardownReport> {
    Ok(state
        .session
        .teardown_account_class(&class_id, concurrency as usize, false, confirmed, lang(), progress_events(app))
        .await?)
}

/// The UI calls this once its first screen can be used. With
/// `AWS_SETUP_REPORT_READY=1` the time since launch goes to stdout, for
/// `scripts/run`'s screenshot and `scripts/bench`'s cold-start measurement.
#[tauri::command]
pub async fn update_check(app: AppHandle, pending: State<'_, crate::updates::Pending>, moment: Moment) -> Reply<UpdateOffer> {
    Ok(crate::updates::check(&app, &pending, moment).await)
}

#[tauri::command]
pub async fn update_install(app: AppHandle, pending: State<'_, crate::updates::Pending>, moment: Moment) -> Reply<bool> {
    Ok(crate::updates::install(&app, &pending, moment).await?)
}

#[tauri::command]
pub fn first_screen_ready(started: State<'_, crate::Started>) {
    if std::env::var_os("AWS_SETUP_REPORT_READY").is_some() {
        println!("first-screen-ready-ms {}", started.0.elapsed().as_millis());
    }
}
