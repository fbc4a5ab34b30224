/// The app's own commands. Listing them makes Tauri generate one `allow-<command>`
/// permission each, and deny any command a capability does not grant.
const COMMANDS: &[&str] = &[
    "app_info",
    "set_language",
    "identity_status",
    "walkthrough_steps",
    "first_screen_ready",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
