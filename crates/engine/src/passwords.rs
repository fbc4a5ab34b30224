//! Console passwords: generating a strong one, checking one the user typed
//! against the account's password policy (or AWS's default), and a simple
//! strength score for the UI meter.
//!
//! Passwords are secrets: a generated one is handed out only as a
//! [`SecretString`], and no error here ever carries the password itself.

use crate::validation::{Invalid, PolicyRule};
use rand::seq::{IndexedRandom, SliceRandom};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroize;

/// Length of a generated password.
pub(crate) const GENERATED_LENGTH: usize = 20;

/// AWS's limits for an IAM user's console password.
pub(crate) const MIN_LENGTH: usize = 1;
pub(crate) const MAX_LENGTH: usize = 128;

/// AWS's default policy, which applies while the account has no password
/// policy: at least 8 characters and three of the four character classes.
pub(crate) const DEFAULT_MINIMUM_LENGTH: u32 = 8;
const DEFAULT_CLASSES_NEEDED: usize = 3;

/// The characters AWS counts as symbols in a password policy.
pub(crate) const AWS_SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

// Generation alphabets. Look-alikes (0/O/o, 1/l/I, and `|`, which reads as
// l or 1 in many fonts) are left out so a password can be read aloud or
// retyped from paper. Every symbol here is in AWS_SYMBOLS; none is a comma,
// a quote or whitespace.
const GEN_UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const GEN_LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const GEN_DIGITS: &[u8] = b"23456789";
const GEN_SYMBOLS: &[u8] = b"!@#$%^&*()_+-=[]{}";

/// An account password policy, as far as the wizard reads and sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct PasswordPolicy {
    pub minimum_length: u32,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    /// How many previous passwords a user may not reuse; `None` when not set.
    #[serde(default)]
    pub reuse_prevention: Option<u32>,
}

impl PasswordPolicy {
    /// The CIS AWS Foundations Benchmark policy: at least 14 characters, all
    /// four character classes, and the last 24 passwords may not be reused.
    pub fn cis() -> PasswordPolicy {
        PasswordPolicy {
            minimum_length: 14,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            reuse_prevention: Some(24),
        }
    }

    /// Reads the policy `GetAccountPasswordPolicy` returned. A missing minimum
    /// length means AWS's own default for a custom policy, 6.
    pub(crate) fn from_iam(policy: &aws_sdk_iam::types::PasswordPolicy) -> PasswordPolicy {
        let non_negative = |n: i32| u32::try_from(n).unwrap_or(0);
        PasswordPolicy {
            minimum_length: policy.minimum_password_length().map_or(6, non_negative),
            require_uppercase: policy.require_uppercase_characters(),
            require_lowercase: policy.require_lowercase_characters(),
            require_numbers: policy.require_numbers(),
            require_symbols: policy.require_symbols(),
            reuse_prevention: policy.password_reuse_prevention().map(non_negative).filter(|n| *n > 0),
        }
    }
}

/// A new random console password: 20 characters from the OS-seeded CSPRNG
/// (`rand::rng()`, ChaCha reseeded from the OS), with at least one uppercase
/// letter, lowercase letter, digit and symbol. It passes [`PasswordPolicy::cis`].
/// What spreadsheets read as the start of a formula.
const FORMULA_STARTS: [u8; 4] = [b'=', b'+', b'-', b'@'];

pub fn generate() -> SecretString {
    let mut rng = rand::rng();
    let classes = [GEN_UPPER, GEN_LOWER, GEN_DIGITS, GEN_SYMBOLS];
    let mut all: Vec<u8> = classes.concat();
    // Exactly this capacity, so the buffer is never reallocated (and never
    // leaves an unzeroized copy behind) while it is filled.
    let mut chars: Vec<u8> = Vec::with_capacity(GENERATED_LENGTH);
    for class in classes {
        chars.push(*class.choose(&mut rng).expect("alphabet is not empty"));
    }
    while chars.len() < GENERATED_LENGTH {
        chars.push(*all.choose(&mut rng).expect("alphabet is not empty"));
    }
    chars.shuffle(&mut rng);
    // A spreadsheet reads a cell starting with = + - @ as a formula; the CSV
    // exports put the password in a cell. Start with a letter or digit.
    if FORMULA_STARTS.contains(&chars[0]) {
        let plain = chars
            .iter()
            .position(|b| b.is_ascii_alphanumeric())
            .expect("a letter is always drawn");
        chars.swap(0, plain);
    }
    all.zeroize();
    let mut text = String::with_capacity(GENERATED_LENGTH);
    // Every alphabet is ASCII, so each byte is one character.
    text.extend(chars.iter().map(|&b| char::from(b)));
    chars.zeroize();
    SecretString::from(text)
}

