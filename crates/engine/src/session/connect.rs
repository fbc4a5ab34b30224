//! Connecting: the walkthrough's first step, the extras' connection, the
//! admin's key after a restart, and noticing what was deleted by hand.

use super::*;

/// How a pasted key or profile is recorded as the walkthrough's bootstrap.
fn bootstrap_record(source: &CredentialSource, me: &Identity, temporary: bool) -> Bootstrap {
    match (source, &me.caller) {
        (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::Root) => Bootstrap::TemporaryKey {
            access_key_id: access_key_id.clone(),
            user_name: None,
            deleted: false,
        },
        (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::IamUser { user_name }) if temporary => Bootstrap::TemporaryKey {
            access_key_id: access_key_id.clone(),
            user_name: Some(user_name.clone()),
            deleted: false,
        },
        (CredentialSource::AccessKey { access_key_id, .. }, CallerKind::IamUser { user_name }) => Bootstrap::IamUserKey {
            access_key_id: access_key_id.clone(),
            user_name: user_name.clone(),
        },
        (CredentialSource::Profile(profile), _) if console_sign_in::session_arn(profile).is_some() => Bootstrap::ConsoleSession {
            profile: profile.clone(),
            arn: me.arn.clone(),
        },
        _ => Bootstrap::Existing {
            description: me.arn.clone(),
        },
    }
}

/// Whether `new` becomes the recorded bootstrap. A temporary key still to be
/// deleted is never forgotten: another temporary key is refused until it is
/// gone, and a key of a user the app created is never taken as temporary.
fn replaces_recorded_bootstrap(journal: &Journal, new: &Bootstrap) -> Result<bool> {
    if let Bootstrap::TemporaryKey {
        user_name: Some(user_name),
        ..
    } = new
    {
        if journal.created(&Resource::User {
            user_name: user_name.clone(),
        }) {
            return Err(EngineError::TemporaryKeyOfOurUser(user_name.clone()));
        }
    }
    match (&journal.data.bootstrap, new) {
        (Some(recorded), _) if recorded == new => Ok(false),
        (
            Some(Bootstrap::TemporaryKey {
                access_key_id,
                deleted: false,
                ..
            }),
            Bootstrap::TemporaryKey { .. },
        ) => Err(EngineError::TemporaryKeyNotDeleted(access_key_id.clone())),
        (Some(Bootstrap::TemporaryKey { deleted: false, .. }), _) => Ok(false),
        _ => Ok(true),
    }
}

/// Connecting, and the facts that need no connection.
impl WizardSession {
    pub fn new(options: ConnectOptions) -> WizardSession {
        crate::crash_points::init();
        WizardSession {
            options,
            state: Mutex::new(State::default()),
            sign_in_cancel: tokio::sync::Notify::new(),
        }
    }

    /// Who a credential source is, for the first screen and `aws-setup status`.
    pub async fn identity_status(source: &CredentialSource, lang: Lang) -> IdentityStatus {
        identity::status(source, &ConnectOptions::default(), lang).await
    }

    /// The walkthrough's steps and their states, as the journal has them.
    /// Read without taking the journal's lock when this session has not
    /// opened it yet, so a second window can still show where things stand.
    pub async fn steps(&self) -> Vec<StepView> {
        let state = self.state.lock().await;
        match &state.journal {
            Some(journal) => journal::step_views(Some(journal)),
            None => journal::step_views(Journal::peek_default().ok().as_ref()),
        }
    }

    pub(crate) async fn is_done(&self, step: StepId) -> Result<bool> {
        let state = self.state.lock().await.journal()?.state(step);
        Ok(matches!(state, StepState::Done { .. } | StepState::Skipped))
    }

    pub(crate) async fn has_admin(&self) -> bool {
        self.state.lock().await.admin.is_some()
    }

    /// The walkthrough's first step: connect with the key or profile the user
    /// gave, bind the journal to its account and record it as the bootstrap.
    pub async fn connect(&self, source: &CredentialSource, temporary: bool) -> Result<ConnectResult> {
        let connection = Connection::open(source, &self.options).await?;
        let me = identity::who_am_i(&connection).await?;
        let account = account_status::read(&connection).await?;
        let mut state = self.state.lock().await;
        state.bind(&me)?;
        let bootstrap = bootstrap_record(source, &me, temporary);
        let journal = state.journal()?;
        if replaces_recorded_bootstrap(journal, &bootstrap)? {
            journal.set_bootstrap(bootstrap.clone())?;
        }
        state.bootstrap = Some(connection);
        self.connected(state, me, bootstrap, account).await
    }

    /// "Sign in with the console", the default way to connect: no root key
    /// is made. The AWS CLI signs in (`aws login`) into the app's own profile,
    /// and the engine connects through that session. A session still good is
    /// used as it is, unless the user asked to sign in `again` (as someone else).
    pub async fn console_sign_in(&self, region: &str, again: bool) -> Result<ConnectResult> {
        let profile = console_sign_in::SET_UP_PROFILE;
        let source = CredentialSource::Profile(profile.to_string());
        if !again && console_sign_in::session_arn(profile).is_some() {
            match self.connect(&source, false).await {
                Err(EngineError::SignInExpired(_)) => {}
                other => return other,
            }
        }
        self.aws_login(profile, region).await?;
        self.connect(&source, false).await
    }

