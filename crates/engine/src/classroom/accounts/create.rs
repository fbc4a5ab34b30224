//! Creating an accounts-mode class. First a preflight that creates nothing:
//! the caller is the management account, every student has a unique email,
//! and the class fits the organization's account quota (counting accounts
//! the ready pool can give back). Then the organization, the class OU, its
//! guardrails and the permission set; then every student, a few at a time:
//! an account (from the pool, else `CreateAccount`), a budget, a sign-in.
//! One student's failure never stops the others; running again finishes the
//! rest and creates nothing twice.

use super::identity_center::{self, Instance};
use super::member;
use super::orgs::{self, tag};
use super::{
    account_name, class_journal, class_ou_name, pool_journal, AccountClassSettings, OrgClients, SignIn, POOL_TAG_KEY, STUDENT_TAG_KEY,
};
use crate::classroom::create::{save_student, ClassProgress, StudentFailure, StudentSecrets};
use crate::classroom::roster::Student;
use crate::classroom::{student_account, CLASS_TAG_KEY};
use crate::error::{EngineError, Result};
use crate::journal::{Journal, Pending, Resource};
use crate::lang::Lang;
use aws_sdk_organizations::types::{Account, AccountStatus};
use secrecy::ExposeSecret;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Mutex;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct StudentAccount {
    pub user_name: String,
    pub account_id: String,
    /// The email AWS knows the account by.
    pub account_email: String,
    /// What the student types to sign in: the Identity Store user name, or the IAM user name.
    pub sign_in_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct AccountClassReport {
    pub class_id: String,
    /// Students who got a brand-new account.
    pub created: Vec<String>,
    /// Students who got an account from the ready pool.
    pub reused: Vec<String>,
    pub already_done: Vec<String>,
    pub failed: Vec<StudentFailure>,
    pub accounts: Vec<StudentAccount>,
    /// The AWS access portal, with Identity Center sign-in.
    pub portal_url: Option<String>,
}

/// How a student's account came about in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Created,
    Reused,
    AlreadyThere,
}

pub(crate) fn class_tags(settings: &AccountClassSettings) -> Result<Vec<aws_sdk_organizations::types::Tag>> {
    let mut tags = orgs::markers()?;
    tags.push(tag(CLASS_TAG_KEY, &settings.class_id));
    Ok(tags)
}

/// Whether AWS's tags carry the app's marker with this installation's id.
pub(crate) fn marked_ours(tags: &HashMap<String, String>) -> Result<bool> {
    Ok(
        tags.get(crate::iam::CREATED_BY_TAG_KEY).map(String::as_str) == Some(crate::iam::CREATED_BY_TAG_VALUE)
            && tags.get(crate::ownership::INSTALL_TAG_KEY) == Some(&crate::ownership::install_id()?),
    )
}

/// Whether AWS's tags say this installation made it for `class_id` (and `student`).
pub(crate) fn marked_for(tags: &HashMap<String, String>, class_id: &str, student: Option<&str>) -> Result<bool> {
    let class = tags.get(CLASS_TAG_KEY).map(String::as_str) == Some(class_id);
    let student = student.is_none_or(|s| tags.get(STUDENT_TAG_KEY).map(String::as_str) == Some(s));
    Ok(marked_ours(tags)? && class && student)
}

fn account_resource(account_id: &str, user_name: &str) -> Resource {
    Resource::OrgAccount {
        account_id: account_id.into(),
        user_name: user_name.into(),
    }
}

/// The mark left before `CreateAccount`, when the id is not known yet.
fn creating(user_name: &str) -> Pending {
    Pending::Creating {
        resource: account_resource("", user_name),
    }
}

/// Where a student's account already is.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// This class has it: AWS and the journal agree.
    InClass(String),
    /// It waits in the ready pool: a class id used again after recycling
    /// gives the student the same email, so the same account is taken back.
    InPool(String),
    Nothing,
}

