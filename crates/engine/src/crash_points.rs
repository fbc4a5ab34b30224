//! Crash points: places where a process that dies leaves AWS and this
//! computer disagreeing. There is one after every AWS create and before the
//! local record of it (the keychain write, the journal write, the CSV
//! export), and one after each step's state is saved.
//!
//! They exist only in builds with the `failpoints` feature, which the test
//! harness turns on and a release build never does: without it
//! [`crash_point!`] expands to nothing and the `fail` crate is not linked.
//! The resume matrix (`tests/cli/crash_points.rs`) starts the CLI with
//! `FAILPOINTS=<name>=return`, which aborts the process at that point as a
//! SIGKILL would (no destructor runs, nothing is flushed), then runs it again
//! and compares the end state with an uninterrupted run's.

/// Every crash point, in walkthrough order. A unit test checks that this list
/// and the `crash_point!` calls in the sources are the same.
pub const ALL: &[&str] = &[
    "alias.created",
    "ownership.user_created",
    "admin_user.password_policy_set",
    "admin_user.group_created",
    "admin_user.group_policy_attached",
    "admin_user.added_to_group",
    "admin_user.user_policy_attached",
    "admin_user.password_in_keychain",
    "admin_user.login_profile_created",
    "user_mfa.device_created",
    "user_mfa.seed_in_keychain",
    "user_mfa.enabled",
    "access_key.created",
    "access_key.in_keychain",
    "access_key.recorded",
    "handoff.profile_written",
    "handoff.csv_exported",
    "bootstrap_cleanup.key_deleted",
    "walkthrough.step_saved",
];

/// Aborts the process here when `FAILPOINTS` names this point with the
/// `return` action. The abort stands in for a crash or a SIGKILL.
#[cfg(feature = "failpoints")]
macro_rules! crash_point {
    ($name:literal) => {
        fail::fail_point!($name, |_| {
            eprintln!("crash-point {}", $name);
            std::process::abort()
        })
    };
}

#[cfg(not(feature = "failpoints"))]
macro_rules! crash_point {
    ($name:literal) => {};
}

pub(crate) use crash_point;

/// Reads `FAILPOINTS` once per process. Called by every session, so the
/// window and the CLI both honour it.
pub(crate) fn init() {
    #[cfg(feature = "failpoints")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // The scenario lives as long as the process: dropping it would clear the points.
        ONCE.call_once(|| std::mem::forget(fail::FailScenario::setup()));
    }
}

#[cfg(test)]
mod tests {
    /// `ALL` lists exactly the points the sources place, each once.
    #[test]
    fn the_list_matches_the_sources() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut placed = Vec::new();
        let mut stack = vec![src];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("crash_points.rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for piece in text.split("crash_point!(\"").skip(1) {
                        placed.push(piece.split('"').next().unwrap().to_string());
                    }
                }
            }
        }
        placed.sort();
        let mut listed: Vec<String> = super::ALL.iter().map(|s| s.to_string()).collect();
        listed.sort();
        assert_eq!(placed, listed);
    }
}