    /// `aws login` for a profile, until it ends or Cancel is pressed. On
    /// Cancel the wait is dropped, which kills the AWS CLI before it wrote a session.
    pub(crate) async fn aws_login(&self, profile: &str, region: &str) -> Result<()> {
        let aws = self.options.aws_cli.clone().unwrap_or_else(console_sign_in::aws_program);
        let cancelled = self.sign_in_cancel.notified();
        tokio::pin!(cancelled);
        // Registered before the sign-in starts, so an early Cancel is not missed.
        cancelled.as_mut().enable();
        tokio::select! {
            done = console_sign_in::sign_in(&aws, profile, region) => done,
            () = cancelled => Err(EngineError::AwsLoginCancelled),
        }
    }

    /// Cancel for a console sign-in that is waiting for the browser. Does
    /// nothing when none is waiting.
    pub fn cancel_sign_in(&self) {
        self.sign_in_cancel.notify_waiters();
    }

    /// How both ways of connecting end: the identity step is done, what the
    /// account read proves is recorded, and what was deleted by hand since is
    /// made again rather than assumed done.
    async fn connected(
        &self,
        mut state: tokio::sync::MutexGuard<'_, State>,
        identity: Identity,
        bootstrap: Bootstrap,
        account: AccountStatus,
    ) -> Result<ConnectResult> {
        state.set_state(StepId::Identity, StepState::Done { verified: true })?;
        state.record_account(&account)?;
        drop(state);
        self.reconcile_drift().await?;
        Ok(ConnectResult {
            identity,
            bootstrap,
            account,
        })
    }

    /// Journal drift: what the journal says is done but AWS no longer has (a
    /// user or key deleted by hand in the console, a practice simulator
    /// restarted) is forgotten, and its step is to do again. Returns the steps
    /// reopened. Reads only; changes nothing in AWS.
    pub(crate) async fn reconcile_drift(&self) -> Result<Vec<StepId>> {
        let mut state = self.state.lock().await;
        let connection = state.acting()?;
        let Ok(user_name) = state.admin_user_name() else {
            return Ok(Vec::new());
        };
        let done = |state: &mut State, step| matches!(state.journal().map(|j| j.state(step)), Ok(StepState::Done { .. }));
        let mut reopened = Vec::new();
        let user_gone = done(&mut state, StepId::AdminUser) && iam::find_user(&connection, &user_name).await?.is_none();
        if user_gone {
            state.journal()?.forget_where(|r| r.belongs_to_user(&user_name))?;
            reopened.extend([StepId::AdminUser, StepId::UserMfa, StepId::AccessKey, StepId::Handoff]);
        } else {
            if done(&mut state, StepId::UserMfa) && iam::mfa_devices(&connection, &user_name).await?.is_empty() {
                state
                    .journal()?
                    .forget_where(|r| matches!(r, Resource::MfaDevice { user_name: u, .. } if *u == user_name))?;
                reopened.push(StepId::UserMfa);
            }
            let by_key = state.journal()?.data.cli_access != Some(CliAccess::Login);
            if by_key && done(&mut state, StepId::AccessKey) {
                let stored = state.profile().ok().and_then(|p| keychain::load_access_key(&p).ok().flatten());
                let listed = iam::access_keys(&connection, &user_name).await?.unwrap_or_default();
                let works = stored.is_some_and(|k| listed.iter().any(|l| l.access_key_id() == Some(k.access_key_id.as_str())));
                if !works {
                    state
                        .journal()?
                        .forget_where(|r| matches!(r, Resource::AccessKey { user_name: u, .. } if *u == user_name))?;
                    reopened.push(StepId::AccessKey);
                    state.admin = None;
                }
            }
        }
        if done(&mut state, StepId::Alias) && alias::current(&connection).await?.is_none() {
            state.journal()?.forget_where(|r| matches!(r, Resource::Alias { .. }))?;
            reopened.push(StepId::Alias);
        }
        for step in &reopened {
            tracing::info!(step = step.as_str(), "AWS no longer has what this step made: it is to do again");
            state.set_state(*step, StepState::Todo)?;
        }
        Ok(reopened)
    }

    /// For the extras and teardown: connect and bind the journal to the
    /// caller's account, without touching the walkthrough's record.
    pub async fn open(&self, source: &CredentialSource) -> Result<Identity> {
        let connection = Connection::open(source, &self.options).await?;
        let me = identity::who_am_i(&connection).await?;
        let mut state = self.state.lock().await;
        state.bind(&me)?;
        state.bootstrap = Some(connection);
        Ok(me)
    }

