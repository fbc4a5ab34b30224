//! The walkthrough's API steps, each a method that calls its step module
//! and sets the step's state from the outcome.

use super::*;

fn cleanup_state(outcome: &CleanupOutcome) -> StepState {
    match outcome {
        CleanupOutcome::Deleted { verified: true, .. } => StepState::Done { verified: true },
        // Asked to delete, not yet confirmed gone: the step stays open until it is.
        CleanupOutcome::Deleted { verified: false, .. } => StepState::NeedsYou,
        CleanupOutcome::AlreadyDeleted { .. } => StepState::Done { verified: false },
        CleanupOutcome::LeftAlone { .. } | CleanupOutcome::NothingToDo => StepState::Skipped,
        CleanupOutcome::NeedsConsole { .. } => StepState::NeedsYou,
        CleanupOutcome::NoKeyMade { .. } => StepState::Done { verified: true },
    }
}

/// The walkthrough's API steps.
impl WizardSession {
    pub async fn set_alias(&self, name: &str, replace_existing: bool) -> Result<AliasOutcome> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
        let (outcome, verified) = alias::set_verified(&connection, state.journal()?, name, &account_id, replace_existing).await?;
        if let AliasOutcome::Created { alias, .. } | AliasOutcome::AlreadySetToThis { alias, .. } = &outcome {
            state.alias = Some(alias.clone());
            state.set_state(StepId::Alias, StepState::Done { verified })?;
        }
        Ok(outcome)
    }

    /// Keeps the alias the account has (set by hand, as the handout does it):
    /// adopted, so teardown leaves it.
    pub async fn keep_alias(&self) -> Result<AliasOutcome> {
        let mut state = self.state.lock().await;
        let connection = state.acting()?;
        let current = alias::current(&connection)
            .await?
            .ok_or(EngineError::NeedsEarlierStep(StepId::Alias))?;
        let resource = Resource::Alias { alias: current.clone() };
        if !state.journal()?.created(&resource) {
            state.journal()?.adopt(resource)?;
        }
        state.alias = Some(current.clone());
        state.set_state(StepId::Alias, StepState::Done { verified: true })?;
        Ok(AliasOutcome::AlreadySetToThis {
            sign_in_url: alias::sign_in_url(&current),
            alias: current,
        })
    }

    pub async fn check_password(&self, password: &SecretString) -> Result<()> {
        let connection = self.state.lock().await.acting()?;
        let policy = admin_user::account_password_policy(&connection).await?;
        passwords::check(password.expose_secret(), policy.as_ref())?;
        Ok(())
    }

    pub async fn create_admin_user(&self, form: AdminUserForm) -> Result<AdminUserOutcome> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        let connection = state.acting()?;
        let request = AdminUserRequest {
            user_name: form.user_name,
            password: match form.password {
                Some(password) => PasswordChoice::Custom(SecretString::from(password)),
                None => PasswordChoice::Generate,
            },
            reset_required: form.reset_required,
            rights: form.rights,
            set_password_policy: form.set_password_policy,
            adopt: form.adopt,
        };
        let outcome = admin_user::run(&connection, state.journal()?, &account_id, &request).await?;
        if let AdminUserOutcome::Ready { verified, .. } = &outcome {
            state.set_state(StepId::AdminUser, StepState::Done { verified: *verified })?;
        }
        Ok(outcome)
    }

    pub async fn reveal_admin_password(&self) -> Result<SecretString> {
        let mut state = self.state.lock().await;
        let account = admin_user::password_account(&state.account_id()?, &state.admin_user_name()?);
        keychain::get(&account)?.ok_or(EngineError::NeedsEarlierStep(StepId::AdminUser))
    }

    pub async fn begin_user_mfa(&self, device_name: &str) -> Result<MfaBegin> {
        Self::begin_enrollment(&mut *self.state.lock().await, device_name).await
    }

    /// Creates the admin's device and holds its enrollment; an MFA device
    /// already enabled marks the step done instead.
    async fn begin_enrollment(state: &mut State, device_name: &str) -> Result<MfaBegin> {
        let account_id = state.account_id()?;
        let user_name = state.admin_user_name()?;
        let connection = state.acting()?;
        let (begin, enrollment) = user_mfa::begin(&connection, state.journal()?, &user_name, device_name, &account_id).await?;
        if let MfaBegin::AlreadyEnabled { .. } = begin {
            state.set_state(StepId::UserMfa, StepState::Done { verified: true })?;
        }
        state.enrollment = enrollment;
        Ok(begin)
    }

    /// The setup key the QR code holds, for an authenticator that cannot
    /// scan (the console's "Show secret key"). Shown only when asked for.
    pub async fn reveal_mfa_setup_key(&self) -> Result<SecretString> {
        let state = self.state.lock().await;
        let enrollment = state.enrollment.as_ref().ok_or(EngineError::NeedsEarlierStep(StepId::UserMfa))?;
        Ok(SecretString::from(user_mfa::setup_key_text(&enrollment.seed)))
    }

    pub async fn finish_user_mfa(&self, code1: &str, code2: &str) -> Result<bool> {
        let mut state = self.state.lock().await;
        Self::finish_enrollment(&mut state, code1, code2).await
    }

    async fn finish_enrollment(state: &mut State, code1: &str, code2: &str) -> Result<bool> {
        let connection = state.acting()?;
        let enrollment = state.enrollment.take().ok_or(EngineError::NeedsEarlierStep(StepId::UserMfa))?;
        match user_mfa::finish(&connection, &enrollment, code1, code2).await {
            Ok(verified) => {
                state.set_state(StepId::UserMfa, StepState::Done { verified })?;
                Ok(verified)
            }
            Err(err) => {
                state.enrollment = Some(enrollment);
                Err(err)
            }
        }
    }

    /// "This computer is the authenticator": the seed goes to the keychain
    /// and the app types the two codes itself. One press: the device (named
    /// `device_name`) is created first when it was not yet.
    pub async fn this_computer_mfa(&self, device_name: &str) -> Result<bool> {
        let mut state = self.state.lock().await;
        let account_id = state.account_id()?;
        if state.enrollment.is_none() {
            if let MfaBegin::AlreadyEnabled { .. } = Self::begin_enrollment(&mut state, device_name).await? {
                return Ok(true);
            }
        }
        let enrollment = state.enrollment.as_ref().ok_or(EngineError::NeedsEarlierStep(StepId::UserMfa))?;
        let account = keychain::mfa_seed_account(&account_id, &enrollment.user_name);
        keychain::set(&account, &SecretString::from(enrollment.seed.expose_secret().to_string()))?;
        crash_point!("user_mfa.seed_in_keychain");
        state.journal()?.record(Resource::KeychainEntry { account })?;
        let seed = state
            .enrollment
            .as_ref()
            .map(|e| e.seed.clone())
            .ok_or(EngineError::NeedsEarlierStep(StepId::UserMfa))?;
        let (code1, code2) = user_mfa::fresh_codes(&seed).await;
        Self::finish_enrollment(&mut state, &code1, &code2).await
    }

    /// The billing check. It asks AWS as the admin user (one Cost Explorer
    /// request, USD 0.01) once, and keeps the answer in the journal; `again`
    /// asks anew. Before the admin's key exists it says it is waiting for it.
    pub async fn billing_probe(&self, again: bool) -> Result<BillingCheck> {
        let mut state = self.state.lock().await;
        if !again {
            if let Some(known) = state.journal()?.data.billing_check.clone() {
                return Ok(known);
            }
        }
        let Ok(admin) = state.admin() else {
            return Ok(BillingCheck::WaitsForAdminKey);
        };
        let check = billing_access::probe(&admin).await?;
        let journal = state.journal()?;
        journal.data.billing_check = Some(check.clone());
        journal.save()?;
        Ok(check)
    }

    pub fn billing_guide() -> ConsoleGuide {
        billing_access::guide()
    }

    /// The admin user's key. Once it is in the keychain, the session waits
    /// until AWS accepts it and acts as the admin user from then on.
    pub async fn create_access_key(&self, description: &str, profile: &str, replace_lost: bool) -> Result<AccessKeyOutcome> {
        let mut state = self.state.lock().await;
        let user_name = state.admin_user_name()?;
        let connection = state.acting()?;
        let request = AccessKeyRequest {
            user_name: &user_name,
            profile,
            description,
            replace_lost,
        };
        let (outcome, pending) = access_key::create(&connection, state.journal()?, &request).await?;
        state.pending_secret = pending;
        state.secret_shown = false;
        if let AccessKeyOutcome::Ready { .. } = outcome {
            state.set_state(StepId::AccessKey, StepState::Done { verified: false })?;
            let admin = access_key::wait_until_usable(profile, &self.options, NEW_KEY_WAIT).await?;
            state.set_state(StepId::AccessKey, StepState::Done { verified: true })?;
            state.admin = Some(admin);
        }
        Ok(outcome)
    }

    /// The new secret, once: a second call is refused.
    pub async fn reveal_secret_once(&self) -> Result<SecretString> {
        let mut state = self.state.lock().await;
        if state.secret_shown {
            return Err(EngineError::SecretAlreadyShown);
        }
        let secret = match &state.pending_secret {
            Some(pending) => pending.secret_access_key.clone(),
            None => {
                keychain::load_access_key(&state.profile()?)?
                    .ok_or(EngineError::NeedsEarlierStep(StepId::AccessKey))?
                    .secret_access_key
            }
        };
        state.secret_shown = true;
        Ok(secret)
    }

    /// The admin's AWS CLI profile, set up the way the user chose (`form.access`).
    /// A profile the user already had is changed only with `form.replace_existing`.
    /// - a key or MFA sessions: served by `credential_process` from the
    ///   keychain; MFA sessions need the admin's MFA device;
    /// - console sign-in: `login_session` for the admin user, no key at all;
    ///   [`WizardSession::sign_in_cli_profile`] then signs in.
    pub async fn configure_cli_profile(&self, form: &CliProfileForm, cli_path: &Path) -> Result<PathBuf> {
        crate::connection::validate_region(&form.region)?;
        crate::aws_cli_config::validate_profile_name(&form.profile)?;
        let length = match &form.session_length {
            Some(text) => mfa_session::parse_length(text)?,
            None => mfa_session::DEFAULT_LENGTH,
        };
        let mut state = self.state.lock().await;
        let user_name = state.admin_user_name()?;
        let connection = state.acting()?;
        let (serial, user_arn);
        let credentials = match form.access {
            CliAccess::Key => ProfileCredentials::Key { cli_path },
            CliAccess::MfaSession => {
                serial = iam::mfa_devices(&connection, &user_name)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or(EngineError::NeedsEarlierStep(StepId::UserMfa))?;
                ProfileCredentials::MfaSession {
                    cli_path,
                    mfa_serial: &serial,
                    length,
                }
            }
            CliAccess::Login => {
                user_arn = iam::find_user(&connection, &user_name)
                    .await?
                    .map(|user| user.arn().to_string())
                    .ok_or(EngineError::NeedsEarlierStep(StepId::AdminUser))?;
                ProfileCredentials::Login { user_arn: &user_arn }
            }
        };
        let path = handoff::configure_cli_profile(state.journal()?, &form.profile, &form.region, &credentials, form.replace_existing)?;
        let journal = state.journal()?;
        journal.data.cli_access = Some(form.access);
        journal.save()?;
        if form.access == CliAccess::Login {
            // No key to make: the profile is this step's whole work, proven
            // once the admin signs in with it.
            let signed_in = state.admin.is_some();
            state.set_state(StepId::AccessKey, StepState::Done { verified: signed_in })?;
        }
        state.set_state(StepId::Handoff, StepState::Done { verified: false })?;
        Ok(path)
    }

    /// Console sign-in for the admin's profile (`aws login`, in the browser,
    /// with the admin's password and MFA). It proves the admin can sign in, so
    /// the clean-up needs no separate confirmation, and the session acts as
    /// the admin from then on.
    pub async fn sign_in_cli_profile(&self, profile: &str) -> Result<()> {
        let (user_name, region) = {
            let mut state = self.state.lock().await;
            (state.admin_user_name()?, state.acting()?.region())
        };
        self.aws_login(profile, &region).await?;
        self.resume_admin_session(profile, &user_name).await
    }

    /// The admin's console sign-in session, once `aws login` ran for the
    /// profile: it becomes the acting identity, after checking it is the
    /// admin user of the journal's account.
    pub(crate) async fn resume_admin_session(&self, profile: &str, user_name: &str) -> Result<()> {
        let connection = Connection::open(&CredentialSource::Profile(profile.to_string()), &self.options).await?;
        let me = identity::who_am_i(&connection).await?;
        let mut state = self.state.lock().await;
        let is_admin = matches!(&me.caller, CallerKind::IamUser { user_name: u } if u == user_name);
        if !is_admin || state.account_id()? != me.account_id {
            return Err(EngineError::AwsLoginFailed(format!(
                "signed in as {}, not as the admin user {user_name}",
                me.arn
            )));
        }
        state.admin = Some(connection);
        let journal = state.journal()?;
        journal.data.admin_sign_in_confirmed = true;
        journal.save()?;
        state.set_state(StepId::AccessKey, StepState::Done { verified: true })
    }

    pub async fn write_plaintext_credentials(&self, profile: &str, replace_existing: bool) -> Result<PathBuf> {
        handoff::write_plaintext_credentials(self.state.lock().await.journal()?, profile, replace_existing)
    }

    /// The hand-off is done when the user chose what they need (a profile, files, or nothing).
    pub(crate) async fn finish_handoff(&self) -> Result<()> {
        self.state
            .lock()
            .await
            .set_state(StepId::Handoff, StepState::Done { verified: false })
    }

    /// The admin user's CSV, for the user and key the journal recorded.
    pub async fn export_csv(&self, kind: ExportKind, path: &Path, replace: bool) -> Result<()> {
        let mut state = self.state.lock().await;
        let user_name = state.admin_user_name()?;
        let profile = match kind {
            ExportKind::Console => String::new(),
            ExportKind::CliImport if state.pending_secret.is_some() => String::new(),
            ExportKind::CliImport => state.profile()?,
        };
        Self::export_for(&mut state, kind, path, replace, &user_name, &profile)
    }

    /// A CSV for a named user and keychain profile (`aws-setup export --user --profile`).
    pub async fn export_csv_for(&self, kind: ExportKind, path: &Path, replace: bool, user_name: &str, profile: &str) -> Result<()> {
        Self::export_for(&mut *self.state.lock().await, kind, path, replace, user_name, profile)
    }

    fn export_for(state: &mut State, kind: ExportKind, path: &Path, replace: bool, user_name: &str, profile: &str) -> Result<()> {
        files::check_export_path(path)?;
        match kind {
            ExportKind::Console => {
                let account = admin_user::password_account(&state.account_id()?, user_name);
                let password = keychain::get(&account)?.ok_or(EngineError::NeedsEarlierStep(StepId::AdminUser))?;
                let url = state.sign_in_url()?;
                handoff::export_console_csv(path, user_name, &password, &url, overwrite(replace))
            }
            ExportKind::CliImport => {
                let (id, secret) = match &state.pending_secret {
                    Some(pending) => (pending.access_key_id.clone(), pending.secret_access_key.clone()),
                    None => {
                        let key = keychain::load_access_key(profile)?.ok_or(EngineError::NeedsEarlierStep(StepId::AccessKey))?;
                        (key.access_key_id, key.secret_access_key)
                    }
                };
                handoff::export_cli_import_csv(path, user_name, &id, &secret, overwrite(replace))?;
                // Exported: the user holds the only copy now, so the flow may go on.
                state.pending_secret = None;
                Ok(())
            }
        }
    }

    /// A run that signed in with the console after the clean-up was done
    /// signs that sign-in out again at its end: no refresh token of the
    /// app's stays on the computer.
    pub(crate) async fn sign_out_set_up(&self) -> Result<()> {
        let mut state = self.state.lock().await;
        if let Some(Bootstrap::ConsoleSession { profile, arn }) = state.journal()?.data.bootstrap.clone() {
            bootstrap_cleanup::end_console_session(&profile, &arn)?;
        }
        Ok(())
    }

    pub async fn cleanup_bootstrap(&self) -> Result<CleanupOutcome> {
        let mut state = self.state.lock().await;
        if let Some(Bootstrap::ConsoleSession { profile, arn }) = state.journal()?.data.bootstrap.clone() {
            let outcome = bootstrap_cleanup::end_console_session(&profile, &arn)?;
            state.set_state(StepId::BootstrapCleanup, cleanup_state(&outcome))?;
            return Ok(outcome);
        }
        let admin = state.admin()?;
        let admin_user = state.admin_user_name()?;
        let bootstrap = state.bootstrap.clone();
        let outcome = bootstrap_cleanup::run(bootstrap.as_ref(), &admin, state.journal()?, &admin_user).await?;
        state.set_state(StepId::BootstrapCleanup, cleanup_state(&outcome))?;
        if matches!(outcome, CleanupOutcome::Deleted { .. }) {
            state.bootstrap = None;
        }
        Ok(outcome)
    }

    /// What the clean-up screen shows before the temporary key goes: where
    /// and as whom to sign in once, and whether that is confirmed.
    pub async fn admin_sign_in(&self) -> Result<AdminSignIn> {
        let mut state = self.state.lock().await;
        let user_name = state.admin_user_name()?;
        let mfa_enabled = match state.acting() {
            Ok(connection) => !user_mfa::list_user_devices(&connection, &user_name).await?.is_empty(),
            Err(_) => false,
        };
        Ok(AdminSignIn {
            sign_in_url: state.sign_in_url()?,
            user_name,
            mfa_enabled,
            confirmed: state.journal()?.data.admin_sign_in_confirmed,
        })
    }

    /// The user signed in to the console as the admin user, with its MFA.
    pub async fn confirm_admin_sign_in(&self) -> Result<()> {
        let mut state = self.state.lock().await;
        state.admin_user_name()?;
        let journal = state.journal()?;
        journal.data.admin_sign_in_confirmed = true;
        journal.save()
    }

    /// What is still to do in the console: every console-only step not done,
    /// and the admin's first sign-in while it is unconfirmed.
    pub async fn open_console_tasks(&self) -> Result<Vec<ConsoleTask>> {
        let steps = self.steps().await;
        let mut open: Vec<ConsoleTask> = [ConsoleTask::AccountSignup, ConsoleTask::RootMfa, ConsoleTask::BillingAccess]
            .into_iter()
            .filter(|task| {
                steps
                    .iter()
                    .any(|s| s.id == task.step() && !matches!(s.state, StepState::Done { .. }))
            })
            .collect();
        let mut state = self.state.lock().await;
        if state.admin_user_name().is_ok() && !state.journal()?.data.admin_sign_in_confirmed {
            open.push(ConsoleTask::AdminSignIn);
        }
        Ok(open)
    }

    /// The user says a console task is done.
    pub async fn confirm_console_task(&self, task: ConsoleTask) -> Result<()> {
        match task {
            ConsoleTask::AdminSignIn => self.confirm_admin_sign_in().await,
            other => self.confirm_console_step(other.step()).await,
        }
    }

    pub async fn confirm_console_step(&self, step: StepId) -> Result<()> {
        if !step.is_console_only() {
            return Err(EngineError::Internal(format!("{} is not a console step", step.as_str())));
        }
        self.state.lock().await.set_state(step, StepState::Done { verified: false })
    }

    /// A Markdown summary with no secrets: step states and the sign-in URL.
    pub async fn export_summary(&self, path: &Path, lang: Lang) -> Result<()> {
        files::check_export_path(path)?;
        let steps = self.steps().await;
        let mut text = format!("# {}\n\n", lang.pick("AWS 설정 마법사 요약", "AWS Setup Wizard summary"));
        if let Ok(account_id) = self.state.lock().await.account_id() {
            text.push_str(&format!("- {}: {account_id}\n", lang.pick("계정 ID", "Account id")));
            text.push_str(&format!(
                "- {}: {}\n\n",
                lang.pick("IAM 사용자 로그인 URL", "IAM user sign-in URL"),
                alias::sign_in_url(&account_id)
            ));
        }
        text.push_str(&format!(
            "| {} | {} |\n|---|---|\n",
            lang.pick("단계", "Step"),
            lang.pick("상태", "State")
        ));
        for step in steps {
            let state = match step.state {
                StepState::Todo => lang.pick("할 일", "to do"),
                StepState::NeedsYou => lang.pick("확인 필요", "needs you"),
                StepState::Done { verified: true } => lang.pick("완료 ✓ (확인됨)", "done ✓ (verified)"),
                StepState::Done { verified: false } => lang.pick("완료 (확인 안 됨)", "done (not verified)"),
                StepState::Skipped => lang.pick("건너뜀", "skipped"),
            };
            text.push_str(&format!("| {} | {state} |\n", step.id.title(lang)));
        }
        files::write_atomic(path, text.as_bytes(), Overwrite::Refuse)
    }

    pub async fn teardown_preview(&self) -> Result<TeardownReport> {
        let mut state = self.state.lock().await;
        Ok(TeardownReport {
            dry_run: true,
            planned: teardown::plan(state.journal()?),
            removed: Vec::new(),
            failed: Vec::new(),
        })
    }

    /// Teardown runs with the bootstrap identity: the admin user is among
    /// what it deletes. After a complete teardown the walkthrough starts over.
    pub async fn teardown_run(&self, lang: Lang) -> Result<TeardownReport> {
        let mut state = self.state.lock().await;
        let connection = state.bootstrap.clone().ok_or(EngineError::NeedsEarlierStep(StepId::Identity))?;
        let report = teardown::run(&connection, state.journal()?, true, lang).await?;
        if report.failed.is_empty() && !report.planned.is_empty() {
            state.journal()?.restart_walkthrough()?;
            // The app's own sign-in profile, and its token, go last: the
            // teardown itself may have run on that sign-in.
            console_sign_in::forget_set_up_profile()?;
        }
        state.admin = None;
        Ok(report)
    }
}
