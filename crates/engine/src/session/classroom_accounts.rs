//! Classroom accounts mode: an AWS account per student, from the
//! organization's management account (classroom::accounts).

use super::*;
use crate::classroom::accounts::create::AccountClassReport;
use crate::classroom::accounts::recycle::AccountTeardownReport;
use crate::classroom::accounts::status::AccountClassStatus;
use crate::classroom::accounts::{self, AccountClassSettings, OrgClients};

impl WizardSession {
    /// The settings and the roster's account emails, checked before connecting.
    pub fn check_account_class(settings: &AccountClassSettings, students: &[Student]) -> Result<()> {
        settings.validate()?;
        settings.account_emails(students).map_err(|(_, invalid)| invalid)?;
        Ok(())
    }

    /// The guardrail preset for these settings, in plain words.
    pub fn guardrail_words(settings: &AccountClassSettings) -> Vec<Bilingual> {
        accounts::guardrails::explain(settings)
    }

    async fn org_clients(&self) -> Result<OrgClients> {
        let connection = self.state.lock().await.acting()?;
        OrgClients::from_connection(&connection)
    }

    /// Slow (accounts are created a few at a time): the session is not locked while it runs.
    pub async fn create_account_class(
        &self,
        settings: &AccountClassSettings,
        students: &[Student],
        lang: Lang,
        progress: ProgressFn,
    ) -> Result<AccountClassReport> {
        Self::check_account_class(settings, students)?;
        accounts::create::run(&self.org_clients().await?, settings, students, lang, progress).await
    }

    /// Writes the hand-out CSV and sheets into `dir`; IAM passwords come from the keychain.
    pub fn export_account_class_handout(report: &AccountClassReport, dir: &Path, lang: Lang, replace: bool) -> Result<Vec<PathBuf>> {
        classroom::validate_class_id(&report.class_id)?;
        files::check_export_path(dir)?;
        // Identity Center students have no password from the app: the keychain is not needed.
        let secrets = match report.portal_url {
            Some(_) => classroom::create::ClassSecrets::new(),
            None => classroom::create::load_secrets(&report.class_id, report.accounts.iter().map(|a| a.user_name.as_str()))?,
        };
        let csv = dir.join(format!("{}-accounts-handout.csv", report.class_id));
        let html = dir.join(format!("{}-accounts-sheets.html", report.class_id));
        accounts::handout::write_csv(&csv, report, &secrets, overwrite(replace))?;
        accounts::handout::write_sheets(&html, report, &secrets, lang, overwrite(replace))?;
        Ok(vec![csv, html])
    }

    /// The window's hand-out: the class as the engine recorded it, written into `dir`.
    pub async fn export_account_class_handout_for(&self, class_id: &str, dir: &Path, lang: Lang, replace: bool) -> Result<Vec<PathBuf>> {
        files::check_export_path(dir)?;
        let report = accounts::handout::report_from_journal(&self.org_clients().await?, class_id).await?;
        Self::export_account_class_handout(&report, dir, lang, replace)
    }

    /// A dry run unless `confirmed`; recycles into the ready pool, or closes within the allowance.
    pub async fn teardown_account_class(
        &self,
        class_id: &str,
        concurrency: usize,
        close: bool,
        confirmed: bool,
        lang: Lang,
        progress: ProgressFn,
    ) -> Result<AccountTeardownReport> {
        accounts::recycle::run(&self.org_clients().await?, class_id, concurrency, close, confirmed, lang, progress).await
    }

    pub async fn account_class_status(&self, class_id: &str) -> Result<AccountClassStatus> {
        accounts::status::run(&self.org_clients().await?, class_id).await
    }
}
