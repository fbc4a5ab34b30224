/// The app's own commands. Listing them makes Tauri generate one `allow-<command>`
/// permission each, and deny any command a capability does not grant.
const COMMANDS: &[&str] = &[
    "app_info",
    "set_language",
    "identity_status",
    "walkthrough_steps",
    "connect_with_key",
    "connect_with_profile",
    "list_profiles",
    "account_status",
    "root_mfa_helper",
    "root_mfa_code",
    "root_mfa_check_codes",
    "root_mfa_backup",
    "root_mfa_export_png",
    "validate_alias",
    "set_alias",
    "validate_user_name",
    "generate_password",
    "check_password",
    "create_admin_user",
    "reveal_admin_password",
    "begin_user_mfa",
    "finish_user_mfa",
    "this_computer_mfa",
    "billing_guide",
    "billing_probe",
    "create_access_key",
    "replace_lost_access_key",
    "reveal_secret_once",
    "configure_cli_profile",
    "write_plaintext_credentials",
    "export_csv",
    "cleanup_bootstrap",
    "confirm_console_step",
    "export_summary",
    "teardown_preview",
    "teardown_run",
    "first_screen_ready",
    "budget_explanations",
    "create_budget",
    "run_checkup",
    "export_checkup",
    "get_contacts",
    "put_contact",
    "delete_contact",
    "create_partner",
    "export_partner",
    "check_roster",
    "create_class",
    "export_class_handout",
    "teardown_class",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
