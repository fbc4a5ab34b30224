//! The GUI shell. Commands translate between IPC and the engine and hold no
//! logic of their own; see `commands.rs`.

mod cli_path;
mod commands;
mod error;
pub mod updates;

/// When the process started, for the first-screen timing.
pub struct Started(std::time::Instant);

pub fn run() {
    let started = Started(std::time::Instant::now());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(engine::logging::filter_directives(
            std::env::var("AWS_SETUP_LOG").ok().as_deref(),
        )))
        .with_writer(std::io::stderr)
        .init();
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(updates::plugin())
        .manage(updates::Pending::default())
        .manage(commands::AppState::new())
        .manage(started)
        .setup(|app| {
            // The MFA code window is small; the wizard keeps its configured size.
            if engine::app_data::code_window_profile(std::env::args()).is_some() {
                use tauri::Manager;
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.set_size(tauri::LogicalSize::new(480.0, 420.0));
                }
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_language,
            commands::identity_status,
            commands::walkthrough_steps,
            commands::connect_with_key,
            commands::connect_with_console,
            commands::cancel_sign_in,
            commands::connect_with_profile,
            commands::list_profiles,
            commands::account_status,
            commands::root_mfa_helper,
            commands::root_mfa_code,
            commands::root_mfa_check_codes,
            commands::root_mfa_backup,
            commands::root_mfa_export_png,
            commands::validate_alias,
            commands::set_alias,
            commands::keep_alias,
            commands::validate_user_name,
            commands::generate_password,
            commands::check_password,
            commands::create_admin_user,
            commands::reveal_admin_password,
            commands::begin_user_mfa,
            commands::finish_user_mfa,
            commands::this_computer_mfa,
            commands::billing_guide,
            commands::billing_probe,
            commands::create_access_key,
            commands::replace_lost_access_key,
            commands::reveal_secret_once,
            commands::configure_cli_profile,
            commands::sign_in_cli_profile,
            commands::start_mfa_session,
            commands::close_code_window,
            commands::write_plaintext_credentials,
            commands::export_csv,
            commands::cleanup_bootstrap,
            commands::admin_sign_in,
            commands::confirm_admin_sign_in,
            commands::open_console_tasks,
            commands::reveal_mfa_setup_key,
            commands::confirm_console_step,
            commands::export_summary,
            commands::teardown_preview,
            commands::teardown_run,
            commands::first_screen_ready,
            commands::budget_explanations,
            commands::create_budget,
            commands::run_checkup,
            commands::export_checkup,
            commands::get_contacts,
            commands::put_contact,
            commands::delete_contact,
            commands::create_partner,
            commands::set_up_identity_center,
            commands::export_partner,
            commands::aws_cli_install,
            commands::check_roster,
            commands::create_class,
            commands::export_class_handout,
            commands::teardown_class,
            commands::create_account_class,
            commands::export_account_class_handout,
            commands::teardown_account_class,
            commands::update_check,
            commands::update_install,
        ])
        .run(tauri::generate_context!())
        .expect("error while running AWS Setup Wizard");
}
