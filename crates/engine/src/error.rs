//! Typed errors with stable codes. The UI and the CLI branch on `code()`; the
//! text comes from `message(lang)`. Nothing here ever carries a secret: the
//! variants hold only names, ids, AWS error codes and permission names.

use crate::lang::Lang;
use crate::validation::Invalid;
use crate::walkthrough::StepId;
use serde::Serialize;
use ts_rs::TS;

/// Declares the error codes once: the Rust enum, its string form, and (through
/// ts-rs) the TypeScript union the window branches on.
macro_rules! error_codes {
    ($($variant:ident = $code:literal,)*) => {
        /// Every stable error code. Never change one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
        #[ts(export_to = "ipc.ts")]
        pub enum ErrorCode {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)*
                }
            }
        }
    };
}

error_codes! {
    ValidationAliasLength = "validation.alias_length",
    ValidationAliasCharacters = "validation.alias_characters",
    ValidationAliasAllDigits = "validation.alias_all_digits",
    ValidationAliasHyphens = "validation.alias_hyphens",
    ValidationUserNameLength = "validation.user_name_length",
    ValidationUserNameCharacters = "validation.user_name_characters",
    ValidationPasswordLength = "validation.password_length",
    ValidationPasswordComma = "validation.password_comma",
    ValidationPasswordControlCharacter = "validation.password_control_character",
    ValidationPasswordPolicy = "validation.password_policy",
    ValidationMfaCodeFormat = "validation.mfa_code_format",
    ValidationMfaCodesSame = "validation.mfa_codes_same",
    ValidationMfaCodesNotConsecutive = "validation.mfa_codes_not_consecutive",
    ValidationMfaCodeClockSkew = "validation.mfa_code_clock_skew",
    ValidationMfaCodesExpired = "validation.mfa_codes_expired",
    ValidationMfaCodeWrong = "validation.mfa_code_wrong",
    ValidationMfaSeedFormat = "validation.mfa_seed_format",
    ValidationMfaDeviceName = "validation.mfa_device_name",
    ValidationDescriptionLength = "validation.description_length",
    ValidationDescriptionCharacters = "validation.description_characters",
    ValidationAccessKeyIdFormat = "validation.access_key_id_format",
    ValidationSecretKeyFormat = "validation.secret_key_format",
    ValidationProfileName = "validation.profile_name",
    ValidationRegion = "validation.region",
    ValidationClassId = "validation.class_id",
    ValidationConcurrency = "validation.concurrency",
    ValidationPolicyArn = "validation.policy_arn",
    ValidationEmail = "validation.email",
    ValidationDisplayName = "validation.display_name",
    ValidationRosterEmpty = "validation.roster_empty",
    ValidationRosterTooManyFields = "validation.roster_too_many_fields",
    ValidationRosterDuplicate = "validation.roster_duplicate",
    ValidationBudgetAmount = "validation.budget_amount",
    ValidationContactName = "validation.contact_name",
    ValidationContactTitle = "validation.contact_title",
    ValidationInstanceType = "validation.instance_type",
    ValidationEmailPattern = "validation.email_pattern",
    ValidationAccountEmail = "validation.account_email",
    ValidationContactPhone = "validation.contact_phone",
    ValidationRosterUnreadable = "validation.roster_unreadable",
    ValidationExportPath = "validation.export_path",
    ValidationSessionLength = "validation.session_length",
    ValidationNoKeyToExport = "validation.no_key_to_export",
    NoCredentials = "identity.no_credentials",
    ProfileNotFound = "identity.profile_not_found",
    ProfileExists = "aws_cli.profile_exists",
    SignInExpired = "identity.sign_in_expired",
    AwsLoginUnavailable = "aws_cli.login_unavailable",
    AwsLoginFailed = "aws_cli.login_failed",
    AwsLoginCancelled = "aws_cli.login_cancelled",
    MfaCodeRejected = "mfa_session.code_rejected",
    MfaCodeNeeded = "mfa_session.code_needed",
    InvalidCredentials = "aws.invalid_credentials",
    AccessDenied = "aws.access_denied",
    Network = "aws.network",
    Throttled = "aws.throttled",
    Unavailable = "aws.unavailable",
    AwsUnexpected = "aws.unexpected",
    KeychainUnavailable = "keychain.unavailable",
    KeychainNoAnswer = "keychain.no_answer",
    StorePassphraseMissing = "keychain.file_store_passphrase_missing",
    StorePassphraseWrong = "keychain.file_store_passphrase_wrong",
    NeedsEarlierStep = "flow.needs_earlier_step",
    FileExists = "file.exists",
    FilePermissionDenied = "file.permission_denied",
    FileNotFound = "file.not_found",
    FileIo = "file.io",
    JournalCorrupt = "journal.corrupt",
    JournalWrongAccount = "journal.wrong_account",
    JournalBusy = "journal.busy",
    TemporaryKeyNotDeleted = "identity.temporary_key_not_deleted",
    TemporaryKeyOfOurUser = "identity.temporary_key_is_ours",
    TeardownOwnUser = "teardown.own_user",
    AdminHasNoMfa = "cleanup.admin_has_no_mfa",
    AdminSignInNotConfirmed = "cleanup.admin_sign_in_not_confirmed",
    SecretAlreadyShown = "access_key.secret_already_shown",
    NameTaken = "iam.name_taken",
    // Classroom accounts mode (classroom/accounts/errors.rs).
    ClassAccountQuota = "classroom.account_quota",
    ClassAccountQuotaUnknown = "classroom.account_quota_unknown",
    ClassNotManagementAccount = "classroom.not_management_account",
    ClassOrganizationNotAllFeatures = "classroom.organization_not_all_features",
    ClassIdentityCenterNotEnabled = "classroom.identity_center_not_enabled",
    ClassAccountCreationFailed = "classroom.account_creation_failed",
    ClassAccountEmailTaken = "classroom.account_email_taken",
    PartnerSecretsMissing = "partner.secrets_missing",
    Internal = "internal",
    UiUnexpected = "ui.unexpected",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// What the window offers beside an error, decided here so the UI never
/// reads meaning into a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum NextAction {
    /// Connect with other credentials.
    Connect,
    /// Go to the step that must be finished first.
    GoToStep { step: StepId },
    /// Ask the user whether something of theirs may be replaced, then try again.
    ConfirmReplace,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("invalid input: {0:?}")]
    Invalid(#[from] Invalid),
    #[error("no AWS credentials were found")]
    NoCredentials,
    #[error("the AWS profile {0:?} does not exist")]
    ProfileNotFound(String),
    #[error("the console sign-in session of profile {0:?} has ended")]
    SignInExpired(String),
    #[error("console sign-in needs the AWS CLI 2.32 or later (found {0:?})")]
    AwsLoginUnavailable(Option<String>),
    #[error("aws login did not finish: {0}")]
    AwsLoginFailed(String),
    #[error("the console sign-in was cancelled")]
    AwsLoginCancelled,
    #[error("AWS refused the MFA code for profile {0:?}")]
    MfaCodeRejected(String),
    #[error("profile {0:?} needs an MFA code and there is no terminal or window to ask in")]
    MfaCodeNeeded(String),
    #[error("the access key is wrong or not active yet")]
    InvalidCredentials,
    #[error("access denied{}", .action.as_deref().map(|a| format!(" for {a}")).unwrap_or_default())]
    AccessDenied { action: Option<String> },
    #[error("AWS could not be reached")]
    Network,
    #[error("AWS is throttling requests")]
    Throttled,
    #[error("AWS had a temporary failure")]
    Unavailable,
    #[error("AWS refused the request with {code}")]
    Aws { code: String, operation: &'static str },
    #[error("the OS keychain is unavailable: {0}")]
    KeychainUnavailable(String),
    #[error("the OS keychain did not answer within {0} s")]
    KeychainNoAnswer(u64),
    #[error("the file store was chosen but AWS_SETUP_STORE_PASSPHRASE is not set")]
    StorePassphraseMissing,
    #[error("the file store could not be opened with this passphrase")]
    StorePassphraseWrong,
    #[error("the step needs an earlier step first: {0:?}")]
    NeedsEarlierStep(StepId),
    #[error("file error at {path}: {kind}")]
    File { path: String, kind: FileProblem },
    #[error("the journal at {0} cannot be read")]
    JournalCorrupt(String),
    #[error("the journal belongs to account {journal_account}, the caller is in {caller_account}")]
    WrongAccount { journal_account: String, caller_account: String },
    #[error("another process holds the journal at {0}")]
    JournalBusy(String),
    #[error("the temporary key {0} from earlier is not deleted yet")]
    TemporaryKeyNotDeleted(String),
    #[error("the key marked temporary belongs to {0}, a user this app created")]
    TemporaryKeyOfOurUser(String),
    #[error("the AWS CLI profile {profile} exists in {path} and is not the app's")]
    ProfileExists { profile: String, path: String },
    #[error("the admin user {0} has no MFA device yet")]
    AdminHasNoMfa(String),
    #[error("signing in to the console as the admin user is not confirmed yet")]
    AdminSignInNotConfirmed,
    #[error("teardown would delete the user {0} whose key it runs with")]
    TeardownOwnUser(String),
    #[error("the IAM user {0} exists and does not belong to this class")]
    NameTakenByOther(String),
    #[error("the partner user {0}'s secrets are not in the keychain")]
    PartnerSecretsMissing(String),
    #[error("the new secret was shown already")]
    SecretAlreadyShown,
    #[error("internal error: {0}")]
    Internal(String),
    /// Classroom accounts mode: its own codes and messages.
    #[error(transparent)]
    Accounts(#[from] crate::classroom::accounts::errors::AccountsError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    AlreadyExists,
    PermissionDenied,
    NotFound,
    Other,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileProblem::AlreadyExists => "already exists",
            FileProblem::PermissionDenied => "permission denied",
            FileProblem::NotFound => "not found",
            FileProblem::Other => "i/o error",
        })
    }
}

