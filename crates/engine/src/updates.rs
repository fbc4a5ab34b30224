//! When the app may look for an update and when it may install one. The
//! checking, downloading and signature verification are tauri-plugin-updater's
//! (in the GUI, `src-tauri/src/updates.rs`); the rules are here, pure and tested:
//! - it looks at most once a day (the last look is kept in the settings);
//! - it never looks, offers or installs while a walkthrough step is open:
//!   a restart in the middle of a step would lose what the step holds in
//!   memory, such as a secret AWS shows only once;
//! - it installs only after the person said yes to the offer.

use crate::app_data::Settings;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One day, in seconds.
pub const CHECK_INTERVAL_SECS: u64 = 24 * 60 * 60;

/// Where the person is when the window asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum Moment {
    /// The welcome page, the summary or an extra: no step is open.
    BetweenSteps,
    /// A walkthrough step is on screen.
    InStep,
}

/// What a check found, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "update", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum UpdateOffer {
    /// Nothing newer, or the check did not run (too soon, in a step, offline).
    None,
    /// A newer version; installing it waits for the person's yes.
    Available { version: String, notes: Option<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckDecision {
    Check,
    /// Looked less than a day ago.
    TooSoon,
    InStep,
}

/// Whether to look now. A clock that went backwards counts as "looked just now".
pub fn may_check(last_check: Option<u64>, now: u64, moment: Moment) -> CheckDecision {
    if moment == Moment::InStep {
        return CheckDecision::InStep;
    }
    match last_check {
        Some(last) if now < last.saturating_add(CHECK_INTERVAL_SECS) => CheckDecision::TooSoon,
        _ => CheckDecision::Check,
    }
}

/// Whether to install now: only with the person's yes, and never in a step.
pub fn may_install(said_yes: bool, moment: Moment) -> bool {
    said_yes && moment == Moment::BetweenSteps
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Applies [`may_check`] to the saved settings and, when the answer is to
/// look, records this look first, so a failing check is not retried all day.
pub fn begin_check(moment: Moment, now: u64) -> CheckDecision {
    let mut settings = Settings::load();
    let decision = may_check(settings.last_update_check, now, moment);
    if decision == CheckDecision::Check {
        settings.last_update_check = Some(now);
        if let Err(err) = settings.save() {
            tracing::warn!("could not record the update check: {err}");
        }
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = CHECK_INTERVAL_SECS;
    const T: u64 = 1_800_000_000;

    #[test]
    fn the_first_check_runs_between_steps() {
        assert_eq!(may_check(None, T, Moment::BetweenSteps), CheckDecision::Check);
    }

    #[test]
    fn at_most_once_a_day() {
        assert_eq!(may_check(Some(T), T + 60, Moment::BetweenSteps), CheckDecision::TooSoon);
        assert_eq!(may_check(Some(T), T + DAY - 1, Moment::BetweenSteps), CheckDecision::TooSoon);
        assert_eq!(may_check(Some(T), T + DAY, Moment::BetweenSteps), CheckDecision::Check);
    }

    #[test]
    fn a_clock_that_went_back_does_not_check_again() {
        assert_eq!(may_check(Some(T), T - 3600, Moment::BetweenSteps), CheckDecision::TooSoon);
        assert_eq!(may_check(Some(u64::MAX), T, Moment::BetweenSteps), CheckDecision::TooSoon);
    }

    #[test]
    fn never_during_a_step() {
        assert_eq!(may_check(None, T, Moment::InStep), CheckDecision::InStep);
        assert_eq!(may_check(Some(T - 2 * DAY), T, Moment::InStep), CheckDecision::InStep);
        assert!(!may_install(true, Moment::InStep));
    }

    #[test]
    fn installs_only_after_a_yes() {
        assert!(!may_install(false, Moment::BetweenSteps));
        assert!(may_install(true, Moment::BetweenSteps));
    }

    #[test]
    fn the_offer_crosses_ipc_tagged() {
        let offer = UpdateOffer::Available {
            version: "0.2.0".into(),
            notes: None,
        };
        assert_eq!(
            serde_json::to_value(offer).unwrap(),
            serde_json::json!({"update": "available", "version": "0.2.0", "notes": null})
        );
        assert_eq!(
            serde_json::to_value(UpdateOffer::None).unwrap(),
            serde_json::json!({"update": "none"})
        );
        assert_eq!(serde_json::to_value(Moment::InStep).unwrap(), serde_json::json!("in_step"));
    }
}
