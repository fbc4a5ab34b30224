//! Everything a user can type is checked here, in Rust, before any AWS call,
//! whatever the UI already checked. Each rule has a code and a message that
//! explains the rule itself, so the user learns what to type.

use crate::error::ErrorCode;
use crate::lang::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    AliasLength,
    AliasCharacters,
    AliasAllDigits,
    AliasHyphens,
    UserNameLength,
    UserNameCharacters,
    PasswordLength,
    PasswordComma,
    PasswordControlCharacter,
    /// Names the rules of the account's password policy the password breaks.
    PasswordPolicy(Vec<PolicyRule>),
    MfaCodeFormat,
    MfaCodesSame,
    MfaCodesNotConsecutive,
    MfaCodeClockSkew,
    MfaCodeWrong,
    MfaSeedFormat,
    MfaDeviceName,
    DescriptionLength,
    DescriptionCharacters,
    AccessKeyIdFormat,
    SecretKeyFormat,
    ProfileName,
    Region,
    ClassId,
    Concurrency,
    PolicyArn,
    Email,
    DisplayName,
    RosterEmpty,
    RosterTooManyFields,
    RosterDuplicate {
        first_line: usize,
    },
    BudgetAmount,
    ContactName,
    ContactTitle,
    ContactPhone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyRule {
    MinimumLength(u32),
    Uppercase,
    Lowercase,
    Number,
    Symbol,
}

impl PolicyRule {
    fn describe(self, lang: Lang) -> String {
        match self {
            PolicyRule::MinimumLength(n) => lang.pick(format!("{n}자 이상"), format!("at least {n} characters")),
            PolicyRule::Uppercase => lang.pick("대문자", "an uppercase letter").into(),
            PolicyRule::Lowercase => lang.pick("소문자", "a lowercase letter").into(),
            PolicyRule::Number => lang.pick("숫자", "a digit").into(),
            PolicyRule::Symbol => lang.pick("기호", "a symbol").into(),
        }
    }
}