fn is_aws_symbol(c: char) -> bool {
    AWS_SYMBOLS.contains(c)
}

/// Which of the four classes a password has, in the order
/// uppercase, lowercase, number, symbol.
fn classes(password: &str) -> [bool; 4] {
    let mut found = [false; 4];
    for c in password.chars() {
        if c.is_ascii_uppercase() {
            found[0] = true;
        } else if c.is_ascii_lowercase() {
            found[1] = true;
        } else if c.is_ascii_digit() {
            found[2] = true;
        } else if is_aws_symbol(c) {
            found[3] = true;
        }
    }
    found
}

const CLASS_RULES: [PolicyRule; 4] = [PolicyRule::Uppercase, PolicyRule::Lowercase, PolicyRule::Number, PolicyRule::Symbol];

/// Checks a console password before it is sent to AWS.
///
/// First AWS's hard limits (1 to 128 characters, no invisible control
/// characters) and the wizard's own rule (no comma: the credentials CSV is
/// split at commas). Then the account's password policy, or without one AWS's
/// default (8 characters, three of the four classes); every rule the password
/// breaks is named in [`Invalid::PasswordPolicy`].
pub fn check(password: &str, policy: Option<&PasswordPolicy>) -> Result<(), Invalid> {
    let length = password.chars().count();
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        return Err(Invalid::PasswordLength);
    }
    if password.chars().any(char::is_control) {
        return Err(Invalid::PasswordControlCharacter);
    }
    if password.contains(',') {
        return Err(Invalid::PasswordComma);
    }

    let found = classes(password);
    let mut missing = Vec::new();
    match policy {
        Some(policy) => {
            if length < policy.minimum_length as usize {
                missing.push(PolicyRule::MinimumLength(policy.minimum_length));
            }
            let required = [
                policy.require_uppercase,
                policy.require_lowercase,
                policy.require_numbers,
                policy.require_symbols,
            ];
            for ((rule, required), found) in CLASS_RULES.into_iter().zip(required).zip(found) {
                if required && !found {
                    missing.push(rule);
                }
            }
        }
        None => {
            if length < DEFAULT_MINIMUM_LENGTH as usize {
                missing.push(PolicyRule::MinimumLength(DEFAULT_MINIMUM_LENGTH));
            }
            if found.iter().filter(|f| **f).count() < DEFAULT_CLASSES_NEEDED {
                missing.extend(CLASS_RULES.into_iter().zip(found).filter(|(_, found)| !found).map(|(rule, _)| rule));
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Invalid::PasswordPolicy(missing))
    }
}

