//! Tearing an accounts-mode class down by recycling: in each student account,
//! delete what the class left (the kinds in `member::CLEANED_KINDS`), take
//! the student's sign-in away, and move the account to the ready pool OU for
//! the next class. Closing is offered instead, but only within AWS's closing
//! allowance (10 % of members in 30 days), with the count shown; accounts
//! beyond it are recycled. Without `confirmed` it is a dry run that lists
//! everything and changes nothing. Only accounts the class journal records
//! and AWS tags as this class's are touched.

use super::create::{class_ou_id, marked_for, marked_ours, StudentAccount};
use super::identity_center;
use super::member::{self, CleanupCounts};
use super::orgs::{self, tag};
use super::quota::{close_allowance, CloseAllowance};
use super::{class_journal, journal_path, pool_journal, OrgClients, POOL_OU_NAME, POOL_TAG_KEY, POOL_TAG_VALUE, STUDENT_TAG_KEY};
use crate::classroom::create::{ClassProgress, StudentFailure};
use crate::classroom::{student_account, CLASS_TAG_KEY};
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::journal::{Journal, Resource};
use crate::keychain;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use tokio::sync::Mutex;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct AccountTeardownReport {
    pub dry_run: bool,
    /// Every class account found, with what becomes of it.
    pub accounts: Vec<StudentAccount>,
    /// Moved (or, in a dry run, to be moved) to the ready pool.
    pub recycled: Vec<String>,
    /// Closed (or to be closed), within the allowance.
    pub closed: Vec<String>,
    /// What the clean-up deleted (or found) in the student accounts.
    pub cleanup: CleanupCounts,
    /// Whether EC2 and S3 were looked at: that takes the AWS CLI v2. Without
    /// it, only IAM users, roles and budgets were cleaned, and the window and
    /// the CLI say so.
    pub leftovers_checked: bool,
    pub sign_ins_removed: u32,
    /// Present when closing was asked for.
    pub close_allowance: Option<CloseAllowance>,
    pub failed: Vec<StudentFailure>,
}

/// Accounts this app closed, with when: AWS does not say how many of the
/// 30-day allowance are used, so the app counts its own.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ClosedLog {
    closed: Vec<(String, i64)>,
}

fn closed_log_path() -> Result<std::path::PathBuf> {
    journal_path("closed.log")
}

