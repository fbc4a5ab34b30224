//! The GUI shell. Commands translate between IPC and the engine and hold no
//! logic of their own; see `commands.rs`.

mod commands;

/// When the process started, for the first-screen timing.
pub struct Started(std::time::Instant);

pub fn run() {
    let started = Started(std::time::Instant::now());
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("AWS_SETUP_LOG"))
        .with_writer(std::io::stderr)
        .init();
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .manage(commands::Session::default())
        .manage(started)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_language,
            commands::identity_status,
            commands::walkthrough_steps,
            commands::first_screen_ready,
        ])
        .run(tauri::generate_context!())
        .expect("error while running AWS Setup Wizard");
}
