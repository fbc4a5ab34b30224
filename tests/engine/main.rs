//! Engine steps against a real moto server with IAM auth switched on.

mod access_key;
mod admin_user;
mod alias;
mod identity;
mod keychain;
mod sign_in_cancel;
mod user_mfa;

use engine::journal::Journal;

/// A journal in its own temporary folder, kept alive with it.
pub fn temp_journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("journal.json")).unwrap();
    journal.bind_account(wizard_tests::MOTO_ACCOUNT_ID).unwrap();
    (dir, journal)
}
