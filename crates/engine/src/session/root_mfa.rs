//! Root MFA: a console-only step the app helps with (QR, codes, backup).

use super::*;

/// Root MFA: a console-only step the app helps with.
impl WizardSession {
    fn preview(helper: &RootMfaHelper) -> TotpPreview {
        let (code, seconds_left) = user_mfa::current_code(&helper.seed);
        TotpPreview {
            qr_svg: user_mfa::qr_svg(&helper.uri),
            code,
            seconds_left,
        }
    }

    pub async fn root_mfa_helper(&self, secret_key: &SecretString) -> Result<TotpPreview> {
        let mut state = self.state.lock().await;
        let label = state
            .identity
            .as_ref()
            .map(|i| i.account_id.clone())
            .unwrap_or_else(|| "aws".into());
        let helper = RootMfaHelper::from_console_secret(secret_key.expose_secret(), &label)?;
        let preview = Self::preview(&helper);
        state.root_helper = Some(helper);
        Ok(preview)
    }

    async fn with_root_helper<T>(&self, f: impl FnOnce(&RootMfaHelper) -> Result<T>) -> Result<T> {
        let state = self.state.lock().await;
        f(state.root_helper.as_ref().ok_or(EngineError::NeedsEarlierStep(StepId::RootMfa))?)
    }

    pub async fn root_mfa_code(&self) -> Result<TotpPreview> {
        self.with_root_helper(|helper| Ok(Self::preview(helper))).await
    }

    pub async fn root_mfa_check_codes(&self, code1: &str, code2: &str) -> Result<()> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        self.with_root_helper(|helper| Ok(user_mfa::check_codes(&helper.seed, code1, code2, now).map(|_| ())?))
            .await
    }

    pub async fn root_mfa_backup(&self) -> Result<String> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id().unwrap_or_else(|_| "unknown-account".into());
        let helper = state.root_helper.as_ref().ok_or(EngineError::NeedsEarlierStep(StepId::RootMfa))?;
        let account = helper.back_up_to_keychain(&account_id)?;
        state.journal()?.record(Resource::KeychainEntry { account: account.clone() })?;
        Ok(account)
    }

    pub async fn root_mfa_export_png(&self, path: &Path) -> Result<()> {
        files::check_export_path(path)?;
        self.with_root_helper(|helper| helper.export_qr_png(path)).await
    }
}
