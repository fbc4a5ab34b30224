//! The TypeScript types of the IPC boundary are generated from these Rust
//! types into `ui/src/lib/bindings/`. This test fails when the committed file
//! is stale; `UPDATE_BINDINGS=1 cargo test -p aws-setup-engine bindings -- --ignored`
//! rewrites it.

use std::path::{Path, PathBuf};
use ts_rs::{Config, TS};

/// Every type the GUI's commands take or return, directly.
fn export_all(cfg: &Config) {
    use crate::*;
    app_data::AppInfo::export_all(cfg).unwrap();
    steps::identity::IdentityStatus::export_all(cfg).unwrap();
    walkthrough::StepView::export_all(cfg).unwrap();
    walkthrough::ConsoleTask::export_all(cfg).unwrap();
    lang::Bilingual::export_all(cfg).unwrap();
    UiError::export_all(cfg).unwrap();
    error::ErrorCode::export_all(cfg).unwrap();
    error::NextAction::export_all(cfg).unwrap();
    session::ConnectResult::export_all(cfg).unwrap();
    session::TotpPreview::export_all(cfg).unwrap();
    session::AdminSignIn::export_all(cfg).unwrap();
    session::AdminUserForm::export_all(cfg).unwrap();
    session::ExportKind::export_all(cfg).unwrap();
    session::CliProfileForm::export_all(cfg).unwrap();
    steps::alias::AliasOutcome::export_all(cfg).unwrap();
    steps::admin_user::AdminUserOutcome::export_all(cfg).unwrap();
    steps::user_mfa::MfaBegin::export_all(cfg).unwrap();
    steps::billing_access::ConsoleGuide::export_all(cfg).unwrap();
    steps::billing_access::BillingCheck::export_all(cfg).unwrap();
    steps::access_key::AccessKeyOutcome::export_all(cfg).unwrap();
    steps::bootstrap_cleanup::CleanupOutcome::export_all(cfg).unwrap();
    steps::teardown::TeardownReport::export_all(cfg).unwrap();
    steps::account_status::AccountStatus::export_all(cfg).unwrap();
    steps::budget::BudgetKind::export_all(cfg).unwrap();
    steps::budget::BudgetOutcome::export_all(cfg).unwrap();
    steps::checkup::Check::export_all(cfg).unwrap();
    steps::contacts::ContactKind::export_all(cfg).unwrap();
    steps::contacts::Contact::export_all(cfg).unwrap();
    steps::partner::PartnerOutcome::export_all(cfg).unwrap();
    steps::identity_center_admin::IdentityCenterAdminForm::export_all(cfg).unwrap();
    steps::identity_center_admin::IdentityCenterAdminOutcome::export_all(cfg).unwrap();
    steps::partner::PartnerPreset::export_all(cfg).unwrap();
    aws_cli_install::AwsCliInstall::export_all(cfg).unwrap();
    classroom::ClassSettings::export_all(cfg).unwrap();
    session::ContactEntry::export_all(cfg).unwrap();
    session::RosterCheck::export_all(cfg).unwrap();
    updates::Moment::export_all(cfg).unwrap();
    updates::UpdateOffer::export_all(cfg).unwrap();
    classroom::roster::Student::export_all(cfg).unwrap();
    classroom::roster::RosterProblem::export_all(cfg).unwrap();
    classroom::create::ClassProgress::export_all(cfg).unwrap();
    classroom::create::ClassReport::export_all(cfg).unwrap();
    classroom::teardown::ClassTeardownReport::export_all(cfg).unwrap();
    // Classroom accounts mode.
    classroom::accounts::AccountClassSettings::export_all(cfg).unwrap();
    classroom::accounts::create::AccountClassReport::export_all(cfg).unwrap();
    classroom::accounts::recycle::AccountTeardownReport::export_all(cfg).unwrap();
    classroom::accounts::status::AccountClassStatus::export_all(cfg).unwrap();
}

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings")
}

fn read_tree(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
#[ignore = "run by the stale-bindings stage of scripts/test"]
fn ipc_bindings_are_current() {
    let fresh = tempfile::tempdir().unwrap();
    export_all(&Config::new().with_large_int("number").with_out_dir(fresh.path()));
    let generated = read_tree(fresh.path());
    assert!(!generated.is_empty());
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let dir = committed_dir();
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &generated {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    assert_eq!(
        read_tree(&committed_dir()),
        generated,
        "ui/src/lib/bindings is stale: run UPDATE_BINDINGS=1 cargo test -p aws-setup-engine bindings -- --ignored"
    );
}
