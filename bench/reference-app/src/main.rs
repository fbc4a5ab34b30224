//! A Tauri app that does nothing: the baseline `scripts/bench` compares the
//! wizard with. It starts the way the wizard does (the same plugins) and signals
//! its first screen from the same point: the page's first script calling a command.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// When the process started, for the first-screen timing.
struct Started(std::time::Instant);

/// The same signal as the wizard's `first_screen_ready`.
#[tauri::command]
fn first_screen_ready(started: tauri::State<'_, Started>) {
    if std::env::var_os("AWS_SETUP_REPORT_READY").is_some() {
        println!("first-screen-ready-ms {}", started.0.elapsed().as_millis());
    }
}

fn main() {
    let started = Started(std::time::Instant::now());
    tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(started)
        .invoke_handler(tauri::generate_handler![first_screen_ready])
        .run(tauri::generate_context!())
        .expect("error while running the reference app");
}