/// The student's account this class already has, if any: AWS and the
/// journal must agree (or a create of it was pending when a run stopped).
async fn existing_account(
    org: &aws_sdk_organizations::Client,
    journal: &Journal,
    pool: &[String],
    accounts: &[Account],
    class_id: &str,
    student: &Student,
    email: &str,
) -> Result<Found> {
    let journaled = journal.data.resources.iter().find_map(|r| match r {
        Resource::OrgAccount { account_id, user_name } if *user_name == student.user_name => Some(account_id.clone()),
        _ => None,
    });
    let by_email = accounts.iter().find(|a| a.email().is_some_and(|e| e.eq_ignore_ascii_case(email)));
    let candidate = journaled
        .as_deref()
        .and_then(|id| accounts.iter().find(|a| a.id() == Some(id)))
        .or(by_email);
    let Some(account) = candidate else { return Ok(Found::Nothing) };
    let id = account.id().unwrap_or_default().to_string();
    if pool.contains(&id) {
        return Ok(Found::InPool(id));
    }
    let pending = journal.data.pending.contains(&creating(&student.user_name));
    let tags = orgs::tags_of(org, &id).await?;
    if marked_for(&tags, class_id, Some(&student.user_name))? && (journaled.as_deref() == Some(id.as_str()) || pending) {
        Ok(Found::InClass(id))
    } else {
        Err(super::errors::AccountsError::EmailTaken(email.to_string()).into())
    }
}

/// Recycled accounts waiting in the pool: journaled there, tagged ready and ours, active.
pub(crate) async fn pool_accounts(clients: &OrgClients, pool: &Journal, accounts: &[Account]) -> Result<Vec<String>> {
    let mut ready = Vec::new();
    for resource in &pool.data.resources {
        let Resource::OrgAccount { account_id, .. } = resource else {
            continue;
        };
        let active = accounts
            .iter()
            .any(|a| a.id() == Some(account_id.as_str()) && a.status() == Some(&AccountStatus::Active));
        if !active {
            continue;
        }
        let tags = orgs::tags_of(&clients.organizations, account_id).await?;
        if marked_ours(&tags)? && tags.get(POOL_TAG_KEY).map(String::as_str) == Some(super::POOL_TAG_VALUE) {
            ready.push(account_id.clone());
        }
    }
    ready.sort();
    Ok(ready)
}

/// Finds the class OU (which must be ours) or makes it.
async fn ensure_class_ou(clients: &OrgClients, journal: &Mutex<Journal>, settings: &AccountClassSettings, root_id: &str) -> Result<String> {
    let org = &clients.organizations;
    let name = class_ou_name(&settings.class_id);
    let found = orgs::ous_under(org, root_id)
        .await?
        .into_iter()
        .find(|o| o.name() == Some(name.as_str()));
    if let Some(ou) = found {
        let id = ou.id().unwrap_or_default().to_string();
        let resource = Resource::OrganizationalUnit {
            ou_id: id.clone(),
            name: name.clone(),
        };
        let tagged = marked_for(&orgs::tags_of(org, &id).await?, &settings.class_id, None)?;
        return if tagged && journal.lock().await.created(&resource) {
            Ok(id)
        } else {
            Err(EngineError::NameTakenByOther(name))
        };
    }
    let id = orgs::create_ou(org, root_id, &name, class_tags(settings)?).await?;
    journal
        .lock()
        .await
        .record(Resource::OrganizationalUnit { ou_id: id.clone(), name })?;
    Ok(id)
}

/// The journaled class OU's id.
pub(crate) fn class_ou_id(journal: &Journal) -> Option<String> {
    journal.data.resources.iter().find_map(|r| match r {
        Resource::OrganizationalUnit { ou_id, .. } => Some(ou_id.clone()),
        _ => None,
    })
}

struct Shared {
    clients: OrgClients,
    settings: AccountClassSettings,
    journal: Mutex<Journal>,
    pool_journal: Mutex<Journal>,
    pool: Mutex<Vec<String>>,
    root_id: String,
    ou_id: String,
    sign_in: Option<(Instance, String)>,
    existing: HashMap<String, String>,
    /// Pool accounts that already carry a student's email, kept for that student.
    preferred: HashMap<String, String>,
}

/// A pooled account, moved into the class and retagged for the student.
async fn take_from_pool(shared: &Shared, student: &Student) -> Result<Option<String>> {
    let account_id = {
        let mut pool = shared.pool.lock().await;
        let own = shared.preferred.get(&student.user_name);
        // The student's own old account, else one no other student's email is on.
        let pick = own
            .and_then(|id| pool.iter().position(|p| p == id))
            .or_else(|| pool.iter().rposition(|p| !shared.preferred.values().any(|v| v == p)));
        match pick {
            Some(i) => pool.remove(i),
            None => return Ok(None),
        }
    };
    let org = &shared.clients.organizations;
    let from = orgs::parent_of(org, &account_id).await?;
    orgs::move_account(org, &account_id, &from, &shared.ou_id).await?;
    orgs::untag_resource(org, &account_id, &[POOL_TAG_KEY]).await?;
    orgs::tag_resource(
        org,
        &account_id,
        vec![
            tag(CLASS_TAG_KEY, &shared.settings.class_id),
            tag(STUDENT_TAG_KEY, &student.user_name),
        ],
    )
    .await?;
    shared
        .journal
        .lock()
        .await
        .record(account_resource(&account_id, &student.user_name))?;
    shared
        .pool_journal
        .lock()
        .await
        .forget_where(|r| matches!(r, Resource::OrgAccount { account_id: id, .. } if *id == account_id))?;
    Ok(Some(account_id))
}

