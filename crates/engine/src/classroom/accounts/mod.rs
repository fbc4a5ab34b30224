//! Classroom `accounts` mode: one AWS account per student in an organization
//! the instructor's management account runs. A class is an OU with SCP
//! guardrails; each student gets a member account with a budget and a way to
//! sign in (IAM Identity Center, or an IAM user made through
//! `OrganizationAccountAccessRole`). Teardown recycles accounts into a
//! "ready" pool OU that the next class takes from, because closing accounts
//! is rationed by AWS (10 % a month) and closed accounts keep counting.
//!
//! What is the app's: an account, OU, SCP, permission set or Identity Store
//! user counts as this class's only when the class journal records it **and**
//! AWS carries the marker (tags, or for Identity Store users the user type).

pub mod create;
pub mod errors;
pub mod guardrails;
pub mod handout;
pub mod identity_center;
pub mod leftovers;
pub mod member;
pub mod orgs;
pub mod quota;
pub mod recycle;
pub mod status;

use super::roster::Student;
use super::{validate_class_id, validate_concurrency};
use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::journal::Journal;
use crate::validation::{self, Invalid};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

/// Tag keys on accounts and OUs (beside the app's `created-by` and install markers).
pub(crate) const STUDENT_TAG_KEY: &str = "aws-setup-student";
pub(crate) const POOL_TAG_KEY: &str = "aws-setup-pool";
pub(crate) const POOL_TAG_VALUE: &str = "ready";
/// The OU every recycled account waits in for the next class.
pub const POOL_OU_NAME: &str = "aws-setup-ready-pool";
/// The role AWS makes in every account it creates for an organization.
pub(crate) const ACCESS_ROLE: &str = "OrganizationAccountAccessRole";

/// How students sign in to their own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum SignIn {
    /// An Identity Store user assigned to the student's account only.
    IdentityCenter,
    /// An IAM user in the student's account, with a generated password to change.
    Iam,
}

/// What students may do inside their own account (the guardrails still apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum StudentRights {
    PowerUser,
    Administrator,
}