impl EngineError {
    pub fn file(path: &std::path::Path, err: &std::io::Error) -> EngineError {
        let kind = match err.kind() {
            std::io::ErrorKind::AlreadyExists => FileProblem::AlreadyExists,
            std::io::ErrorKind::PermissionDenied => FileProblem::PermissionDenied,
            std::io::ErrorKind::NotFound => FileProblem::NotFound,
            _ => FileProblem::Other,
        };
        EngineError::File {
            path: path.display().to_string(),
            kind,
        }
    }

    /// A stable identifier the UI and scripts may branch on. Never change one.
    pub fn code(&self) -> ErrorCode {
        match self {
            EngineError::Invalid(invalid) => invalid.code(),
            EngineError::NoCredentials => ErrorCode::NoCredentials,
            EngineError::ProfileNotFound(_) => ErrorCode::ProfileNotFound,
            EngineError::SignInExpired(_) => ErrorCode::SignInExpired,
            EngineError::AwsLoginUnavailable(_) => ErrorCode::AwsLoginUnavailable,
            EngineError::AwsLoginFailed(_) => ErrorCode::AwsLoginFailed,
            EngineError::AwsLoginCancelled => ErrorCode::AwsLoginCancelled,
            EngineError::MfaCodeRejected(_) => ErrorCode::MfaCodeRejected,
            EngineError::MfaCodeNeeded(_) => ErrorCode::MfaCodeNeeded,
            EngineError::ProfileExists { .. } => ErrorCode::ProfileExists,
            EngineError::InvalidCredentials => ErrorCode::InvalidCredentials,
            EngineError::AccessDenied { .. } => ErrorCode::AccessDenied,
            EngineError::Network => ErrorCode::Network,
            EngineError::Throttled => ErrorCode::Throttled,
            EngineError::Unavailable => ErrorCode::Unavailable,
            EngineError::Aws { .. } => ErrorCode::AwsUnexpected,
            EngineError::KeychainUnavailable(_) => ErrorCode::KeychainUnavailable,
            EngineError::KeychainNoAnswer(_) => ErrorCode::KeychainNoAnswer,
            EngineError::StorePassphraseMissing => ErrorCode::StorePassphraseMissing,
            EngineError::StorePassphraseWrong => ErrorCode::StorePassphraseWrong,
            EngineError::NeedsEarlierStep(_) => ErrorCode::NeedsEarlierStep,
            EngineError::File { kind, .. } => match kind {
                FileProblem::AlreadyExists => ErrorCode::FileExists,
                FileProblem::PermissionDenied => ErrorCode::FilePermissionDenied,
                FileProblem::NotFound => ErrorCode::FileNotFound,
                FileProblem::Other => ErrorCode::FileIo,
            },
            EngineError::JournalCorrupt(_) => ErrorCode::JournalCorrupt,
            EngineError::WrongAccount { .. } => ErrorCode::JournalWrongAccount,
            EngineError::JournalBusy(_) => ErrorCode::JournalBusy,
            EngineError::TemporaryKeyNotDeleted(_) => ErrorCode::TemporaryKeyNotDeleted,
            EngineError::TemporaryKeyOfOurUser(_) => ErrorCode::TemporaryKeyOfOurUser,
            EngineError::TeardownOwnUser(_) => ErrorCode::TeardownOwnUser,
            EngineError::AdminHasNoMfa(_) => ErrorCode::AdminHasNoMfa,
            EngineError::AdminSignInNotConfirmed => ErrorCode::AdminSignInNotConfirmed,
            EngineError::SecretAlreadyShown => ErrorCode::SecretAlreadyShown,
            EngineError::NameTakenByOther(_) => ErrorCode::NameTaken,
            EngineError::PartnerSecretsMissing(_) => ErrorCode::PartnerSecretsMissing,
            EngineError::Internal(_) => ErrorCode::Internal,
            EngineError::Accounts(e) => e.code(),
        }
    }

