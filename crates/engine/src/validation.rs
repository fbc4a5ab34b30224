//! Everything a user can type is checked here, in Rust, before any AWS call,
//! whatever the UI already checked. Each rule has a code and a message that
//! explains the rule itself, so the user learns what to type.

use crate::catalogue;
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
    /// Two consecutive codes of this seed, but from one to two minutes ago.
    MfaCodesExpired,
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
    // Classroom accounts mode.
    InstanceType,
    EmailPattern,
    AccountEmail,
    ContactPhone,
    ExportPath,
    /// An MFA session's length: 15 minutes to 36 hours.
    SessionLength,
    /// Key files (a CLI CSV, plaintext credentials) asked for where no key is made.
    NoKeyToExport,
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
            PolicyRule::MinimumLength(n) => catalogue::text(lang, "validate.rule_minimum_length", &[("n", &n.to_string())]),
            PolicyRule::Uppercase => catalogue::text(lang, "validate.rule_uppercase", &[]),
            PolicyRule::Lowercase => catalogue::text(lang, "validate.rule_lowercase", &[]),
            PolicyRule::Number => catalogue::text(lang, "validate.rule_number", &[]),
            PolicyRule::Symbol => catalogue::text(lang, "validate.rule_symbol", &[]),
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
            Invalid::MfaCodesExpired => ErrorCode::ValidationMfaCodesExpired,
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
            Invalid::InstanceType => ErrorCode::ValidationInstanceType,
            Invalid::EmailPattern => ErrorCode::ValidationEmailPattern,
            Invalid::AccountEmail => ErrorCode::ValidationAccountEmail,
            Invalid::ContactPhone => ErrorCode::ValidationContactPhone,
            Invalid::ExportPath => ErrorCode::ValidationExportPath,
            Invalid::SessionLength => ErrorCode::ValidationSessionLength,
            Invalid::NoKeyToExport => ErrorCode::ValidationNoKeyToExport,
        }
    }

    /// The rule in plain words, from the catalogue the window uses too.
    pub fn message(&self, lang: Lang) -> String {
        let suffix = self.code().as_str().trim_start_matches("validation.");
        match self {
            Invalid::PasswordPolicy(missing) if !missing.is_empty() => {
                let rules: Vec<String> = missing.iter().map(|rule| rule.describe(lang)).collect();
                catalogue::text(lang, "validate.password_policy_needs", &[("rules", &rules.join(", "))])
            }
            Invalid::RosterDuplicate { first_line } => {
                catalogue::text(lang, "validate.roster_duplicate", &[("first_line", &first_line.to_string())])
            }
            _ => catalogue::text(lang, &format!("validate.{suffix}"), &[]),
        }
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
pub(crate) fn same_iam_name(a: &str, b: &str) -> bool {
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
            Invalid::AliasCharacters,
            Invalid::AliasAllDigits,
            Invalid::AliasHyphens,
            Invalid::UserNameLength,
            Invalid::UserNameCharacters,
            Invalid::PasswordLength,
            Invalid::PasswordComma,
            Invalid::PasswordControlCharacter,
            Invalid::PasswordPolicy(vec![PolicyRule::MinimumLength(14), PolicyRule::Symbol]),
            Invalid::PasswordPolicy(vec![PolicyRule::Uppercase, PolicyRule::Lowercase, PolicyRule::Number]),
            Invalid::PasswordPolicy(vec![]),
            Invalid::MfaCodeFormat,
            Invalid::MfaCodesSame,
            Invalid::MfaCodesNotConsecutive,
            Invalid::MfaCodeClockSkew,
            Invalid::MfaCodesExpired,
            Invalid::MfaCodeWrong,
            Invalid::MfaSeedFormat,
            Invalid::MfaDeviceName,
            Invalid::DescriptionLength,
            Invalid::DescriptionCharacters,
            Invalid::AccessKeyIdFormat,
            Invalid::SecretKeyFormat,
            Invalid::ProfileName,
            Invalid::Region,
            Invalid::ClassId,
            Invalid::Concurrency,
            Invalid::PolicyArn,
            Invalid::Email,
            Invalid::DisplayName,
            Invalid::RosterEmpty,
            Invalid::RosterTooManyFields,
            Invalid::RosterDuplicate { first_line: 7 },
            Invalid::BudgetAmount,
            Invalid::ContactName,
            Invalid::ContactTitle,
            Invalid::InstanceType,
            Invalid::EmailPattern,
            Invalid::AccountEmail,
            Invalid::ContactPhone,
            Invalid::ExportPath,
            Invalid::SessionLength,
            Invalid::NoKeyToExport,
        ];
        // No wildcard: a new variant fails to compile here until it is in the list above.
        for invalid in &all {
            match invalid {
                Invalid::AliasLength
                | Invalid::AliasCharacters
                | Invalid::AliasAllDigits
                | Invalid::AliasHyphens
                | Invalid::UserNameLength
                | Invalid::UserNameCharacters
                | Invalid::PasswordLength
                | Invalid::PasswordComma
                | Invalid::PasswordControlCharacter
                | Invalid::PasswordPolicy(_)
                | Invalid::MfaCodeFormat
                | Invalid::MfaCodesSame
                | Invalid::MfaCodesNotConsecutive
                | Invalid::MfaCodeClockSkew
                | Invalid::MfaCodesExpired
                | Invalid::MfaCodeWrong
                | Invalid::MfaSeedFormat
                | Invalid::MfaDeviceName
                | Invalid::DescriptionLength
                | Invalid::DescriptionCharacters
                | Invalid::AccessKeyIdFormat
                | Invalid::SecretKeyFormat
                | Invalid::ProfileName
                | Invalid::Region
                | Invalid::ClassId
                | Invalid::Concurrency
                | Invalid::PolicyArn
                | Invalid::Email
                | Invalid::DisplayName
                | Invalid::RosterEmpty
                | Invalid::RosterTooManyFields
                | Invalid::RosterDuplicate { .. }
                | Invalid::BudgetAmount
                | Invalid::ContactName
                | Invalid::ContactTitle
                | Invalid::InstanceType
                | Invalid::EmailPattern
                | Invalid::AccountEmail
                | Invalid::ContactPhone
                | Invalid::ExportPath
                | Invalid::SessionLength
                | Invalid::NoKeyToExport => {}
            }
        }
        let mut seen = std::collections::HashSet::new();
        for invalid in &all {
            let (ko, en) = (invalid.message(Lang::Ko), invalid.message(Lang::En));
            assert!(!ko.is_empty() && !en.is_empty() && ko != en, "{invalid:?}: {ko} / {en}");
            assert!(
                !ko.contains("validate.") && !en.contains("validate."),
                "{invalid:?} has no catalogue entry"
            );
            assert!(!ko.contains('{') && !en.contains('{'), "{invalid:?}: a placeholder left unfilled");
            assert!(
                ko.chars().any(|c| ('가'..='힣').contains(&c)),
                "{invalid:?}: the Korean message is Korean"
            );
            seen.insert(en);
        }
        assert_eq!(seen.len(), all.len(), "each rule has its own message");
    }
}