impl Invalid {
    pub fn code(&self) -> ErrorCode {
        match self {
            Invalid::AliasLength => ErrorCode::ValidationAliasLength,
            Invalid::AliasCharacters => ErrorCode::ValidationAliasCharacters,
            Invalid::AliasAllDigits => ErrorCode::ValidationAliasAllDigits,
            Invalid::AliasHyphens => ErrorCode::ValidationAliasHyphens,
            Invalid::UserNameLength => ErrorCode::ValidationUserNameLength,
            Invalid::UserNameCharacters => ErrorCode::ValidationUserNameCharacters,
            Invalid::PasswordLength => ErrorCode::ValidationPasswordLength,
            Invalid::PasswordComma => ErrorCode::ValidationPasswordComma,
            Invalid::PasswordControlCharacter => ErrorCode::ValidationPasswordControlCharacter,
            Invalid::PasswordPolicy(_) => ErrorCode::ValidationPasswordPolicy,
            Invalid::MfaCodeFormat => ErrorCode::ValidationMfaCodeFormat,
            Invalid::MfaCodesSame => ErrorCode::ValidationMfaCodesSame,
            Invalid::MfaCodesNotConsecutive => ErrorCode::ValidationMfaCodesNotConsecutive,
            Invalid::MfaCodeClockSkew => ErrorCode::ValidationMfaCodeClockSkew,
            Invalid::MfaCodeWrong => ErrorCode::ValidationMfaCodeWrong,
            Invalid::MfaSeedFormat => ErrorCode::ValidationMfaSeedFormat,
            Invalid::MfaDeviceName => ErrorCode::ValidationMfaDeviceName,
            Invalid::DescriptionLength => ErrorCode::ValidationDescriptionLength,
            Invalid::DescriptionCharacters => ErrorCode::ValidationDescriptionCharacters,
            Invalid::AccessKeyIdFormat => ErrorCode::ValidationAccessKeyIdFormat,
            Invalid::SecretKeyFormat => ErrorCode::ValidationSecretKeyFormat,
            Invalid::ProfileName => ErrorCode::ValidationProfileName,
            Invalid::Region => ErrorCode::ValidationRegion,
            Invalid::ClassId => ErrorCode::ValidationClassId,
            Invalid::Concurrency => ErrorCode::ValidationConcurrency,
            Invalid::PolicyArn => ErrorCode::ValidationPolicyArn,
            Invalid::Email => ErrorCode::ValidationEmail,
            Invalid::DisplayName => ErrorCode::ValidationDisplayName,
            Invalid::RosterEmpty => ErrorCode::ValidationRosterEmpty,
            Invalid::RosterTooManyFields => ErrorCode::ValidationRosterTooManyFields,
            Invalid::RosterDuplicate { .. } => ErrorCode::ValidationRosterDuplicate,
            Invalid::BudgetAmount => ErrorCode::ValidationBudgetAmount,
            Invalid::ContactName => ErrorCode::ValidationContactName,
            Invalid::ContactTitle => ErrorCode::ValidationContactTitle,
            Invalid::ContactPhone => ErrorCode::ValidationContactPhone,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let (ko, en): (&str, &str) = match self {
            Invalid::AliasLength => ("계정 별칭은 3~63자여야 합니다.", "The account alias must be 3 to 63 characters long."),
            Invalid::AliasCharacters => (
                "계정 별칭에는 영문 소문자(a-z), 숫자(0-9), 하이픈(-)만 쓸 수 있습니다.",
                "The account alias may contain only lowercase letters (a-z), digits (0-9) and hyphens (-).",
            ),
            Invalid::AliasAllDigits => (
                "계정 별칭은 숫자로만 이루어질 수 없습니다(계정 ID와 헷갈리기 때문입니다).",
                "The account alias cannot be only digits (it would look like an account id).",
            ),
            Invalid::AliasHyphens => (
                "계정 별칭은 하이픈으로 시작하거나 끝날 수 없고, 하이픈을 두 개 연달아 쓸 수 없습니다.",
                "The account alias cannot start or end with a hyphen, or contain two hyphens in a row.",
            ),
            Invalid::UserNameLength => ("사용자 이름은 1~64자여야 합니다.", "The user name must be 1 to 64 characters long."),
            Invalid::UserNameCharacters => (
                "사용자 이름에는 영문자, 숫자, 그리고 + = , . @ _ - 만 쓸 수 있습니다.",
                "The user name may contain only letters, digits and + = , . @ _ -",
            ),
            Invalid::PasswordLength => ("암호는 1~128자여야 합니다.", "The password must be 1 to 128 characters long."),
            Invalid::PasswordComma => (
                "암호에 쉼표(,)를 넣지 마세요. AWS CLI가 CSV를 가져올 때 쉼표에서 줄을 나눕니다.",
                "Do not use a comma in the password: the AWS CLI splits CSV lines at commas when importing.",
            ),
            Invalid::PasswordControlCharacter => (
                "암호에 줄바꿈이나 탭 같은 보이지 않는 문자를 넣을 수 없습니다.",
                "The password cannot contain invisible characters such as line breaks or tabs.",
            ),
            Invalid::PasswordPolicy(missing) if missing.is_empty() => (
                "계정의 암호 정책에 맞지 않습니다. 더 길고 다양한 문자를 섞은 암호를 쓰거나, 암호를 자동으로 생성하세요.",
                "The password does not meet the account's password policy. Use a longer, more varied password, or let the app generate one.",
            ),
            Invalid::PasswordPolicy(missing) => {
                let rules: Vec<String> = missing.iter().map(|rule| rule.describe(lang)).collect();
                return lang.pick(
                    format!("계정의 암호 정책에 맞지 않습니다. 필요한 것: {}.", rules.join(", ")),
                    format!("The password does not meet the account's password policy. It needs: {}.", rules.join(", ")),
                );
            }
            Invalid::MfaCodeFormat => ("MFA 코드는 숫자 6자리입니다.", "An MFA code is 6 digits."),
            Invalid::MfaCodesSame => (
                "두 코드가 같습니다. 인증 앱에서 코드가 바뀔 때까지 기다렸다가 다음 코드를 입력하세요.",
                "The two codes are the same. Wait for the authenticator app to show the next code and type that one.",
            ),
            Invalid::MfaCodesNotConsecutive => (
                "두 코드가 연속된 코드가 아닙니다. 첫 번째 코드 바로 다음에 나오는 코드를 입력하세요.",
                "The two codes are not consecutive. Type the code that appears right after the first one.",
            ),
            Invalid::MfaCodeClockSkew => (
                "코드는 맞지만 휴대폰이나 컴퓨터의 시계가 30초 넘게 어긋나 있습니다. 두 기기 모두 시간을 자동으로 맞추도록 설정하세요.",
                "The codes match, but the phone's or this computer's clock is off by more than 30 seconds. Set both to set the time automatically.",
            ),
            Invalid::MfaCodeWrong => (
                "코드가 이 MFA 장치와 맞지 않습니다. QR 코드를 다시 스캔했는지, 올바른 항목의 코드인지 확인하세요.",
                "The codes do not match this MFA device. Check that you scanned the QR code again and are reading the right entry.",
            ),
            Invalid::MfaSeedFormat => (
                "비밀 키(시크릿 키)는 콘솔의 '보안 키 보기'에 나온 대문자와 숫자 2~7로 된 문자열입니다.",
                "The secret key is the string of capital letters and digits 2-7 shown by 'Show secret key' in the console.",
            ),
            Invalid::MfaDeviceName => (
                "MFA 장치 이름은 1~128자의 영문자, 숫자, + = , . @ - _ 입니다.",
                "The MFA device name is 1 to 128 letters, digits or + = , . @ - _",
            ),
            Invalid::DescriptionLength => ("설명은 256자 이하여야 합니다.", "The description must be at most 256 characters."),
            Invalid::DescriptionCharacters => (
                "설명에는 문자, 숫자, 공백과 _ . : / = + - @ 만 쓸 수 있습니다.",
                "The description may contain only letters, digits, spaces and _ . : / = + - @",
            ),
            Invalid::AccessKeyIdFormat => (
                "액세스 키 ID는 AKIA 또는 ASIA로 시작하는 대문자와 숫자 16~128자입니다.",
                "An access key id is 16 to 128 capital letters and digits, starting with AKIA or ASIA.",
            ),
            Invalid::SecretKeyFormat => (
                "비밀 액세스 키는 보통 40자입니다. 공백 없이 전체를 복사했는지 확인하세요.",
                "A secret access key is usually 40 characters. Check that you copied all of it, with no spaces.",
            ),
            Invalid::ProfileName => (
                "프로필 이름에는 영문자, 숫자, 그리고 . _ - 만 쓸 수 있습니다(1~64자).",
                "A profile name may contain only letters, digits and . _ - (1 to 64 characters).",
            ),
            Invalid::Region => ("리전 이름이 올바르지 않습니다(예: ap-northeast-2).", "That is not a region name (for example ap-northeast-2)."),
            Invalid::ClassId => (
                "수업 ID는 영문 소문자, 숫자, 하이픈으로 된 1~32자입니다(예: cs101-spring).",
                "A class id is 1 to 32 lowercase letters, digits and hyphens (for example cs101-spring).",
            ),
            Invalid::Concurrency => ("동시 작업 수는 1~16입니다.", "Concurrency is 1 to 16."),
            Invalid::PolicyArn => (
                "정책은 1~9개의 관리형 정책 ARN(arn:aws:iam::aws:policy/...)이어야 합니다.",
                "Policies must be 1 to 9 managed policy ARNs (arn:aws:iam::aws:policy/...).",
            ),
            Invalid::Email => (
                "이메일 주소가 올바르지 않습니다(1~64자, 예: name@example.com).",
                "That is not an email address (1 to 64 characters, like name@example.com).",
            ),
            Invalid::DisplayName => ("표시 이름은 64자 이하이고 줄바꿈이 없어야 합니다.", "A display name is at most 64 characters, with no line breaks."),
            Invalid::BudgetAmount => (
                "금액은 0.01~1,000,000 USD이고 소수점 아래 두 자리까지입니다(예: 10 또는 12.50).",
                "The amount is USD 0.01 to 1,000,000 with at most two decimals (for example 10 or 12.50).",
            ),
            Invalid::ContactName => ("이름은 1~64자입니다.", "The name is 1 to 64 characters."),
            Invalid::ContactTitle => ("직함은 1~50자입니다.", "The title is 1 to 50 characters."),
            Invalid::ContactPhone => (
                "전화번호는 1~25자의 숫자, 공백, + - ( ) 입니다(예: +82 10-1234-5678).",
                "The phone number is 1 to 25 digits, spaces and + - ( ) (for example +82 10-1234-5678).",
            ),
            Invalid::RosterEmpty => ("명단에 학생이 없습니다.", "The roster has no students."),
            Invalid::RosterTooManyFields => (
                "한 줄에 '사용자 이름, 표시 이름, 이메일' 세 칸까지만 쓸 수 있습니다.",
                "A line has at most three fields: user name, display name, email.",
            ),
            Invalid::RosterDuplicate { first_line } => {
                return lang.pick(
                    format!("{first_line}번째 줄과 같은 사용자 이름입니다(IAM은 대소문자를 구분하지 않습니다)."),
                    format!("The same user name as line {first_line} (IAM ignores letter case)."),
                );
            }
        };
        lang.pick(ko, en).to_string()
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code().as_str())
    }
}

