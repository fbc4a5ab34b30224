//! Step "alias": the account alias that makes the sign-in URL readable.
//! The alias is global across AWS and public, and an account has at most one,
//! so the step reads the current alias first and never replaces it unasked.

use crate::connection::Connection;
use crate::crash_points::crash_point;
use crate::error::Result;
use crate::iam;
use crate::journal::{Journal, Pending, Resource};
use crate::validation::Invalid;
use serde::Serialize;
use ts_rs::TS;

/// `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`, and not all digits.
pub fn validate(alias: &str) -> Result<(), Invalid> {
    if !(3..=63).contains(&alias.len()) {
        return Err(Invalid::AliasLength);
    }
    if !alias.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(Invalid::AliasCharacters);
    }
    if alias.starts_with('-') || alias.ends_with('-') || alias.contains("--") {
        return Err(Invalid::AliasHyphens);
    }
    if alias.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::AliasAllDigits);
    }
    Ok(())
}

/// Works with an alias or a 12-digit account id; the id form keeps working
/// after an alias is set.
pub fn sign_in_url(alias_or_account_id: &str) -> String {
    format!("https://{alias_or_account_id}.signin.aws.amazon.com/console")
}

/// Three valid alternatives for a taken alias: a suffix from the account id
/// (stable, and likely free), a year, and a short random tag.
pub fn suggestions(alias: &str, account_id: &str) -> Vec<String> {
    let tail = &account_id[account_id.len().saturating_sub(4)..];
    let random: u16 = rand::random::<u16>() % 9000 + 1000;
    let year = time::OffsetDateTime::now_utc().year();
    [format!("-{tail}"), format!("-{year}"), format!("-{random}")]
        .iter()
        .map(|suffix| {
            let room = 63 - suffix.len();
            let base = alias[..alias.len().min(room)].trim_end_matches('-');
            format!("{base}{suffix}")
        })
        .filter(|candidate| validate(candidate).is_ok() && candidate != alias)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum AliasOutcome {
    Created {
        alias: String,
        sign_in_url: String,
    },
    AlreadySetToThis {
        alias: String,
        sign_in_url: String,
    },
    /// The account has another alias; replacing it needs the user's yes.
    OtherAliasExists {
        current: String,
        sign_in_url: String,
    },
    /// Someone, somewhere in AWS, has this alias.
    Taken {
        alias: String,
        suggestions: Vec<String>,
    },
}

pub async fn current(connection: &Connection) -> Result<Option<String>> {
    iam::account_alias(connection).await
}

/// Sets the alias; see [`set_verified`].
pub async fn set(
    connection: &Connection,
    journal: &mut Journal,
    alias: &str,
    account_id: &str,
    replace_existing: bool,
) -> Result<AliasOutcome> {
    Ok(set_verified(connection, journal, alias, account_id, replace_existing).await?.0)
}

/// Sets the alias unless the account has it, and says whether AWS shows the
/// alias afterwards (`ListAccountAliases`).
pub(crate) async fn set_verified(
    connection: &Connection,
    journal: &mut Journal,
    alias: &str,
    account_id: &str,
    replace_existing: bool,
) -> Result<(AliasOutcome, bool)> {
    let alias = alias.trim();
    validate(alias)?;
    match current(connection).await? {
        Some(existing) if existing == alias => {
            journal.record_if_creating(&Resource::Alias { alias: existing.clone() })?;
            let outcome = AliasOutcome::AlreadySetToThis {
                alias: existing.clone(),
                sign_in_url: sign_in_url(&existing),
            };
            return Ok((outcome, true));
        }
        Some(existing) if !replace_existing => {
            let outcome = AliasOutcome::OtherAliasExists {
                sign_in_url: sign_in_url(&existing),
                current: existing,
            };
            return Ok((outcome, false));
        }
        _ => {}
    }
    let resource = Resource::Alias { alias: alias.to_string() };
    journal.mark_creating(&resource)?;
    if !iam::create_account_alias(connection, alias).await? {
        journal.clear_pending(&Pending::Creating { resource })?;
        let outcome = AliasOutcome::Taken {
            alias: alias.to_string(),
            suggestions: suggestions(alias, account_id),
        };
        return Ok((outcome, false));
    }
    crash_point!("alias.created");
    journal.record(resource)?;
    let verified = current(connection).await?.as_deref() == Some(alias);
    let outcome = AliasOutcome::Created {
        alias: alias.to_string(),
        sign_in_url: sign_in_url(alias),
    };
    Ok((outcome, verified))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_aliases_pass() {
        for good in ["aws-hong", "abc", "a1b", "my-lab-2026", &"a".repeat(63), "0a0"] {
            assert_eq!(validate(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn bad_aliases_are_rejected_with_the_rule_they_break() {
        let cases: &[(&str, Invalid)] = &[
            ("", Invalid::AliasLength),
            ("a", Invalid::AliasLength),
            ("ab", Invalid::AliasLength),
            (&"a".repeat(64), Invalid::AliasLength),
            ("Aws-hong", Invalid::AliasCharacters),
            ("aws_hong", Invalid::AliasCharacters),
            ("aws.hong", Invalid::AliasCharacters),
            ("aws hong", Invalid::AliasCharacters),
            ("aws-홍길동", Invalid::AliasCharacters),
            ("aws/hong", Invalid::AliasCharacters),
            ("aws@hong", Invalid::AliasCharacters),
            ("aws+hong", Invalid::AliasCharacters),
            ("AWS", Invalid::AliasCharacters),
            ("aws!", Invalid::AliasCharacters),
            ("-aws", Invalid::AliasHyphens),
            ("aws-", Invalid::AliasHyphens),
            ("aws--hong", Invalid::AliasHyphens),
            ("---", Invalid::AliasHyphens),
            ("123", Invalid::AliasAllDigits),
            ("123456789012", Invalid::AliasAllDigits),
            ("a\tb", Invalid::AliasCharacters),
            ("a\nb", Invalid::AliasCharacters),
        ];
        crate::validation::assert_rejected(cases, validate);
    }

    #[test]
    fn suggestions_are_three_valid_aliases_that_differ_from_the_taken_one() {
        for taken in ["aws-hong", &"b".repeat(63), "abc"] {
            let list = suggestions(taken, "123456789012");
            assert_eq!(list.len(), 3, "{list:?}");
            for s in &list {
                assert_eq!(validate(s), Ok(()), "{s}");
                assert_ne!(s, taken);
            }
        }
        assert_eq!(suggestions("aws-hong", "123456789012")[0], "aws-hong-9012");
    }

    #[test]
    fn sign_in_url_has_the_documented_form() {
        assert_eq!(sign_in_url("aws-hong"), "https://aws-hong.signin.aws.amazon.com/console");
    }
}