fn read_closed_log() -> Result<ClosedLog> {
    let path = closed_log_path()?;
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| EngineError::JournalCorrupt(path.display().to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ClosedLog::default()),
        Err(e) => Err(EngineError::file(&path, &e)),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn closed_in_last_30_days(log: &ClosedLog) -> u32 {
    let since = now() - 30 * 24 * 3600;
    log.closed.iter().filter(|(_, at)| *at >= since).count() as u32
}

/// The class's accounts: journaled, and tagged for the class and the student.
async fn class_accounts(clients: &OrgClients, journal: &Journal, class_id: &str) -> Result<Vec<StudentAccount>> {
    let mut found = Vec::new();
    for resource in &journal.data.resources {
        let Resource::OrgAccount { account_id, user_name } = resource else {
            continue;
        };
        let tags = match crate::aws_error::tolerating(
            clients.organizations.list_tags_for_resource().resource_id(account_id).send().await,
            &["AccountNotFoundException", "TargetNotFoundException"],
        )? {
            Some(out) => out.tags.unwrap_or_default().into_iter().map(|t| (t.key, t.value)).collect(),
            None => continue,
        };
        if marked_for(&tags, class_id, Some(user_name))? {
            found.push(StudentAccount {
                user_name: user_name.clone(),
                account_id: account_id.clone(),
                account_email: String::new(),
                sign_in_name: user_name.clone(),
            });
        } else {
            tracing::info!(account_id, "a journaled account no longer carries the class's tags: left alone");
        }
    }
    found.sort_by(|a, b| a.user_name.cmp(&b.user_name));
    Ok(found)
}

/// The ready pool OU under the root, made once; someone else's OU of that name is never used.
pub(crate) async fn ensure_pool_ou(clients: &OrgClients, pool: &mut Journal, root_id: &str) -> Result<String> {
    let org = &clients.organizations;
    let found = orgs::ous_under(org, root_id)
        .await?
        .into_iter()
        .find(|o| o.name() == Some(POOL_OU_NAME));
    if let Some(ou) = found {
        let id = ou.id().unwrap_or_default().to_string();
        let journaled = pool.created(&Resource::OrganizationalUnit {
            ou_id: id.clone(),
            name: POOL_OU_NAME.into(),
        });
        return if journaled && marked_ours(&orgs::tags_of(org, &id).await?)? {
            Ok(id)
        } else {
            Err(EngineError::NameTakenByOther(POOL_OU_NAME.into()))
        };
    }
    let mut tags = orgs::markers()?;
    tags.push(tag(POOL_TAG_KEY, POOL_TAG_VALUE));
    let id = orgs::create_ou(org, root_id, POOL_OU_NAME, tags).await?;
    pool.record(Resource::OrganizationalUnit {
        ou_id: id.clone(),
        name: POOL_OU_NAME.into(),
    })?;
    Ok(id)
}

struct Shared {
    clients: OrgClients,
    /// The AWS CLI that finds what students launched (none on this
    /// computer: not looked for), and where it looks.
    aws_cli: Option<std::path::PathBuf>,
    regions: Vec<String>,
    class_id: String,
    confirmed: bool,
    journal: Mutex<Journal>,
    pool: Mutex<Journal>,
    pool_ou: Option<String>,
    instance: Option<identity_center::Instance>,
    closes_left: AtomicU32,
    close: bool,
    /// Accounts close a few at a time: the log's read-append-write is one at a time.
    closed_log: Mutex<()>,
}

#[derive(Debug, Default)]
struct Outcome {
    closed: bool,
    cleanup: CleanupCounts,
    sign_in_removed: bool,
}

async fn recycle_one(shared: &Shared, account: &StudentAccount) -> Result<Outcome> {
    let org = &shared.clients.organizations;
    let dry_run = !shared.confirmed;
    let member = member::connect(&shared.clients.management, &account.account_id).await?;
    let cleanup = member::clean(shared.aws_cli.as_deref(), &member, &account.account_id, &shared.regions, dry_run).await?;
    let store_user = shared.journal.lock().await.data.resources.iter().find_map(|r| match r {
        Resource::IdentityStoreUser { user_id, user_name } if *user_name == account.user_name => Some(user_id.clone()),
        _ => None,
    });
    let sign_in_removed = store_user.is_some() || cleanup.iam_users > 0;
    let close = shared.close
        && shared
            .closes_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
    if dry_run {
        return Ok(Outcome {
            closed: close,
            cleanup,
            sign_in_removed,
        });
    }
    if let (Some(user_id), Some(instance)) = (&store_user, &shared.instance) {
        identity_center::remove_student(
            &shared.clients.sso_admin,
            &shared.clients.identity_store,
            instance,
            &account.account_id,
            user_id,
        )
        .await?;
        shared.journal.lock().await.forget(&Resource::IdentityStoreUser {
            user_id: user_id.clone(),
            user_name: account.user_name.clone(),
        })?;
    }
    keychain::delete(&student_account(&shared.class_id, &account.user_name))?;
    if close {
        orgs::close_account(org, &account.account_id).await?;
        let _one_writer = shared.closed_log.lock().await;
        let mut log = read_closed_log()?;
        log.closed.push((account.account_id.clone(), now()));
        let bytes = serde_json::to_vec(&log).map_err(|e| EngineError::Internal(e.to_string()))?;
        files::write_atomic(&closed_log_path()?, &bytes, Overwrite::Replace)?;
    } else {
        let pool_ou = shared.pool_ou.as_deref().unwrap_or_default();
        let from = orgs::parent_of(org, &account.account_id).await?;
        orgs::move_account(org, &account.account_id, &from, pool_ou).await?;
        orgs::untag_resource(org, &account.account_id, &[CLASS_TAG_KEY, STUDENT_TAG_KEY]).await?;
        orgs::tag_resource(org, &account.account_id, vec![tag(POOL_TAG_KEY, POOL_TAG_VALUE)]).await?;
        shared.pool.lock().await.record(Resource::OrgAccount {
            account_id: account.account_id.clone(),
            user_name: String::new(),
        })?;
    }
    shared.journal.lock().await.forget(&Resource::OrgAccount {
        account_id: account.account_id.clone(),
        user_name: account.user_name.clone(),
    })?;
    Ok(Outcome {
        closed: close,
        cleanup,
        sign_in_removed,
    })
}

/// A dry run unless `confirmed`. With `close`, accounts are closed while the
/// allowance lasts and the rest recycled.
pub async fn run(
    clients: &OrgClients,
    class_id: &str,
    concurrency: usize,
    close: bool,
    confirmed: bool,
    lang: Lang,
    progress: Arc<dyn Fn(ClassProgress) + Send + Sync>,
) -> Result<AccountTeardownReport> {
    crate::classroom::validate_class_id(class_id)?;
    crate::classroom::validate_concurrency(concurrency)?;
    let org = &clients.organizations;
    let journal = class_journal(class_id)?;
    let mut pool = pool_journal()?;
    let accounts = class_accounts(clients, &journal, class_id).await?;
    let program = crate::console_sign_in::aws_program();
    let aws_cli = match accounts.is_empty() {
        true => None,
        false => crate::aws_cli_install::detect_program(&program, crate::aws_cli_install::DETECT_TIMEOUT)
            .await
            .v2
            .then_some(program),
    };
    // Where to look is read from AWS only when something will look there.
    let regions = match aws_cli {
        Some(_) => super::guardrails::class_regions(org, &journal).await?,
        None => Vec::new(),
    };
    let allowance = if close {
        let members = (orgs::all_accounts(org).await?.len() as u32).saturating_sub(1);
        Some(close_allowance(members, closed_in_last_30_days(&read_closed_log()?)))
    } else {
        None
    };
    let uses_identity_center = journal
        .data
        .resources
        .iter()
        .any(|r| matches!(r, Resource::PermissionSet { .. } | Resource::IdentityStoreUser { .. }));
    let instance = match uses_identity_center {
        true => Some(identity_center::instance(&clients.sso_admin).await?),
        false => None,
    };
    let root_id = orgs::root_id(org).await?;
    let pool_ou = match confirmed {
        true => Some(ensure_pool_ou(clients, &mut pool, &root_id).await?),
        false => None,
    };
    let shared = Arc::new(Shared {
        clients: clients.clone(),
        aws_cli,
        regions,
        class_id: class_id.to_string(),
        confirmed,
        journal: Mutex::new(journal),
        pool: Mutex::new(pool),
        pool_ou,
        instance,
        closes_left: AtomicU32::new(allowance.map(|a| a.remaining).unwrap_or(0)),
        close,
        closed_log: Mutex::new(()),
    });
    let by_name: std::collections::HashMap<String, StudentAccount> = accounts.iter().map(|a| (a.user_name.clone(), a.clone())).collect();
    let names = accounts.iter().map(|a| a.user_name.clone()).collect();
    let (done, failed) = crate::classroom::for_each_student(names, concurrency, lang, progress.as_ref(), |user_name| {
        let shared = shared.clone();
        let account = by_name[&user_name].clone();
        async move { recycle_one(&shared, &account).await }
    })
    .await?;
    let mut report = AccountTeardownReport {
        dry_run: !confirmed,
        accounts,
        recycled: Vec::new(),
        closed: Vec::new(),
        cleanup: CleanupCounts::default(),
        leftovers_checked: shared.aws_cli.is_some(),
        sign_ins_removed: 0,
        close_allowance: allowance,
        failed,
    };
    for (name, outcome) in done {
        report.cleanup += outcome.cleanup;
        report.sign_ins_removed += u32::from(outcome.sign_in_removed);
        match outcome.closed {
            true => report.closed.push(name),
            false => report.recycled.push(name),
        }
    }
    report.recycled.sort();
    report.closed.sort();
    if confirmed && report.failed.is_empty() {
        remove_class_shell(&shared).await?;
    }
    Ok(report)
}

/// Once every account is out: the guardrails, the permission set, the OU, the journal.
async fn remove_class_shell(shared: &Shared) -> Result<()> {
    let org = &shared.clients.organizations;
    let journal = shared.journal.lock().await;
    if let Some(ou_id) = class_ou_id(&journal) {
        super::guardrails::remove(org, &journal, &ou_id).await?;
        orgs::delete_ou(org, &ou_id).await?;
    }
    if let Some(instance) = &shared.instance {
        for resource in &journal.data.resources {
            if let Resource::PermissionSet { arn } = resource {
                identity_center::delete_permission_set(&shared.clients.sso_admin, instance, arn).await?;
            }
        }
    }
    let path = journal_path(&shared.class_id)?;
    drop(journal);
    let _ = std::fs::remove_file(path);
    Ok(())
}