impl std::error::Error for Invalid {}

/// IAM user (and group) names: 1 to 64 characters from letters, digits and
/// `+=,.@_-`. AWS compares them case-insensitively; see [`same_iam_name`].
pub fn user_name(name: &str) -> Result<(), Invalid> {
    if name.is_empty() || name.chars().count() > 64 {
        return Err(Invalid::UserNameLength);
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)) {
        return Err(Invalid::UserNameCharacters);
    }
    Ok(())
}

/// An email address AWS will accept as a subscriber or contact: 1 to 64
/// characters, one `@`, a dotted domain, no spaces or separators.
pub fn email(email: &str) -> Result<(), Invalid> {
    let ok = (1..=64).contains(&email.chars().count())
        && email.split('@').count() == 2
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..")
        })
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Invalid::Email)
    }
}

/// `Admin` and `admin` are the same user to IAM.
pub fn same_iam_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Test helper: every input is refused with its expected reason.
#[cfg(test)]
pub(crate) fn assert_rejected(cases: &[(&str, Invalid)], check: impl Fn(&str) -> Result<(), Invalid>) {
    for (input, expected) in cases {
        assert_eq!(check(input).as_ref(), Err(expected), "{input:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_follow_the_iam_rules() {
        for good in [
            "aws.user1",
            "a",
            "gs-support",
            "first.last@example.com",
            "x+y=z,w_v",
            &"u".repeat(64),
        ] {
            assert_eq!(user_name(good), Ok(()), "{good}");
        }
        let bad: &[(&str, Invalid)] = &[
            ("", Invalid::UserNameLength),
            (&"u".repeat(65), Invalid::UserNameLength),
            ("has space", Invalid::UserNameCharacters),
            ("slash/name", Invalid::UserNameCharacters),
            ("홍길동", Invalid::UserNameCharacters),
            ("tab\tname", Invalid::UserNameCharacters),
            ("new\nline", Invalid::UserNameCharacters),
            ("semi;colon", Invalid::UserNameCharacters),
            ("quote'name", Invalid::UserNameCharacters),
            ("dq\"name", Invalid::UserNameCharacters),
            ("star*", Invalid::UserNameCharacters),
            ("hash#", Invalid::UserNameCharacters),
            ("percent%", Invalid::UserNameCharacters),
            ("colon:name", Invalid::UserNameCharacters),
            ("back\\slash", Invalid::UserNameCharacters),
            ("brace{", Invalid::UserNameCharacters),
            ("pipe|", Invalid::UserNameCharacters),
            ("tilde~", Invalid::UserNameCharacters),
            ("caret^", Invalid::UserNameCharacters),
            ("amp&", Invalid::UserNameCharacters),
        ];
        assert_rejected(bad, user_name);
    }

    #[test]
    fn iam_names_collide_case_insensitively() {
        assert!(same_iam_name("Admin", "admin"));
        assert!(!same_iam_name("admin1", "admin"));
    }

    #[test]
    fn every_rule_has_a_message_in_both_languages() {
        let all = [
            Invalid::AliasLength,
            Invalid::UserNameCharacters,
            Invalid::PasswordPolicy(vec![PolicyRule::MinimumLength(14), PolicyRule::Symbol]),
            Invalid::PasswordPolicy(vec![]),
            Invalid::MfaCodeClockSkew,
            Invalid::Region,
        ];
        for invalid in all {
            let (ko, en) = (invalid.message(Lang::Ko), invalid.message(Lang::En));
            assert!(!ko.is_empty() && !en.is_empty() && ko != en, "{invalid:?}");
        }
    }
}
