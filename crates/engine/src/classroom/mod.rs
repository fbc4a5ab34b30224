//! Classroom labs: a roster becomes one IAM user per student in a class
//! group, with sign-in sheets to hand out, and all of it is removed after
//! the lab. Every resource carries the class id (as its IAM path and a tag),
//! so teardown touches that class and nothing else.

pub mod accounts;
pub mod create;
pub mod handout;
pub mod roster;
pub mod teardown;

use crate::error::{EngineError, Result};
use crate::lang::Lang;
use crate::validation::Invalid;
use create::{ClassProgress, StudentFailure};
use serde::{Deserialize, Serialize};
use std::future::Future;
use ts_rs::TS;

pub(crate) const CLASS_TAG_KEY: &str = "aws-setup-class";
pub const DEFAULT_CONCURRENCY: usize = 4;
pub(crate) const MAX_CONCURRENCY: usize = 16;

/// Class ids become an IAM path segment, a tag value, a group name and a
/// keychain account: lowercase letters, digits and hyphens, 1 to 32.
pub(crate) fn validate_class_id(id: &str) -> Result<(), Invalid> {
    let ok = (1..=32).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(Invalid::ClassId)
    }
}

pub(crate) fn validate_concurrency(n: usize) -> Result<(), Invalid> {
    if (1..=MAX_CONCURRENCY).contains(&n) {
        Ok(())
    } else {
        Err(Invalid::Concurrency)
    }
}

/// `/class/<id>/`: lets ListUsers and ListGroups find exactly one class.
pub(crate) fn iam_path(class_id: &str) -> String {
    format!("/class/{class_id}/")
}

pub fn group_name(class_id: &str) -> String {
    format!("class-{class_id}")
}

/// The keychain entry holding one student's initial password and key, so the
/// hand-out can be written again after a retry. One entry per student keeps
/// every entry far under Windows Credential Manager's 2,560-byte limit.
pub(crate) fn student_account(class_id: &str, user_name: &str) -> String {
    format!("class/{class_id}/{user_name}")
}