    /// After a restart: the admin user's own key from the keychain, once the
    /// access-key step has run, or the admin's console sign-in where the CLI
    /// access is by sign-in. `false` when there is none yet (or the sign-in
    /// session has ended: signing in again is the user's to do).
    pub(crate) async fn resume_admin(&self, profile: &str) -> Result<bool> {
        let mut state = self.state.lock().await;
        if state.admin.is_some() {
            return Ok(true);
        }
        if state.journal()?.data.cli_access == Some(CliAccess::Login) {
            let user_name = state.admin_user_name()?;
            drop(state);
            if console_sign_in::session_of(profile).is_none_or(|s| s.expires_at.is_none()) {
                return Ok(false);
            }
            return match self.resume_admin_session(profile, &user_name).await {
                Ok(()) => Ok(true),
                Err(EngineError::SignInExpired(_)) => Ok(false),
                Err(err) => Err(err),
            };
        }
        if state.journal()?.state(StepId::AccessKey) == StepState::Todo || keychain::load_access_key(profile)?.is_none() {
            return Ok(false);
        }
        state.admin = Some(access_key::wait_until_usable(profile, &self.options, NEW_KEY_WAIT).await?);
        // AWS accepts the key: what a run cut short before that check never saved.
        state.set_state(StepId::AccessKey, StepState::Done { verified: true })?;
        Ok(true)
    }

    /// Whether the temporary bootstrap key is deleted already, so the admin
    /// user's key must carry on alone.
    pub(crate) async fn bootstrap_key_deleted(&self) -> Result<bool> {
        let mut state = self.state.lock().await;
        Ok(matches!(
            state.journal()?.data.bootstrap,
            Some(Bootstrap::TemporaryKey { deleted: true, .. })
        ))
    }

    /// The walkthrough's first step when only the admin user's key is left.
    pub(crate) async fn connect_as_admin(&self) -> Result<ConnectResult> {
        let admin = self.state.lock().await.admin()?;
        let me = identity::who_am_i(&admin).await?;
        let account = account_status::read(&admin).await?;
        let mut state = self.state.lock().await;
        state.bind(&me)?;
        let bootstrap = state
            .journal()?
            .data
            .bootstrap
            .clone()
            .ok_or(EngineError::NeedsEarlierStep(StepId::Identity))?;
        self.connected(state, me, bootstrap, account).await
    }

    pub async fn account_status(&self) -> Result<AccountStatus> {
        let connection = self.state.lock().await.acting()?;
        let status = account_status::read(&connection).await?;
        self.state.lock().await.record_account(&status)?;
        Ok(status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal_with(bootstrap: Option<Bootstrap>) -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(&dir.path().join("journal.json")).unwrap();
        journal.bind_account("111122223333").unwrap();
        if let Some(bootstrap) = bootstrap {
            journal.set_bootstrap(bootstrap).unwrap();
        }
        (dir, journal)
    }

    fn root_key(id: &str, deleted: bool) -> Bootstrap {
        Bootstrap::TemporaryKey {
            access_key_id: id.into(),
            user_name: None,
            deleted,
        }
    }

    #[test]
    fn an_undeleted_root_key_is_never_replaced_or_forgotten() {
        let (_dir, journal) = journal_with(Some(root_key("AKIAROOTFIRST0000001", false)));
        let err = replaces_recorded_bootstrap(&journal, &root_key("AKIAROOTSECOND000002", false)).unwrap_err();
        assert_eq!(err.code(), "identity.temporary_key_not_deleted");
        assert!(err.message(Lang::En).contains("AKIAROOTFIRST0000001"));
        let profile = Bootstrap::Existing {
            description: "arn:aws:iam::111122223333:user/me".into(),
        };
        assert!(!replaces_recorded_bootstrap(&journal, &profile).unwrap(), "kept for clean-up");
        assert!(!replaces_recorded_bootstrap(&journal, &root_key("AKIAROOTFIRST0000001", false)).unwrap());
    }

    #[test]
    fn a_deleted_root_key_makes_way_for_a_new_one() {
        let (_dir, journal) = journal_with(Some(root_key("AKIAROOTFIRST0000001", true)));
        assert!(replaces_recorded_bootstrap(&journal, &root_key("AKIAROOTSECOND000002", false)).unwrap());
    }

    #[test]
    fn a_key_of_a_user_the_app_created_is_never_taken_as_temporary() {
        let (_dir, mut journal) = journal_with(None);
        journal
            .record(Resource::User {
                user_name: "aws.user1".into(),
            })
            .unwrap();
        let admins_key = Bootstrap::TemporaryKey {
            access_key_id: "AKIAADMINADMIN000001".into(),
            user_name: Some("aws.user1".into()),
            deleted: false,
        };
        let err = replaces_recorded_bootstrap(&journal, &admins_key).unwrap_err();
        assert_eq!(err.code(), "identity.temporary_key_is_ours");
        let someone_elses = Bootstrap::TemporaryKey {
            access_key_id: "AKIAOTHEROTHER000001".into(),
            user_name: Some("bootstrap-admin".into()),
            deleted: false,
        };
        assert!(replaces_recorded_bootstrap(&journal, &someone_elses).unwrap());
    }
}