impl StudentRights {
    pub fn policy_arn(self) -> &'static str {
        match self {
            StudentRights::PowerUser => "arn:aws:iam::aws:policy/PowerUserAccess",
            StudentRights::Administrator => "arn:aws:iam::aws:policy/AdministratorAccess",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct AccountClassSettings {
    pub class_id: String,
    pub sign_in: SignIn,
    pub rights: StudentRights,
    /// The regions students may use; every other region is denied.
    pub regions: Vec<String>,
    /// The EC2 instance types students may launch.
    pub instance_types: Vec<String>,
    /// Each student account's monthly budget, in USD.
    pub budget_usd: String,
    /// Who gets every account's budget alerts.
    pub instructor_email: String,
    /// Also send a student's alerts to the student's roster email.
    pub alert_students: bool,
    /// `teacher+CLASS-STUDENT@school.edu`; without it, each roster email
    /// gets `+class-student` sub-addressing.
    pub email_pattern: Option<String>,
    /// The account quota to assume when Service Quotas cannot be read.
    pub account_quota: Option<u32>,
    pub concurrency: u32,
}

pub const DEFAULT_INSTANCE_TYPES: [&str; 4] = ["t3.micro", "t3.small", "t4g.micro", "t4g.small"];

impl AccountClassSettings {
    /// The preset a form starts from.
    pub fn preset(class_id: &str, instructor_email: &str) -> AccountClassSettings {
        AccountClassSettings {
            class_id: class_id.into(),
            sign_in: SignIn::IdentityCenter,
            rights: StudentRights::PowerUser,
            regions: vec![crate::connection::DEFAULT_REGION.into()],
            instance_types: DEFAULT_INSTANCE_TYPES.iter().map(|s| s.to_string()).collect(),
            budget_usd: "20".into(),
            instructor_email: instructor_email.into(),
            alert_students: false,
            email_pattern: None,
            account_quota: None,
            concurrency: super::DEFAULT_CONCURRENCY as u32,
        }
    }

    /// Every setting checked before any AWS call.
    pub fn validate(&self) -> Result<(), Invalid> {
        validate_class_id(&self.class_id)?;
        validate_concurrency(self.concurrency as usize)?;
        if self.regions.is_empty() || self.regions.len() > 10 {
            return Err(Invalid::Region);
        }
        for region in &self.regions {
            crate::connection::validate_region(region)?;
        }
        if self.instance_types.is_empty() || self.instance_types.len() > 20 || !self.instance_types.iter().all(|t| instance_type(t)) {
            return Err(Invalid::InstanceType);
        }
        crate::steps::budget::validate_amount(&self.budget_usd)?;
        validation::email(self.instructor_email.trim())?;
        if let Some(pattern) = &self.email_pattern {
            let sample = fill_pattern(pattern, &self.class_id, "student01");
            if !pattern.contains("STUDENT") || validation::email(&sample).is_err() {
                return Err(Invalid::EmailPattern);
            }
        }
        Ok(())
    }

    /// Each student's account email, checked, in roster order. A student
    /// with no roster email needs the pattern.
    pub fn account_emails(&self, students: &[Student]) -> Result<Vec<String>, (u32, Invalid)> {
        let mut emails = Vec::with_capacity(students.len());
        for student in students {
            let email = account_email(self, student).ok_or((student.line, Invalid::AccountEmail))?;
            validation::email(&email).map_err(|_| (student.line, Invalid::AccountEmail))?;
            emails.push(email);
        }
        Ok(emails)
    }
}

/// `m5.large`, `t4g.micro`, `t3.*`: a family, a dot, a size or `*`.
fn instance_type(text: &str) -> bool {
    let Some((family, size)) = text.split_once('.') else {
        return false;
    };
    let part = |p: &str, star: bool| {
        !p.is_empty()
            && p.len() <= 16
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || (star && b == b'*'))
    };
    part(family, false) && part(size, true)
}

fn fill_pattern(pattern: &str, class_id: &str, user_name: &str) -> String {
    pattern
        .replace("CLASS", class_id)
        .replace("STUDENT", &user_name.to_ascii_lowercase())
}

/// The email AWS requires, unique per account: from the pattern, else the
/// roster email with `+class-student` sub-addressing (mail still reaches its owner).
pub(crate) fn account_email(settings: &AccountClassSettings, student: &Student) -> Option<String> {
    let user = student.user_name.to_ascii_lowercase();
    match &settings.email_pattern {
        Some(pattern) => Some(fill_pattern(pattern, &settings.class_id, &user)),
        None => student.email.as_deref().and_then(|email| {
            let (local, domain) = email.split_once('@')?;
            let local = local.split('+').next().unwrap_or(local);
            Some(format!("{local}+{}-{user}@{domain}", settings.class_id))
        }),
    }
}

/// What AWS names a student's account.
pub(crate) fn account_name(class_id: &str, user_name: &str) -> String {
    format!("{class_id}-{user_name}")
}

pub fn class_ou_name(class_id: &str) -> String {
    format!("class-{class_id}")
}

/// The accounts-mode journals: one per class and one for the ready pool.
pub(crate) fn journal_path(name: &str) -> Result<PathBuf> {
    Ok(crate::app_data::data_dir()?
        .join("classes")
        .join("accounts")
        .join(format!("{name}.json")))
}

/// Whether this class id was created in accounts mode (its journal exists),
/// so `class teardown` and `class status` need no mode flag.
pub fn is_accounts_class(class_id: &str) -> bool {
    validate_class_id(class_id).is_ok() && journal_path(class_id).is_ok_and(|p| p.exists())
}

pub(crate) fn class_journal(class_id: &str) -> Result<Journal> {
    Journal::open(&journal_path(class_id)?)
}

/// The pool's journal; its name cannot be a class id (those have no dot).
pub(crate) fn pool_journal() -> Result<Journal> {
    Journal::open(&journal_path("ready.pool")?)
}

/// The management account's clients, plus a way into member accounts.
#[derive(Clone, Debug)]
pub struct OrgClients {
    pub organizations: aws_sdk_organizations::Client,
    pub sso_admin: aws_sdk_ssoadmin::Client,
    pub identity_store: aws_sdk_identitystore::Client,
    pub service_quotas: aws_sdk_servicequotas::Client,
    /// The management account's own connection (STS, Cost Explorer, budgets).
    pub management: Connection,
}

impl OrgClients {
    /// Organizations and Service Quotas answer only in us-east-1 for the
    /// account quota; Identity Center lives in the connection's region.
    pub fn from_connection(conn: &Connection) -> Result<OrgClients> {
        let config = conn
            .sdk_config()
            .ok_or_else(|| EngineError::Internal("a connection without configuration".into()))?;
        let counter = crate::call_count::CallCounter;
        let global = aws_config::Region::new(crate::connection::DEFAULT_REGION);
        Ok(OrgClients {
            organizations: aws_sdk_organizations::Client::from_conf(
                aws_sdk_organizations::config::Builder::from(config)
                    .region(global.clone())
                    .interceptor(counter)
                    .build(),
            ),
            sso_admin: aws_sdk_ssoadmin::Client::from_conf(aws_sdk_ssoadmin::config::Builder::from(config).interceptor(counter).build()),
            identity_store: aws_sdk_identitystore::Client::from_conf(
                aws_sdk_identitystore::config::Builder::from(config).interceptor(counter).build(),
            ),
            service_quotas: aws_sdk_servicequotas::Client::from_conf(
                aws_sdk_servicequotas::config::Builder::from(config)
                    .region(global)
                    .interceptor(counter)
                    .build(),
            ),
            management: conn.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn student(user: &str, email: Option<&str>) -> Student {
        Student {
            user_name: user.into(),
            display_name: None,
            email: email.map(str::to_string),
            line: 3,
        }
    }

    #[test]
    fn account_emails_use_sub_addressing_or_the_pattern() {
        let mut settings = AccountClassSettings::preset("cs101", "teacher@school.edu");
        let students = [student("Alice", Some("alice+old@school.edu")), student("bob", Some("bob@mail.org"))];
        assert_eq!(
            settings.account_emails(&students).unwrap(),
            ["alice+cs101-alice@school.edu", "bob+cs101-bob@mail.org"]
        );
        assert_eq!(
            settings.account_emails(&[student("carol", None)]).unwrap_err(),
            (3, Invalid::AccountEmail)
        );
        settings.email_pattern = Some("teacher+CLASS-STUDENT@school.edu".into());
        assert_eq!(
            settings.account_emails(&[student("carol", None)]).unwrap(),
            ["teacher+cs101-carol@school.edu"]
        );
        let long = student(&"x".repeat(60), Some("a@b.co"));
        assert_eq!(settings.account_emails(&[long]).unwrap_err().1, Invalid::AccountEmail);
    }

    #[test]
    fn settings_are_checked_before_any_call() {
        let good = AccountClassSettings::preset("cs101", "teacher@school.edu");
        assert_eq!(good.validate(), Ok(()));
        let with = |f: &dyn Fn(&mut AccountClassSettings)| {
            let mut s = good.clone();
            f(&mut s);
            s.validate()
        };
        assert_eq!(with(&|s| s.regions = vec![]), Err(Invalid::Region));
        assert_eq!(with(&|s| s.regions = vec!["mars-1".into()]), Err(Invalid::Region));
        assert_eq!(with(&|s| s.instance_types = vec!["t3micro".into()]), Err(Invalid::InstanceType));
        assert_eq!(with(&|s| s.instance_types = vec!["T3.micro".into()]), Err(Invalid::InstanceType));
        assert_eq!(with(&|s| s.instance_types = vec!["t3.*".into()]), Ok(()));
        assert_eq!(with(&|s| s.budget_usd = "-5".into()), Err(Invalid::BudgetAmount));
        assert_eq!(with(&|s| s.instructor_email = "nope".into()), Err(Invalid::Email));
        assert_eq!(with(&|s| s.email_pattern = Some("t@school.edu".into())), Err(Invalid::EmailPattern));
        assert_eq!(with(&|s| s.concurrency = 0), Err(Invalid::Concurrency));
        assert_eq!(with(&|s| s.class_id = "Bad Id".into()), Err(Invalid::ClassId));
    }
}
