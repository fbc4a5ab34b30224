//! The walkthrough as the sidebar shows it: every step in order, and its state.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The steps in walkthrough order. The names match the engine's step modules,
/// the CLI's words and the UI's screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum StepId {
    AccountSignup,
    RootMfa,
    Identity,
    Alias,
    AdminUser,
    UserMfa,
    BillingAccess,
    AccessKey,
    Handoff,
    BootstrapCleanup,
    Checkup,
}

impl StepId {
    pub const ALL: [StepId; 11] = [
        StepId::AccountSignup,
        StepId::RootMfa,
        StepId::Identity,
        StepId::Alias,
        StepId::AdminUser,
        StepId::UserMfa,
        StepId::BillingAccess,
        StepId::AccessKey,
        StepId::Handoff,
        StepId::BootstrapCleanup,
        StepId::Checkup,
    ];

    /// AWS allows these only in the web console; the app guides and, where it
    /// can, verifies them afterwards.
    pub(crate) fn is_console_only(self) -> bool {
        matches!(self, StepId::AccountSignup | StepId::RootMfa | StepId::BillingAccess)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StepId::AccountSignup => "account_signup",
            StepId::RootMfa => "root_mfa",
            StepId::Identity => "identity",
            StepId::Alias => "alias",
            StepId::AdminUser => "admin_user",
            StepId::UserMfa => "user_mfa",
            StepId::BillingAccess => "billing_access",
            StepId::AccessKey => "access_key",
            StepId::Handoff => "handoff",
            StepId::BootstrapCleanup => "bootstrap_cleanup",
            StepId::Checkup => "checkup",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum StepState {
    Todo,
    /// Waiting on the user: a console-only action, or a confirmation.
    NeedsYou,
    /// Done. `verified` says whether an AWS call confirmed it.
    Done {
        verified: bool,
    },
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct StepView {
    pub id: StepId,
    pub console_only: bool,
    pub state: StepState,
}