/// A simple 0..=4 score for the strength meter: length sets the base
/// (under 8: 0, 8-11: 1, 12-15: 2, 16 or more: 3), three or more character
/// classes add one, and a password of a single class or a single repeated
/// character scores at most 1.
pub fn strength(password: &str) -> u8 {
    let length = password.chars().count();
    if length == 0 {
        return 0;
    }
    let mut kinds = [false; 4];
    for c in password.chars() {
        let kind = if c.is_uppercase() {
            0
        } else if c.is_lowercase() {
            1
        } else if c.is_numeric() {
            2
        } else {
            3
        };
        kinds[kind] = true;
    }
    let kinds = kinds.iter().filter(|k| **k).count();
    let mut score: u8 = match length {
        0..=7 => 0,
        8..=11 => 1,
        12..=15 => 2,
        _ => 3,
    };
    if kinds >= 3 {
        score += 1;
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let one_character = distinct.len() == 1;
    distinct.zeroize();
    if kinds <= 1 || one_character {
        score = score.min(1);
    }
    score.min(4)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn generated_passwords_never_start_like_a_spreadsheet_formula() {
        for _ in 0..5000 {
            let password = generate();
            let first = password.expose_secret().as_bytes()[0];
            assert!(!FORMULA_STARTS.contains(&first), "{}", char::from(first));
        }
    }

    use secrecy::ExposeSecret;

    fn custom(minimum_length: u32, upper: bool, lower: bool, numbers: bool, symbols: bool) -> PasswordPolicy {
        PasswordPolicy {
            minimum_length,
            require_uppercase: upper,
            require_lowercase: lower,
            require_numbers: numbers,
            require_symbols: symbols,
            reuse_prevention: None,
        }
    }

    #[test]
    fn generated_passwords_meet_the_cis_policy() {
        let cis = PasswordPolicy::cis();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let password = generate();
            let text = password.expose_secret();
            assert_eq!(text.chars().count(), GENERATED_LENGTH);
            assert_eq!(check(text, Some(&cis)), Ok(()));
            assert_eq!(check(text, None), Ok(()));
            assert!(!text.contains(','));
            assert!(!text.chars().any(char::is_whitespace));
            assert!(!text.chars().any(|c| "0Oo1lI|".contains(c)), "look-alike in a generated password");
            assert!(text.chars().all(|c| c.is_ascii_alphanumeric() || is_aws_symbol(c)));
            assert_eq!(strength(text), 4);
            seen.insert(text.to_string());
        }
        assert_eq!(seen.len(), 1000, "generated passwords repeat");
    }

    #[test]
    fn every_generation_alphabet_character_can_appear() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            seen.extend(generate().expose_secret().chars());
        }
        let expected = GEN_UPPER.len() + GEN_LOWER.len() + GEN_DIGITS.len() + GEN_SYMBOLS.len();
        assert_eq!(seen.len(), expected);
    }

    #[test]
    fn generation_alphabets_are_aws_symbols_and_safe() {
        for &b in GEN_SYMBOLS {
            assert!(is_aws_symbol(b as char), "{}", b as char);
        }
        for class in [GEN_UPPER, GEN_LOWER, GEN_DIGITS, GEN_SYMBOLS] {
            assert!(!class.contains(&b','));
            assert!(!class.iter().any(|b| b.is_ascii_whitespace()));
        }
    }

    #[test]
    fn bad_passwords_are_rejected_with_the_rule_they_break() {
        use PolicyRule::*;
        let cis = PasswordPolicy::cis();
        let min20 = custom(20, false, false, false, false);
        let symbols_only = custom(6, false, false, false, true);
        let numbers_only = custom(6, false, false, true, false);
        let policy = |rules: &[PolicyRule]| Invalid::PasswordPolicy(rules.to_vec());
        let cases: Vec<(String, Option<&PasswordPolicy>, Invalid)> = vec![
            // AWS's hard limits.
            ("".into(), None, Invalid::PasswordLength),
            ("".into(), Some(&cis), Invalid::PasswordLength),
            ("Aa1!".repeat(32) + "x", None, Invalid::PasswordLength),
            ("A".repeat(129), Some(&cis), Invalid::PasswordLength),
            ("é".repeat(129), None, Invalid::PasswordLength),
            ("Aa1!".repeat(40), Some(&min20), Invalid::PasswordLength),
            // Invisible characters.
            ("Abcdefg1!\n".into(), None, Invalid::PasswordControlCharacter),
            ("Abc\tdefg1!".into(), None, Invalid::PasswordControlCharacter),
            ("Abcdefg1!\r".into(), Some(&cis), Invalid::PasswordControlCharacter),
            ("\u{0}Abcdefg1!".into(), None, Invalid::PasswordControlCharacter),
            ("Abcdefg1!\u{7f}".into(), None, Invalid::PasswordControlCharacter),
            ("Abc\u{1b}defg1!".into(), None, Invalid::PasswordControlCharacter),
            ("Abcdefg1!\u{85}".into(), None, Invalid::PasswordControlCharacter),
            ("Abc,\ndefg1!".into(), None, Invalid::PasswordControlCharacter),
            // The CSV rule.
            ("Abcdefg1!,".into(), None, Invalid::PasswordComma),
            (",Abcdefgh1!".into(), None, Invalid::PasswordComma),
            ("Correct,Horse1!Battery".into(), Some(&cis), Invalid::PasswordComma),
            (",".into(), None, Invalid::PasswordComma),
            // The CIS policy.
            ("Abcdefgh1!".into(), Some(&cis), policy(&[MinimumLength(14)])),
            ("abcdefghijk1!x".into(), Some(&cis), policy(&[Uppercase])),
            ("ABCDEFGHIJK1!X".into(), Some(&cis), policy(&[Lowercase])),
            ("Abcdefghijkl!x".into(), Some(&cis), policy(&[Number])),
            ("Abcdefghijkl1x".into(), Some(&cis), policy(&[Symbol])),
            ("abcdefghijklmn".into(), Some(&cis), policy(&[Uppercase, Number, Symbol])),
            ("short".into(), Some(&cis), policy(&[MinimumLength(14), Uppercase, Number, Symbol])),
            ("Abcdefghijkl1 ".into(), Some(&cis), policy(&[Symbol])),
            ("Abcdefghijk1.x".into(), Some(&cis), policy(&[Symbol])),
            ("Abcdefghijk1~x".into(), Some(&cis), policy(&[Symbol])),
            ("Abcdefghijk1?x".into(), Some(&cis), policy(&[Symbol])),
            ("Abcdefghijk1/x".into(), Some(&cis), policy(&[Symbol])),
            ("ÄÖÜäöüßéèêëàá1!".into(), Some(&cis), policy(&[Uppercase, Lowercase])),
            (
                "한국어비밀번호입니다아주길게".into(),
                Some(&cis),
                policy(&[Uppercase, Lowercase, Number, Symbol]),
            ),
            (
                "１２３ＡＢＣａｂｃ！！！xyz".into(),
                Some(&cis),
                policy(&[Uppercase, Number, Symbol]),
            ),
            // AWS's default, without an account policy.
            ("Ab1!".into(), None, policy(&[MinimumLength(8)])),
            ("Ab1".into(), None, policy(&[MinimumLength(8)])),
            ("abcdefgh".into(), None, policy(&[Uppercase, Number, Symbol])),
            ("abcdefg1".into(), None, policy(&[Uppercase, Symbol])),
            ("ABCDEFG1".into(), None, policy(&[Lowercase, Symbol])),
            ("abcdefg!".into(), None, policy(&[Uppercase, Number])),
            ("12345678".into(), None, policy(&[Uppercase, Lowercase, Symbol])),
            ("!!!!!!!!".into(), None, policy(&[Uppercase, Lowercase, Number])),
            ("Abcdefgh".into(), None, policy(&[Number, Symbol])),
            ("ab1".into(), None, policy(&[MinimumLength(8), Uppercase, Symbol])),
            ("password".into(), None, policy(&[Uppercase, Number, Symbol])),
            ("        ".into(), None, policy(&[Uppercase, Lowercase, Number, Symbol])),
            // Custom policies.
            ("Abcdefgh1!Abcdefgh1".into(), Some(&min20), policy(&[MinimumLength(20)])),
            ("Abcdefghij".into(), Some(&symbols_only), policy(&[Symbol])),
            ("Abcdefghij".into(), Some(&numbers_only), policy(&[Number])),
            ("a".into(), Some(&numbers_only), policy(&[MinimumLength(6), Number])),
        ];
        assert!(cases.len() >= 40);
        let mut distinct = std::collections::HashSet::new();
        for (password, policy, expected) in &cases {
            assert_eq!(check(password, *policy).as_ref(), Err(expected), "{password:?}");
            distinct.insert(password.clone());
        }
        assert!(distinct.len() >= 40, "only {} distinct passwords", distinct.len());
    }

    #[test]
    fn good_passwords_pass() {
        let cis = PasswordPolicy::cis();
        for password in [
            "Correct-Horse-Battery-9",
            "Tr0ub4dor&3xyzw",
            "aA1!aA1!aA1!aA",
            "It's-a-long-P4ssword",
            "Ünïcødé-Pässwörd-1",
            "with spaces Are 0K!",
        ] {
            assert_eq!(check(password, Some(&cis)), Ok(()), "{password:?}");
            assert_eq!(check(password, None), Ok(()), "{password:?}");
        }
        // Exactly 128 characters, counted as characters rather than bytes.
        let long = format!("Aa1!{}", "é".repeat(124));
        assert_eq!(long.chars().count(), 128);
        assert_eq!(check(&long, Some(&cis)), Ok(()));
        // AWS's default needs only three classes.
        for password in ["abcdefg1!", "ABCDEFG1!", "Abcdefgh!", "Abcdefgh1"] {
            assert_eq!(check(password, None), Ok(()), "{password:?}");
        }
        // A policy with no class rules needs only the length.
        let lax = custom(6, false, false, false, false);
        assert_eq!(check("aaaaaa", Some(&lax)), Ok(()));
    }

    #[test]
    fn errors_never_contain_the_password() {
        let err = check("Secret,Pass1!", None).unwrap_err();
        let text = format!("{err:?} {err} {}", err.message(crate::Lang::En));
        assert!(!text.contains("Secret"));
        let err = check("hunter2", Some(&PasswordPolicy::cis())).unwrap_err();
        let text = format!("{err:?} {err} {} {}", err.message(crate::Lang::En), err.message(crate::Lang::Ko));
        assert!(!text.contains("hunter2"));
        assert!(text.contains("14"));
    }

    #[test]
    fn cis_policy_values() {
        let cis = PasswordPolicy::cis();
        assert_eq!(cis.minimum_length, 14);
        assert!(cis.require_uppercase && cis.require_lowercase);
        assert!(cis.require_numbers && cis.require_symbols);
        assert_eq!(cis.reuse_prevention, Some(24));
    }

    #[test]
    fn iam_policies_are_read() {
        let iam = aws_sdk_iam::types::PasswordPolicy::builder()
            .minimum_password_length(14)
            .require_uppercase_characters(true)
            .require_lowercase_characters(true)
            .require_numbers(true)
            .require_symbols(true)
            .password_reuse_prevention(24)
            .build();
        assert_eq!(PasswordPolicy::from_iam(&iam), PasswordPolicy::cis());

        let bare = aws_sdk_iam::types::PasswordPolicy::builder().require_numbers(true).build();
        assert_eq!(PasswordPolicy::from_iam(&bare), custom(6, false, false, true, false));
    }

    #[test]
    fn policy_json_shape() {
        let json = serde_json::to_value(PasswordPolicy::cis()).unwrap();
        assert_eq!(json["minimum_length"], 14);
        assert_eq!(json["reuse_prevention"], 24);
        let back: PasswordPolicy = serde_json::from_value(serde_json::json!({
            "minimum_length": 8,
            "require_uppercase": true,
            "require_lowercase": false,
            "require_numbers": false,
            "require_symbols": false
        }))
        .unwrap();
        assert_eq!(back, custom(8, true, false, false, false));
    }

    #[test]
    fn strength_grows_with_length_and_classes() {
        let cases = [
            ("", 0),
            ("abc", 0),
            ("Ab1!", 1),
            ("aaaaaaaaaaaaaaaaaaaaaaaa", 1),
            ("AAAAAAAAAAAAAAAAAAAAAAAA", 1),
            ("password", 1),
            ("Password1", 2),
            ("Passwordpassword", 3),
            ("Password123!", 3),
            ("Correct-Horse-Battery-9", 4),
        ];
        for (password, expected) in cases {
            assert_eq!(strength(password), expected, "{password:?}");
        }
        for password in ["", "a", "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!", "한국어 암호 1234!"] {
            assert!(strength(password) <= 4);
        }
    }
}