/// `CreateAccount`, or the request a stopped run left in progress; then into the class OU.
async fn create_account(shared: &Shared, student: &Student, email: &str) -> Result<String> {
    let org = &shared.clients.organizations;
    let name = account_name(&shared.settings.class_id, &student.user_name);
    let in_progress = orgs::creations_in_progress(org).await?;
    let status = match in_progress.into_iter().find(|s| s.account_name() == Some(name.as_str())) {
        Some(status) => status,
        None => {
            shared.journal.lock().await.mark_pending(creating(&student.user_name))?;
            let mut tags = class_tags(&shared.settings)?;
            tags.push(tag(STUDENT_TAG_KEY, &student.user_name));
            orgs::create_account(org, email, &name, tags).await?
        }
    };
    let account_id = orgs::wait_for_account(org, status).await;
    let mut journal = shared.journal.lock().await;
    let account_id = match account_id {
        Ok(id) => id,
        Err(err) => {
            // A FAILED request made nothing: the next run may try again.
            if matches!(err, EngineError::Accounts(_)) {
                journal.clear_pending(&creating(&student.user_name))?;
            }
            return Err(err);
        }
    };
    journal.record(account_resource(&account_id, &student.user_name))?;
    journal.clear_pending(&creating(&student.user_name))?;
    drop(journal);
    orgs::move_account(org, &account_id, &shared.root_id, &shared.ou_id).await?;
    Ok(account_id)
}

async fn create_student(shared: &Shared, student: &Student, email: &str) -> Result<(Origin, StudentAccount)> {
    let (account_id, origin) = match shared.existing.get(&student.user_name) {
        Some(id) => (id.clone(), Origin::AlreadyThere),
        None => match take_from_pool(shared, student).await? {
            Some(id) => (id, Origin::Reused),
            None => (create_account(shared, student, email).await?, Origin::Created),
        },
    };
    let org = &shared.clients.organizations;
    let parent = orgs::parent_of(org, &account_id).await?;
    orgs::move_account(org, &account_id, &parent, &shared.ou_id).await?;
    let member = member::connect(&shared.clients.management, &account_id).await?;
    member::ensure_budget(&member, &account_id, &shared.settings, student).await?;
    let sign_in_name = match &shared.sign_in {
        Some((instance, permission_set)) => {
            let personal = student.email.as_deref().unwrap_or(email);
            let user_id = identity_center::ensure_user(
                &shared.clients.identity_store,
                instance,
                &shared.journal,
                &shared.settings.class_id,
                student,
                personal,
            )
            .await?;
            identity_center::ensure_assignment(&shared.clients.sso_admin, instance, permission_set, &account_id, &user_id).await?;
            identity_center::store_user_name(&shared.settings.class_id, &student.user_name)
        }
        None => {
            if let Some(password) = member::ensure_iam_user(&member, &shared.settings, student).await? {
                let mut secrets = StudentSecrets::default();
                secrets.password = Some(password.expose_secret().to_string());
                save_student(&shared.settings.class_id, &student.user_name, &secrets)?;
                shared.journal.lock().await.record(Resource::KeychainEntry {
                    account: student_account(&shared.settings.class_id, &student.user_name),
                })?;
            }
            student.user_name.clone()
        }
    };
    Ok((
        origin,
        StudentAccount {
            user_name: student.user_name.clone(),
            account_id,
            account_email: email.to_string(),
            sign_in_name,
        },
    ))
}

async fn caller_account(clients: &OrgClients) -> Result<String> {
    let me = clients
        .management
        .sts
        .get_caller_identity()
        .send()
        .await
        .map_err(crate::aws_error::from_sdk)?;
    Ok(me.account().unwrap_or_default().to_string())
}

