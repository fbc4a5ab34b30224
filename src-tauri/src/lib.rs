//! The GUI shell. Commands translate between IPC and the engine and hold no
//! logic of their own; see `commands.rs`.

mod commands;

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("AWS_SETUP_LOG"))
        .with_writer(std::io::stderr)
        .init();
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .manage(commands::Session::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_language,
            commands::identity_status,
            commands::walkthrough_steps,
        ])
        .run(tauri::generate_context!())
        .expect("error while running AWS Setup Wizard");
}
