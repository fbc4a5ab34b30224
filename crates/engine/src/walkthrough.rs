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

    /// The step's title as its screen shows it, from the window's catalogue.
    pub fn title(self, lang: crate::Lang) -> String {
        crate::catalogue::text(lang, &format!("steps.{}", self.as_str()), &[])
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

/// What only the user can do, in the AWS console, and confirm here: the
/// console-only steps, and signing in once as the admin user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum ConsoleTask {
    AccountSignup,
    RootMfa,
    BillingAccess,
    AdminSignIn,
}

impl ConsoleTask {
    pub fn step(self) -> StepId {
        match self {
            ConsoleTask::AccountSignup => StepId::AccountSignup,
            ConsoleTask::RootMfa => StepId::RootMfa,
            ConsoleTask::BillingAccess => StepId::BillingAccess,
            ConsoleTask::AdminSignIn => StepId::BootstrapCleanup,
        }
    }

    /// What to do, in a line: the screen's title and the console action.
    pub fn describe(self, lang: crate::Lang) -> String {
        let title = self.step().title(lang);
        match self {
            ConsoleTask::AccountSignup => lang.pick(
                format!("{title}: 가입을 5단계까지 마치고 활성화 메일을 받으세요."),
                format!("{title}: finish all 5 signup steps and wait for the activation email."),
            ),
            ConsoleTask::RootMfa => lang.pick(
                format!("{title}: 루트 사용자로 로그인해 보안 자격 증명 → MFA 할당에서 인증 앱을 등록하세요."),
                format!("{title}: sign in as the root user, open Security credentials → Assign MFA device, and add an authenticator app."),
            ),
            ConsoleTask::BillingAccess => lang.pick(
                format!("{title}: 루트 사용자로 계정 설정에서 'IAM 사용자 및 역할의 결제 정보 액세스'를 활성화하세요."),
                format!("{title}: as the root user, in Account settings, activate 'IAM user and role access to Billing information'."),
            ),
            ConsoleTask::AdminSignIn => lang.pick(
                "관리자 사용자로 콘솔에 한 번 로그인해 보세요(별칭이 든 로그인 URL, 사용자 이름, 암호, MFA 코드).".into(),
                "Sign in to the console once as the admin user (the sign-in URL with your alias, the user name, the password, an MFA code).".into(),
            ),
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