/// Where earlier versions kept a whole class in one entry; teardown removes it.
pub(crate) fn legacy_class_account(class_id: &str) -> String {
    format!("class/{class_id}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "preset", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum PolicyPreset {
    ReadOnly,
    PowerUser,
    /// A lab-specific list of AWS managed policy ARNs.
    Custom {
        policy_arns: Vec<String>,
    },
}

impl PolicyPreset {
    pub fn policy_arns(&self) -> Vec<String> {
        match self {
            PolicyPreset::ReadOnly => vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
            PolicyPreset::PowerUser => vec!["arn:aws:iam::aws:policy/PowerUserAccess".into()],
            PolicyPreset::Custom { policy_arns } => policy_arns.clone(),
        }
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let arns = self.policy_arns();
        let ok = !arns.is_empty()
            && arns.len() <= 9
            && arns
                .iter()
                .all(|arn| arn.starts_with("arn:aws:iam::") && arn.contains(":policy/") && !arn.contains(char::is_whitespace));
        if ok {
            Ok(())
        } else {
            Err(Invalid::PolicyArn)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct ClassSettings {
    pub class_id: String,
    pub policy: PolicyPreset,
    pub access_keys: bool,
    pub concurrency: u32,
}

impl ClassSettings {
    pub fn validate(&self) -> Result<(), Invalid> {
        validate_class_id(&self.class_id)?;
        self.policy.validate()?;
        validate_concurrency(self.concurrency as usize)
    }
}

/// Runs `work` for every student with at most `concurrency` at once, started
/// in roster order (so a rerun meets the students in the order the first run
/// did, and student01 is never left waiting behind student30). One student's
/// failure never stops the others: it is collected, localized, and counted in
/// the progress reported after each student.
pub(crate) async fn for_each_student<T, F, Fut>(
    user_names: Vec<String>,
    concurrency: usize,
    lang: Lang,
    progress: &(dyn Fn(ClassProgress) + Send + Sync),
    work: F,
) -> Result<(Vec<(String, T)>, Vec<StudentFailure>)>
where
    T: Send + 'static,
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T>> + Send + 'static,
{
    let total = user_names.len() as u32;
    let mut waiting = user_names.into_iter();
    let mut running = tokio::task::JoinSet::new();
    let (mut done, mut failed) = (Vec::new(), Vec::new());
    loop {
        // A student starts only when one before it has finished: spawning all
        // of them behind a semaphore would let the runtime pick the order.
        while running.len() < concurrency.max(1) {
            let Some(user_name) = waiting.next() else { break };
            let job = work(user_name.clone());
            running.spawn(async move { (user_name, job.await) });
        }
        let Some(joined) = running.join_next().await else { break };
        match joined.map_err(|e| EngineError::Internal(e.to_string()))? {
            (user_name, Ok(value)) => done.push((user_name, value)),
            (user_name, Err(err)) => failed.push(StudentFailure {
                user_name,
                error: err.to_ui(lang),
            }),
        }
        let (d, f) = (done.len() as u32, failed.len() as u32);
        progress(ClassProgress {
            done: d,
            failed: f,
            remaining: total - d - f,
        });
    }
    failed.sort_by(|a, b| a.user_name.cmp(&b.user_name));
    Ok((done, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With one at a time, students start in roster order, on a
    /// multi-threaded runtime too (where spawned tasks race); never more than
    /// `concurrency` run at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 8)]
    async fn students_start_in_roster_order_and_at_most_concurrency_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Mutex;
        for concurrency in [1, 3] {
            let names: Vec<String> = (1..=200).map(|i| format!("student{i:03}")).collect();
            let started = std::sync::Arc::new(Mutex::new(Vec::new()));
            let (now, most) = (std::sync::Arc::new(AtomicUsize::new(0)), std::sync::Arc::new(AtomicUsize::new(0)));
            let reports = Mutex::new(Vec::new());
            let progress = |p: ClassProgress| reports.lock().unwrap().push(p.remaining);
            let (done, failed) = for_each_student(names.clone(), concurrency, Lang::En, &progress, |name| {
                let (started, now, most) = (started.clone(), now.clone(), most.clone());
                async move {
                    started.lock().unwrap().push(name.clone());
                    let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(at_once, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    now.fetch_sub(1, Ordering::SeqCst);
                    if name == "student005" {
                        Err(EngineError::Unavailable)
                    } else {
                        Ok(())
                    }
                }
            })
            .await
            .unwrap();
            if concurrency == 1 {
                assert_eq!(*started.lock().unwrap(), names);
            }
            // Never more than allowed; and with room for three, students do
            // overlap (each takes a millisecond, the next starts in microseconds).
            let most = most.load(Ordering::SeqCst);
            assert!(most <= concurrency && (concurrency == 1 || most > 1), "{most} at once");
            assert_eq!((done.len(), failed.len()), (199, 1));
            assert_eq!(failed[0].user_name, "student005");
            assert_eq!(*reports.lock().unwrap(), (0..200).rev().collect::<Vec<u32>>());
        }
    }

    #[test]
    fn class_ids_and_concurrency_are_checked() {
        for good in ["cs101", "2026-spring", "a"] {
            assert_eq!(validate_class_id(good), Ok(()));
        }
        for bad in ["", "CS101", "cs_101", "-cs", "cs-", "cs 101", &"c".repeat(33), "반"] {
            assert_eq!(validate_class_id(bad), Err(Invalid::ClassId), "{bad:?}");
        }
        assert!(validate_concurrency(1).is_ok() && validate_concurrency(16).is_ok());
        assert!(validate_concurrency(0).is_err() && validate_concurrency(17).is_err());
    }

    #[test]
    fn policy_presets_name_managed_policies() {
        assert_eq!(PolicyPreset::ReadOnly.policy_arns(), ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        assert!(PolicyPreset::Custom { policy_arns: vec![] }.validate().is_err());
        assert!(PolicyPreset::Custom {
            policy_arns: vec!["not-an-arn".into()]
        }
        .validate()
        .is_err());
    }
}