    /// The button the window shows beside the message, if any.
    pub(crate) fn next_action(&self) -> Option<NextAction> {
        match self {
            EngineError::NoCredentials
            | EngineError::InvalidCredentials
            | EngineError::AccessDenied { .. }
            | EngineError::ProfileNotFound(_)
            | EngineError::SignInExpired(_)
            | EngineError::AwsLoginFailed(_) => Some(NextAction::Connect),
            EngineError::NeedsEarlierStep(step) => Some(NextAction::GoToStep { step: *step }),
            EngineError::AdminHasNoMfa(_) => Some(NextAction::GoToStep { step: StepId::UserMfa }),
            EngineError::ProfileExists { .. } => Some(NextAction::ConfirmReplace),
            _ => None,
        }
    }

    /// Whether trying again later can succeed with nothing changed by the user.
    pub fn is_retryable(&self) -> bool {
        matches!(self, EngineError::Network | EngineError::Throttled | EngineError::Unavailable)
    }

    /// Plain words for a beginner, with the next action.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            EngineError::Invalid(invalid) => invalid.message(lang),
            EngineError::NoCredentials => lang.pick(
                "아직 연결되지 않았습니다. 액세스 키를 붙여 넣거나 AWS CLI 프로필을 선택하세요.".into(),
                "Not connected yet. Paste an access key or pick an AWS CLI profile.".into(),
            ),
            EngineError::ProfileNotFound(name) => lang.pick(
                format!("AWS CLI 프로필 '{name}'을(를) 찾을 수 없습니다. ~/.aws/config 의 프로필 이름을 확인하세요."),
                format!("The AWS CLI profile '{name}' was not found. Check the profile names in ~/.aws/config."),
            ),
            EngineError::SignInExpired(profile) => lang.pick(
                format!("콘솔 로그인 세션(프로필 '{profile}')이 끝났거나 취소되었습니다. 다시 로그인하세요: 연결 화면에서 '콘솔로 로그인'을 누르거나, 터미널에서 aws login --profile {profile} 을 실행하세요."),
                format!("The console sign-in session (profile '{profile}') has ended or was revoked. Sign in again: press 'Sign in with the console' on the Connect screen, or run aws login --profile {profile} in a terminal."),
            ),
            EngineError::AwsLoginUnavailable(found) => {
                let found = found.clone().unwrap_or_else(|| lang.pick("없음".into(), "none".into()));
                lang.pick(
                    format!("콘솔 로그인에는 AWS CLI 2.32 이상이 필요합니다(이 컴퓨터: {found}). '액세스 키' 화면의 안내대로 AWS CLI를 설치하거나 업데이트한 뒤 다시 누르세요. 지금 바로 하려면 '고급: 임시 키 붙여 넣기'를 쓰세요."),
                    format!("Console sign-in needs the AWS CLI 2.32 or later (this computer has: {found}). Install or update the AWS CLI as the Access key screen shows, then press it again. To go on now, use 'Advanced: paste a temporary key'."),
                )
            }
            EngineError::AwsLoginFailed(said) => lang.pick(
                format!("콘솔 로그인이 끝나지 않았습니다(aws login: {said}). 브라우저에서 로그인하고 '허용'을 눌렀는지 확인한 뒤 다시 누르세요."),
                format!("The console sign-in did not finish (aws login said: {said}). Check that you signed in and pressed 'Allow' in the browser, then press it again."),
            ),
            EngineError::AwsLoginCancelled => lang.pick(
                "콘솔 로그인을 취소했습니다. 아무것도 바뀌지 않았습니다. 준비되면 다시 누르세요.".into(),
                "The console sign-in was cancelled. Nothing was changed. Press it again when you are ready.".into(),
            ),
            EngineError::MfaCodeRejected(profile) => lang.pick(
                format!("AWS가 프로필 '{profile}'의 MFA 코드를 받아들이지 않았습니다. 인증 앱에서 관리자 사용자의 지금 코드(6자리)를 입력하세요. 코드는 30초마다 바뀌고, 한 번 쓴 코드는 다시 쓸 수 없습니다."),
                format!("AWS did not accept the MFA code for profile '{profile}'. Type the admin user's current 6-digit code from the authenticator app. Codes change every 30 seconds, and a code cannot be used twice."),
            ),
            EngineError::MfaCodeNeeded(profile) => lang.pick(
                format!("프로필 '{profile}'에 MFA 코드가 필요한데 물어볼 터미널이나 창이 없습니다. 터미널에서 aws-setup mfa-session --profile {profile} 을 실행해 세션을 시작한 뒤 다시 시도하세요."),
                format!("Profile '{profile}' needs an MFA code, and there is no terminal or window to ask for it. Run aws-setup mfa-session --profile {profile} in a terminal to start a session, then try again."),
            ),
            EngineError::InvalidCredentials => lang.pick(
                "액세스 키가 잘못되었거나 아직 활성화되지 않았습니다. 키 ID와 비밀 키를 다시 복사해 붙여 넣고, 방금 만든 키라면 몇 초 뒤에 다시 시도하세요.".into(),
                "The access key is wrong or not active yet. Copy the key id and secret again; if the key is brand new, try again in a few seconds.".into(),
            ),
            EngineError::AccessDenied { action } => match action {
                Some(action) => lang.pick(
                    format!("권한이 없습니다: 이 작업에는 '{action}' 권한이 필요합니다. 관리자(AdministratorAccess) 자격 증명으로 연결하세요."),
                    format!("Permission missing: this needs '{action}'. Connect with administrator (AdministratorAccess) credentials."),
                ),
                None => lang.pick(
                    "권한이 없습니다. 관리자(AdministratorAccess) 자격 증명으로 연결하세요.".into(),
                    "Permission missing. Connect with administrator (AdministratorAccess) credentials.".into(),
                ),
            },
            EngineError::Network => lang.pick(
                "AWS에 연결할 수 없습니다. 인터넷 연결을 확인하고 다시 시도하세요. 진행 상태는 저장되어 있습니다.".into(),
                "AWS could not be reached. Check your internet connection and try again; your progress is saved.".into(),
            ),
            EngineError::Throttled => lang.pick(
                "AWS가 요청을 잠시 제한하고 있습니다. 잠시 후 다시 시도하세요. 진행 상태는 저장되어 있습니다.".into(),
                "AWS is limiting requests for a moment. Try again shortly; your progress is saved.".into(),
            ),
            EngineError::Unavailable => lang.pick(
                "AWS에 잠시 문제가 생겼습니다. 잠시 후 다시 시도하세요. 진행 상태는 저장되어 있고, 다시 시도해도 중복으로 만들어지지 않습니다.".into(),
                "AWS had a temporary problem. Try again in a moment: your progress is saved, and trying again creates nothing twice.".into(),
            ),
            EngineError::Aws { code, operation } => lang.pick(
                format!("AWS가 {operation} 요청을 거부했습니다 ({code}). 진행 상태는 저장되어 있으니 다시 시도할 수 있습니다."),
                format!("AWS refused {operation} ({code}). Your progress is saved, so you can try again."),
            ),
            EngineError::KeychainUnavailable(_) => lang.pick(
                "운영체제 키체인을 쓸 수 없습니다(Secret Service가 없거나 잠겨 있습니다). 키체인(예: gnome-keyring)을 설치하거나 잠금을 푼 뒤 다시 시도하세요. 키체인이 없는 컴퓨터라면 암호로 잠근 파일 저장소를 고를 수 있습니다: aws-setup --store file, 암호는 AWS_SETUP_STORE_PASSPHRASE 환경 변수로.".into(),
                "The OS keychain is not available (no Secret Service is running, or it is locked). Install or unlock one, for example gnome-keyring, and try again. On a computer with no keychain, choose the passphrase-locked file store: aws-setup --store file, with the passphrase in AWS_SETUP_STORE_PASSPHRASE.".into(),
            ),
            EngineError::StorePassphraseMissing => lang.pick(
                "암호로 잠근 파일 저장소를 골랐지만 암호가 없습니다. AWS_SETUP_STORE_PASSPHRASE 환경 변수에 암호를 넣고 다시 실행하세요.".into(),
                "The passphrase-locked file store was chosen, but no passphrase was given. Put it in the AWS_SETUP_STORE_PASSPHRASE environment variable and run again.".into(),
            ),
            EngineError::StorePassphraseWrong => lang.pick(
                "파일 저장소를 이 암호로 열 수 없습니다. AWS_SETUP_STORE_PASSPHRASE 의 암호를 확인하세요.".into(),
                "The file store cannot be opened with this passphrase. Check the passphrase in AWS_SETUP_STORE_PASSPHRASE.".into(),
            ),
            EngineError::KeychainNoAnswer(seconds) => lang.pick(
                format!("운영체제 키체인이 {seconds}초 안에 답하지 않았습니다. 잠겨 있을 수 있습니다. 데스크톱에 로그인하거나 키체인(예: gnome-keyring)의 잠금을 푼 뒤 AWS 명령을 다시 실행하세요."),
                format!("The OS keychain did not answer within {seconds} seconds: it may be locked. Log in to the desktop or unlock the keychain (for example gnome-keyring), then run the AWS command again."),
            ),
            // Named by the screen's title, never the step's internal id.
            EngineError::NeedsEarlierStep(step) => lang.pick(
                format!("먼저 '{}' 단계를 끝내세요. 아래 버튼을 누르면 그 화면으로 갑니다.", step.title(lang)),
                format!("Finish the '{}' step first. The button below takes you there.", step.title(lang)),
            ),
            EngineError::AdminHasNoMfa(user) => lang.pick(
                format!("관리자 사용자 {user}에게 아직 MFA가 없습니다. 임시 키를 지우면 MFA를 켤 방법이 없어지므로, 먼저 '관리자 사용자 MFA' 화면에서 MFA를 켜세요."),
                format!("The admin user {user} has no MFA yet. Once the temporary key is deleted nothing could turn it on, so turn MFA on first on the 'Admin user MFA' screen."),
            ),
            EngineError::AdminSignInNotConfirmed => lang.pick(
                "임시 키를 지우기 전에, 관리자 사용자로 콘솔에 한 번 로그인해 보고(별칭이 든 로그인 URL, 사용자 이름, 암호, MFA 코드) 로그인했다고 확인해 주세요.".into(),
                "Before the temporary key is deleted, sign in to the console once as the admin user (the sign-in URL with your alias, the user name, the password and an MFA code), then confirm that you did.".into(),
            ),
            EngineError::File { path, kind } => match kind {
                FileProblem::AlreadyExists => lang.pick(
                    format!("파일 {path} 이(가) 이미 있습니다. 다른 이름을 고르거나 덮어쓰기를 선택하세요."),
                    format!("The file {path} already exists. Choose another name or confirm overwriting."),
                ),
                FileProblem::PermissionDenied => lang.pick(
                    format!("{path} 에 쓸 권한이 없습니다. 다른 폴더를 고르세요."),
                    format!("No permission to write {path}. Choose another folder."),
                ),
                FileProblem::NotFound => lang.pick(
                    format!("{path} 을(를) 찾을 수 없습니다."),
                    format!("{path} was not found."),
                ),
                FileProblem::Other => lang.pick(
                    format!("{path} 을(를) 읽거나 쓰지 못했습니다."),
                    format!("{path} could not be read or written."),
                ),
            },
            EngineError::JournalCorrupt(path) => lang.pick(
                format!("진행 기록({path})을 읽을 수 없습니다. 파일을 옮기거나 지운 뒤 다시 시작하세요."),
                format!("The progress journal ({path}) cannot be read. Move or delete it and start again."),
            ),
            EngineError::WrongAccount {
                journal_account,
                caller_account,
            } => lang.pick(
                format!(
                    "이 컴퓨터의 진행 기록은 AWS 계정 {journal_account}의 것인데, 지금 자격 증명은 계정 {caller_account}의 것입니다. 아무것도 바꾸지 않았습니다. \
                     계속하거나 되돌리려면 계정 {journal_account}의 자격 증명으로 연결하세요. 계정 {caller_account}로 새로 시작하려면 먼저 계정 {journal_account}의 자격 증명으로 되돌리기(teardown)를 하세요."
                ),
                format!(
                    "The progress on this computer belongs to AWS account {journal_account}, but the credentials in use are for account {caller_account}. Nothing was changed. \
                     To continue or undo, connect with account {journal_account}'s credentials. To start over with account {caller_account}, first undo (teardown) with account {journal_account}'s credentials."
                ),
            ),
            EngineError::JournalBusy(path) => lang.pick(
                format!("다른 AWS 설정 마법사 창이나 aws-setup 명령이 이 계정의 작업을 하고 있습니다({path}). 그 작업을 끝내거나 창을 닫은 뒤 다시 시도하세요."),
                format!("Another AWS Setup Wizard window or aws-setup command is working on this account ({path}). Finish it or close that window, then try again."),
            ),
            EngineError::TemporaryKeyNotDeleted(id) => lang.pick(
                format!("전에 쓴 임시 키({id})가 아직 삭제되지 않았습니다. 그 키로 다시 연결해 정리 단계를 끝내거나, 콘솔의 '보안 자격 증명'에서 삭제하세요. 정리 단계가 삭제를 확인한 뒤에 다른 임시 키를 쓸 수 있습니다."),
                format!("The temporary key from earlier ({id}) is not deleted yet. Connect with that key again and finish the clean-up step, or delete it in the console under Security credentials. Another temporary key can be used once the clean-up step has confirmed it is gone."),
            ),
            EngineError::TemporaryKeyOfOurUser(user) => lang.pick(
                format!("임시로 표시한 키는 이 앱이 만든 사용자 {user}의 키입니다. 앱은 자기가 만든 사용자의 키를 지우지 않습니다. '임시 키' 표시를 끄거나 다른 키를 쓰세요."),
                format!("The key marked as temporary belongs to {user}, a user this app created, and the app never deletes its own user's key. Untick 'temporary', or use another key."),
            ),
            EngineError::ProfileExists { profile, path } => lang.pick(
                format!("AWS CLI 프로필 '{profile}'이(가) {path}에 이미 있고, 이 앱이 만든 것이 아닙니다. 바꾸지 않았습니다. 다른 프로필 이름을 쓰거나, 바꿔도 된다면 '기존 프로필 바꾸기'를 고르세요(CLI: --replace-profile). 바꾸기 전의 파일은 백업으로 남습니다."),
                format!("The AWS CLI profile '{profile}' already exists in {path} and was not made by this app, so it was left as it is. Use another profile name, or, if it may be changed, choose 'Replace the existing profile' (CLI: --replace-profile). The file is backed up first."),
            ),
            EngineError::TeardownOwnUser(user) => lang.pick(
                format!("지금 연결된 자격 증명이 삭제할 사용자 {user}의 것입니다. 다른 관리자 자격 증명(예: 처음 사용한 키)으로 정리를 실행하세요."),
                format!("The credentials in use belong to {user}, which teardown would delete. Run teardown with other administrator credentials (for example the key you started with)."),
            ),
            EngineError::NameTakenByOther(user) => lang.pick(
                format!("IAM 사용자 {user} 이(가) 이미 있고, 이 앱이 만든 사용자가 아닙니다. 다른 이름을 쓰세요."),
                format!("The IAM user {user} already exists and was not created by this app. Use another name."),
            ),
            EngineError::PartnerSecretsMissing(user) => lang.pick(
                format!("파트너 사용자 {user}의 암호와 키가 키체인에 없습니다. '만들기'를 다시 눌러 새로 만드세요."),
                format!("The password and key of the partner user {user} are not in the keychain. Press 'Create' again to make new ones."),
            ),
            EngineError::SecretAlreadyShown => lang.pick(
                "비밀 키는 한 번만 보여 드립니다. 이미 보셨다면 키체인에 저장되어 있으니 CSV로 내보내거나 AWS CLI 프로필로 쓰세요.".into(),
                "The secret is shown only once. It is kept in the keychain: export it to CSV or use it through the AWS CLI profile.".into(),
            ),
            EngineError::Internal(_) => lang.pick(
                "예상하지 못한 문제가 생겼습니다. 진행 상태는 저장되어 있으니 다시 시도하세요.".into(),
                "Something unexpected went wrong. Your progress is saved; try again.".into(),
            ),
            EngineError::Accounts(e) => e.message(lang),
        }
    }

    pub fn to_ui(&self, lang: Lang) -> UiError {
        UiError {
            code: self.code(),
            message: self.message(lang),
            retryable: self.is_retryable(),
            next: self.next_action(),
        }
    }
}

