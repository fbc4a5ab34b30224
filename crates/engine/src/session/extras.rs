//! The extras beyond the walkthrough: budget, checkup, contacts, partner, classroom.

use super::*;

/// The extras beyond the walkthrough.
impl WizardSession {
    /// The budget's inputs, checked before connecting: bad input never reaches AWS.
    pub fn check_budget(kind: &BudgetKind, email: &str) -> Result<()> {
        validation::email(email.trim())?;
        if let BudgetKind::Monthly { limit_usd } = kind {
            budget::validate_amount(limit_usd)?;
        }
        Ok(())
    }

    pub fn budget_explanations() -> Vec<Bilingual> {
        budget::explanations()
    }

    pub async fn create_budget(&self, kind: &BudgetKind, email: &str) -> Result<BudgetOutcome> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
        budget::create(&connection, state.journal()?, &account_id, kind, email).await
    }

    /// Identity Center for this one account (the path seed 002 recommends),
    /// after the walkthrough. Resumable: run it again after enabling
    /// Identity Center in the console, or to finish what stopped.
    pub async fn identity_center_admin(&self, form: &IdentityCenterAdminForm) -> Result<IdentityCenterAdminOutcome> {
        form.validate()?;
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
        identity_center_admin::set_up(&connection, state.journal()?, &account_id, form).await
    }

    /// The security report card. Slow (a credential report): the session
    /// is not locked while it runs.
    pub async fn checkup(&self, lang: Lang) -> Result<Vec<Check>> {
        let (connection, account_id) = {
            let state = self.state.lock().await;
            (state.acting()?, state.account_id()?)
        };
        let checks = checkup::run(&connection, &account_id, lang).await;
        self.state
            .lock()
            .await
            .set_state(StepId::Checkup, StepState::Done { verified: true })?;
        Ok(checks)
    }

    pub async fn export_checkup(&self, path: &Path, lang: Lang, replace: bool) -> Result<()> {
        let checks = self.checkup(lang).await?;
        Self::write_checkup(path, &checks, lang, replace)
    }

    /// Writes a report as Markdown or HTML, by the file's extension.
    pub fn write_checkup(path: &Path, checks: &[Check], lang: Lang, replace: bool) -> Result<()> {
        files::check_export_path(path)?;
        checkup::export(path, checks, lang, replace)
    }

    pub fn checkup_markdown(checks: &[Check], lang: Lang) -> String {
        checkup::to_markdown(checks, lang)
    }

    pub async fn get_contacts(&self) -> Result<Vec<ContactEntry>> {
        let connection = self.state.lock().await.acting()?;
        let mut all = Vec::new();
        for kind in ContactKind::ALL {
            all.push(ContactEntry {
                kind,
                contact: contacts::get(&connection, kind).await?,
                explanation: kind.explanation(),
            });
        }
        Ok(all)
    }

    pub async fn put_contact(&self, kind: ContactKind, contact: &Contact) -> Result<()> {
        contact.validate()?;
        let connection = self.state.lock().await.acting()?;
        contacts::put(&connection, kind, contact).await
    }

    pub async fn delete_contact(&self, kind: ContactKind) -> Result<()> {
        let connection = self.state.lock().await.acting()?;
        contacts::delete(&connection, kind).await
    }

    pub async fn create_partner(&self, user_name: &str, preset: PartnerPreset) -> Result<PartnerOutcome> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
        let sign_in = live_sign_in_url(&connection, &account_id).await?;
        partner::create_with_preset(&connection, state.journal()?, &account_id, user_name, &sign_in, preset).await
    }

    /// Writes the sheet (no secrets) beside the locked ZIP; returns the ZIP's
    /// password. The hand-off is rebuilt here from what the engine holds (the
    /// journal, the keychain, AWS), never taken from the caller.
    pub async fn export_partner(
        &self,
        user_name: &str,
        sheet: &Path,
        locked_zip: &Path,
        lang: Lang,
        replace: bool,
    ) -> Result<SecretString> {
        validation::user_name(user_name)?;
        files::check_export_path(sheet)?;
        files::check_export_path(locked_zip)?;
        let (account_id, connection) = {
            let mut state = self.state.lock().await;
            let ours = state.journal()?.created(&Resource::User {
                user_name: user_name.to_string(),
            });
            if !ours {
                return Err(EngineError::NameTakenByOther(user_name.to_string()));
            }
            (state.account_id()?, state.acting()?)
        };
        let secrets =
            partner::load_secrets(&account_id, user_name)?.ok_or_else(|| EngineError::PartnerSecretsMissing(user_name.to_string()))?;
        let handoff = PartnerHandoff {
            user_name: user_name.to_string(),
            sign_in_url: live_sign_in_url(&connection, &account_id).await?,
            access_key_id: secrets.access_key_id.clone(),
        };
        partner::write_sheet(sheet, &handoff, lang, overwrite(replace))?;
        partner::write_locked_zip(locked_zip, &handoff, &secrets, overwrite(replace))
    }

    /// Slow (one student after another, a few at a time): the session is
    /// not locked while it runs.
    pub async fn create_class(
        &self,
        settings: &ClassSettings,
        students: &[Student],
        lang: Lang,
        progress: ProgressFn,
    ) -> Result<ClassReport> {
        let connection = self.state.lock().await.acting()?;
        classroom::create::run(&connection, settings, students, lang, progress).await
    }

    /// Writes the class's hand-out CSV and sheets into `dir`.
    pub async fn export_class_handout(
        &self,
        class_id: &str,
        students: &[Student],
        dir: &Path,
        with_keys: bool,
        lang: Lang,
        replace: bool,
    ) -> Result<Vec<PathBuf>> {
        classroom::validate_class_id(class_id)?;
        files::check_export_path(dir)?;
        let (connection, account_id) = {
            let state = self.state.lock().await;
            (state.acting()?, state.account_id()?)
        };
        let url = live_sign_in_url(&connection, &account_id).await?;
        let secrets = classroom::create::load_secrets(class_id, students.iter().map(|s| s.user_name.as_str()))?;
        let csv = dir.join(format!("{class_id}-handout.csv"));
        let html = dir.join(format!("{class_id}-sheets.html"));
        classroom::handout::write_csv(&csv, students, &secrets, &url, with_keys, overwrite(replace))?;
        classroom::handout::write_sheets(&html, students, &secrets, &url, lang, overwrite(replace))?;
        Ok(vec![csv, html])
    }

    /// A preview with counts unless `confirmed`. Slow: the session is not locked while it runs.
    pub async fn teardown_class(
        &self,
        class_id: &str,
        concurrency: usize,
        confirmed: bool,
        lang: Lang,
        progress: ProgressFn,
    ) -> Result<ClassTeardownReport> {
        let connection = self.state.lock().await.acting()?;
        classroom::teardown::run(&connection, class_id, concurrency, confirmed, lang, progress).await
    }
}

/// The sign-in URL as AWS has it now: with the account's alias, else its id.
async fn live_sign_in_url(connection: &Connection, account_id: &str) -> Result<String> {
    let alias = alias::current(connection).await?;
    Ok(alias::sign_in_url(alias.as_deref().unwrap_or(account_id)))
}