/// Creates (or finishes) the class. `progress` is called after every student.
pub async fn run(
    clients: &OrgClients,
    settings: &AccountClassSettings,
    students: &[Student],
    lang: Lang,
    progress: Arc<dyn Fn(ClassProgress) + Send + Sync>,
) -> Result<AccountClassReport> {
    settings.validate()?;
    let emails = settings.account_emails(students).map_err(|(_, invalid)| invalid)?;
    let org = &clients.organizations;

    // Preflight: nothing is created until the class is known to fit.
    let me = caller_account(clients).await?;
    let organization = orgs::management_account(org).await?;
    if let Some((management, all_features)) = &organization {
        if *management != me {
            return Err(super::errors::AccountsError::NotManagementAccount {
                management_account: management.clone(),
            }
            .into());
        }
        if !all_features {
            return Err(super::errors::AccountsError::NotAllFeatures.into());
        }
    }
    let accounts = match organization {
        Some(_) => orgs::all_accounts(org).await?,
        None => Vec::new(),
    };
    let journal = class_journal(&settings.class_id)?;
    let pool_journal = pool_journal()?;
    let pool = pool_accounts(clients, &pool_journal, &accounts).await?;
    let mut existing = HashMap::new();
    let mut preferred = HashMap::new();
    let mut failed = Vec::new();
    for (student, email) in students.iter().zip(&emails) {
        match existing_account(org, &journal, &pool, &accounts, &settings.class_id, student, email).await {
            Ok(Found::InClass(id)) => {
                existing.insert(student.user_name.clone(), id);
            }
            Ok(Found::InPool(id)) => {
                preferred.insert(student.user_name.clone(), id);
            }
            Ok(Found::Nothing) => {}
            Err(err) => failed.push(StudentFailure {
                user_name: student.user_name.clone(),
                error: err.to_ui(lang),
            }),
        }
    }
    let without = (students.len() - existing.len() - failed.len()) as u32;
    let needed = without.saturating_sub(pool.len() as u32);
    let quota = super::quota::account_quota(&clients.service_quotas, settings.account_quota).await?;
    super::quota::check_fits(quota, (accounts.len() as u32).max(1), needed)?;

    if organization.is_none() {
        orgs::create_organization(org).await?;
    }
    let root_id = orgs::root_id(org).await?;
    let journal = Mutex::new(journal);
    let ou_id = ensure_class_ou(clients, &journal, settings, &root_id).await?;
    super::guardrails::ensure(org, &mut *journal.lock().await, settings, &root_id, &ou_id, class_tags(settings)?).await?;
    let sign_in = match settings.sign_in {
        SignIn::IdentityCenter => {
            let instance = identity_center::instance(&clients.sso_admin).await?;
            let permission_set =
                identity_center::ensure_permission_set(&clients.sso_admin, &instance, &mut *journal.lock().await, settings).await?;
            Some((instance, permission_set))
        }
        SignIn::Iam => None,
    };
    let portal_url = sign_in.as_ref().map(|(instance, _)| instance.portal_url());

    let skip: Vec<String> = failed.iter().map(|f| f.user_name.clone()).collect();
    let todo: Vec<(Student, String)> = students
        .iter()
        .zip(emails)
        .filter(|(s, _)| !skip.contains(&s.user_name))
        .map(|(s, e)| (s.clone(), e))
        .collect();
    let by_name: HashMap<String, (Student, String)> = todo.iter().map(|(s, e)| (s.user_name.clone(), (s.clone(), e.clone()))).collect();
    let shared = Arc::new(Shared {
        clients: clients.clone(),
        settings: settings.clone(),
        journal,
        pool_journal: Mutex::new(pool_journal),
        pool: Mutex::new(pool),
        root_id,
        ou_id,
        sign_in,
        existing,
        preferred,
    });
    let names = todo.iter().map(|(s, _)| s.user_name.clone()).collect();
    let (done, more_failed) =
        crate::classroom::for_each_student(names, settings.concurrency as usize, lang, progress.as_ref(), |user_name| {
            let shared = shared.clone();
            let (student, email) = by_name[&user_name].clone();
            async move { create_student(&shared, &student, &email).await }
        })
        .await?;
    failed.extend(more_failed);
    failed.sort_by(|a, b| a.user_name.cmp(&b.user_name));
    let mut report = AccountClassReport {
        class_id: settings.class_id.clone(),
        created: Vec::new(),
        reused: Vec::new(),
        already_done: Vec::new(),
        failed,
        accounts: Vec::new(),
        portal_url,
    };
    for (name, (origin, account)) in done {
        match origin {
            Origin::Created => report.created.push(name),
            Origin::Reused => report.reused.push(name),
            Origin::AlreadyThere => report.already_done.push(name),
        }
        report.accounts.push(account);
    }
    report.created.sort();
    report.reused.sort();
    report.already_done.sort();
    report.accounts.sort_by(|a, b| a.user_name.cmp(&b.user_name));
    Ok(report)
}