/// What crosses to the UI and to `--json`: a stable code and a localized message,
/// never the internal detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct UiError {
    pub code: ErrorCode,
    pub message: String,
    pub retryable: bool,
    /// The button beside the message; absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub next: Option<NextAction>,
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_error_json_shape_is_stable() {
        let json = serde_json::to_value(EngineError::Network.to_ui(Lang::En)).unwrap();
        assert_eq!(json["code"], "aws.network");
        assert_eq!(json["retryable"], true);
        assert!(json["message"].as_str().unwrap().contains("progress is saved"));
        assert_eq!(json.as_object().unwrap().len(), 3);
    }

    #[test]
    fn codes_are_unique_and_the_window_is_told_which_button_fits() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        let earlier = EngineError::NeedsEarlierStep(StepId::AccessKey).to_ui(Lang::En);
        assert_eq!(earlier.next, Some(NextAction::GoToStep { step: StepId::AccessKey }));
        let json = serde_json::to_value(EngineError::NoCredentials.to_ui(Lang::Ko)).unwrap();
        assert_eq!(json["next"]["action"], "connect");
        assert_eq!(json["code"], "identity.no_credentials");
    }

    #[test]
    fn internal_errors_do_not_leak_their_detail() {
        let err = EngineError::Internal("stack trace with /home/me/secret".into());
        for lang in [Lang::Ko, Lang::En] {
            assert!(!err.message(lang).contains("/home/me"));
        }
    }

    #[test]
    fn access_denied_names_the_missing_permission_in_both_languages() {
        let err = EngineError::AccessDenied {
            action: Some("iam:CreateUser".into()),
        };
        assert!(err.message(Lang::Ko).contains("iam:CreateUser"));
        assert!(err.message(Lang::En).contains("iam:CreateUser"));
    }
}
