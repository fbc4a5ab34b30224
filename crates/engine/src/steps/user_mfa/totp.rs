//! TOTP for virtual MFA devices (RFC 6238: SHA1, 6 digits, 30 s): the seed,
//! the codes, and the local check of the two codes `EnableMFADevice` wants.
//! The seed is a secret: it is held in [`MfaSeed`] (a zeroizing
//! [`SecretString`]), never logged, never put in an error, and hidden from `Debug`.

use crate::validation::Invalid;
use secrecy::{ExposeSecret, SecretString};
use std::time::{SystemTime, UNIX_EPOCH};
use totp_rs::{Builder, Secret, Totp};
use zeroize::Zeroizing;

/// Digits of a code, as AWS's virtual MFA uses them (SHA1, 6 digits, 30 s).
pub(crate) const CODE_DIGITS: usize = 6;
/// Seconds of one TOTP step.
pub(crate) const STEP_SECONDS: u64 = 30;
/// How many steps before and after now [`check_codes`] searches, so that it
/// can tell a wrong clock (codes found, but far from now) from a wrong code.
pub(crate) const SEARCH_WINDOW_STEPS: u64 = 10;

const SEED_MIN_CHARS: usize = 16;
const SEED_MAX_CHARS: usize = 128;
const MAX_PADDING: usize = 6;

/// A virtual MFA device's seed, as Base32 text (RFC 4648, upper case, no
/// padding): the form the console's "secret key" and the otpauth URI use.
#[derive(Clone)]
pub struct MfaSeed(SecretString);

impl std::fmt::Debug for MfaSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaSeed(<redacted>)")
    }
}

impl MfaSeed {
    /// Reads the Base32 "secret key" the AWS console shows. Spaces and line
    /// breaks are ignored, lower case is accepted, and trailing `=` padding is
    /// dropped; what remains must be 16 to 128 characters of A-Z and 2-7, of a
    /// length that Base32 can produce.
    pub fn parse(text: &str) -> Result<MfaSeed, Invalid> {
        let mut cleaned = Zeroizing::new(String::with_capacity(text.len()));
        cleaned.extend(text.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()));
        let data_len = cleaned.trim_end_matches('=').len();
        if cleaned.len() - data_len > MAX_PADDING {
            return Err(Invalid::MfaSeedFormat);
        }
        cleaned.truncate(data_len);
        let well_formed = (SEED_MIN_CHARS..=SEED_MAX_CHARS).contains(&cleaned.len())
            // 1, 3 or 6 characters past a whole 8 cannot come from whole bytes.
            && !matches!(cleaned.len() % 8, 1 | 3 | 6)
            && cleaned
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b));
        if !well_formed {
            return Err(Invalid::MfaSeedFormat);
        }
        Ok(MfaSeed(SecretString::from(std::mem::take(&mut *cleaned))))
    }

    /// Reads `Base32StringSeed` from `CreateVirtualMFADevice`: the SDK hands
    /// it over as the bytes of the Base32 text.
    pub(crate) fn from_bytes_base32(bytes: &[u8]) -> Result<MfaSeed, Invalid> {
        let text = std::str::from_utf8(bytes).map_err(|_| Invalid::MfaSeedFormat)?;
        MfaSeed::parse(text)
    }

    /// The generator for this seed: SHA1, 6 digits, 30-second steps, no skew
    /// (the callers search steps themselves). Zeroized when dropped.
    fn totp(&self) -> Totp {
        let secret = Secret::try_from_base32(self.0.expose_secret()).expect("an MfaSeed is validated Base32 when it is made");
        Builder::new()
            .with_secret(secret)
            .with_digits(CODE_DIGITS as u8)
            .with_step_duration(STEP_SECONDS)
            .with_skew(0)
            // A 16-character seed is 80 bits, under the 128 bits `build`
            // insists on; AWS's own seeds are 320 bits.
            .build_noncompliant()
    }
}

impl ExposeSecret<str> for MfaSeed {
    /// The Base32 text, for showing as "secret key" on an explicit request.
    fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

/// The seed as a setup key to type into an authenticator app: groups of
/// four, as the console's "Show secret key" prints it. Shown only on request.
pub(crate) fn setup_key_text(seed: &MfaSeed) -> String {
    let chars: Vec<char> = seed.expose_secret().chars().collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The 6-digit code for a moment, as an authenticator app shows it.
pub(crate) fn code_at(seed: &MfaSeed, unix_time: u64) -> String {
    seed.totp().generate(unix_time).to_string()
}

pub(crate) fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The code for now, and how many seconds (1 to 30) it stays current.
pub(crate) fn current_code(seed: &MfaSeed) -> (String, u32) {
    let now = now_unix();
    let left = STEP_SECONDS - now % STEP_SECONDS;
    (code_at(seed, now), left as u32)
}

/// Two codes that passed [`check_codes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeCheck {
    /// The TOTP step (unix time / 30) of the first code; the second is the next step.
    pub first_step: u64,
}

fn is_code_format(code: &str) -> bool {
    code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the two codes `EnableMFADevice` wants, before sending them: each
/// is 6 digits, they differ, they are two consecutive codes of this seed, and
/// they are current (the pair is the previous and current step, or the current
/// and next one).
///
/// Steps up to 10 before and after `now_unix` are searched, so the answer can
/// be precise: codes of this seed that are not one after the other
/// ([`Invalid::MfaCodesNotConsecutive`]), a consecutive pair from too far
/// away in time, which means a clock is wrong ([`Invalid::MfaCodeClockSkew`]),
/// or codes not of this seed at all ([`Invalid::MfaCodeWrong`]).
/// How many steps before the previous one a pair counts as expired rather
/// than as a wrong clock: codes read up to 90 seconds ago.
const EXPIRED_STEPS: u64 = 2;

pub(crate) fn check_codes(seed: &MfaSeed, code1: &str, code2: &str, now_unix: u64) -> Result<CodeCheck, Invalid> {
    if !is_code_format(code1) || !is_code_format(code2) {
        return Err(Invalid::MfaCodeFormat);
    }
    if code1 == code2 {
        return Err(Invalid::MfaCodesSame);
    }
    let totp = seed.totp();
    let now = now_unix / STEP_SECONDS;
    let first = now.saturating_sub(SEARCH_WINDOW_STEPS);
    let last = now + SEARCH_WINDOW_STEPS;
    // `check` compares in constant time; with no skew it tests exactly one step.
    let matches = |code: &str, step: u64| totp.check(code, step * STEP_SECONDS).is_some();

    let pairs = (first..=last).filter(|&t| matches(code1, t) && matches(code2, t + 1));
    // If a code happens to repeat inside the window, the pair nearest now wins.
    let nearest = pairs.min_by_key(|&t| t.abs_diff(now) * 2 + u64::from(t < now));
    if let Some(t1) = nearest {
        return if t1 + 1 >= now && t1 <= now {
            Ok(CodeCheck { first_step: t1 })
        } else if t1 + EXPIRED_STEPS + 1 >= now && t1 < now {
            // Typed a minute or two late: the codes were right when they were shown.
            Err(Invalid::MfaCodesExpired)
        } else {
            Err(Invalid::MfaCodeClockSkew)
        };
    }
    let found = |code: &str| (first..=last + 1).any(|t| matches(code, t));
    if found(code1) && found(code2) {
        Err(Invalid::MfaCodesNotConsecutive)
    } else {
        Err(Invalid::MfaCodeWrong)
    }
}

/// Like [`codes_for_now`], but never in the last seconds of a step: it waits
/// for the next step then, so the pair is still current when it is checked
/// and sent (a pair made just before a step ends reads as expired).
pub(crate) async fn fresh_codes(seed: &MfaSeed) -> (String, String) {
    const MARGIN_SECONDS: u32 = 5;
    let (_, seconds_left) = current_code(seed);
    if seconds_left <= MARGIN_SECONDS {
        tokio::time::sleep(std::time::Duration::from_secs(u64::from(seconds_left))).await;
    }
    codes_for_now(seed)
}

/// "This computer is the authenticator": two consecutive codes for now,
/// the previous step's and the current one's.
pub fn codes_for_now(seed: &MfaSeed) -> (String, String) {
    let now = now_unix();
    (code_at(seed, now.saturating_sub(STEP_SECONDS)), code_at(seed, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::user_mfa::{otpauth_uri, validate_device_name, NewVirtualDevice};

    /// RFC 6238's SHA1 seed, the ASCII text "12345678901234567890".
    const RFC_SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    const RFC_VECTORS: [(u64, &str); 6] = [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ];
    const NOW: u64 = 1_111_111_111;

    fn rfc_seed() -> MfaSeed {
        MfaSeed::parse(RFC_SEED).unwrap()
    }

    fn code_of_step(seed: &MfaSeed, step: u64) -> String {
        code_at(seed, step * STEP_SECONDS)
    }

    #[test]
    fn rfc6238_sha1_vectors() {
        let seed = rfc_seed();
        for (time, eight) in RFC_VECTORS {
            assert_eq!(code_at(&seed, time), eight[2..], "t={time}");
        }
        // The full 8-digit values, from the same seed through totp-rs.
        let totp = Builder::new()
            .with_secret(Secret::try_from_base32(RFC_SEED).unwrap())
            .with_digits(8)
            .build_noncompliant();
        assert_eq!(totp.secret().as_bytes(), b"12345678901234567890");
        for (time, eight) in RFC_VECTORS {
            assert_eq!(totp.generate(time).to_string(), eight, "t={time}");
        }
    }

    #[test]
    fn seeds_are_read_from_console_text_and_from_aws_bytes() {
        let reference = rfc_seed();
        let spaced = MfaSeed::parse("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap();
        let mixed = MfaSeed::parse("  GeZdGnBv\tGy3TqOjQ\nGeZdGnBvGy3TqOjQ  ").unwrap();
        let bytes = MfaSeed::from_bytes_base32(RFC_SEED.as_bytes()).unwrap();
        for seed in [&spaced, &mixed, &bytes] {
            assert_eq!(seed.expose_secret(), RFC_SEED);
            for (time, _) in RFC_VECTORS {
                assert_eq!(code_at(seed, time), code_at(&reference, time));
            }
        }
        // "12345678901" is 11 bytes: 18 Base32 characters and 6 of padding.
        let padded = MfaSeed::parse("GEZDGNBVGY3TQOJQGE======").unwrap();
        assert_eq!(padded.expose_secret(), "GEZDGNBVGY3TQOJQGE");
        let unpadded = MfaSeed::parse("GEZDGNBVGY3TQOJQGE").unwrap();
        assert_eq!(code_at(&padded, NOW), code_at(&unpadded, NOW));
        // The shortest and longest accepted seeds.
        assert!(MfaSeed::parse(&"A".repeat(16)).is_ok());
        assert!(MfaSeed::parse(&"A".repeat(128)).is_ok());
        assert_eq!(code_at(&MfaSeed::parse(&"A".repeat(16)).unwrap(), 0).len(), 6);
    }

    #[test]
    fn a_64_character_seed_like_aws_gives_codes() {
        let seed = MfaSeed::parse(&"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(2)).unwrap();
        let code = code_at(&seed, NOW);
        assert!(is_code_format(&code));
    }

    #[test]
    fn current_code_counts_down_within_a_step() {
        let seed = rfc_seed();
        let before = now_unix();
        let (code, left) = current_code(&seed);
        let after = now_unix();
        assert!((1..=30).contains(&left), "{left}");
        assert!(code == code_at(&seed, before) || code == code_at(&seed, after));
    }

    #[test]
    fn consecutive_current_codes_pass() {
        let seed = rfc_seed();
        let n = NOW / STEP_SECONDS;
        // The code shown, then the next one.
        let ok = check_codes(&seed, &code_of_step(&seed, n), &code_of_step(&seed, n + 1), NOW);
        assert_eq!(ok, Ok(CodeCheck { first_step: n }));
        // The previous code, then the one shown now.
        let ok = check_codes(&seed, &code_of_step(&seed, n - 1), &code_of_step(&seed, n), NOW);
        assert_eq!(ok, Ok(CodeCheck { first_step: n - 1 }));
        // Any second of the step gives the same answer.
        let start = n * STEP_SECONDS;
        for now in [start, start + 29] {
            assert!(check_codes(&seed, &code_of_step(&seed, n), &code_of_step(&seed, n + 1), now).is_ok());
        }
    }

    /// The window the GUI tests rely on: a pair read at step n (the code
    /// shown and the next one) is accepted until the last second of step
    /// n + 1, and not a second later.
    #[test]
    fn a_current_and_next_pair_stays_accepted_through_the_next_step() {
        let seed = rfc_seed();
        let n = NOW / STEP_SECONDS;
        let (code1, code2) = (code_of_step(&seed, n), code_of_step(&seed, n + 1));
        let accepted = |now: u64| check_codes(&seed, &code1, &code2, now).is_ok();
        let start = n * STEP_SECONDS;
        assert!((start..start + 2 * STEP_SECONDS).all(accepted), "all of steps n and n + 1");
        assert!(!accepted(start + 2 * STEP_SECONDS), "refused from step n + 2");
        assert!(!accepted(start - 1), "refused before step n");
    }

    #[test]
    fn the_setup_key_reads_back_as_the_same_seed() {
        let seed = rfc_seed();
        let key = setup_key_text(&seed);
        assert!(key.split(' ').all(|group| (1..=4).contains(&group.len())), "{key:?}");
        assert_eq!(MfaSeed::parse(&key).unwrap().expose_secret(), seed.expose_secret());
    }

    #[test]
    fn code_pairs_get_precise_errors() {
        let seed = rfc_seed();
        let n = NOW / STEP_SECONDS;
        let at = |step: u64| code_of_step(&seed, step);
        let cases: Vec<(String, String, Invalid)> = vec![
            (at(n), at(n), Invalid::MfaCodesSame),
            ("123456".into(), "123456".into(), Invalid::MfaCodesSame),
            (at(n - 1), at(n + 1), Invalid::MfaCodesNotConsecutive),
            (at(n + 1), at(n), Invalid::MfaCodesNotConsecutive),
            (at(n), at(n - 1), Invalid::MfaCodesNotConsecutive),
            (at(n - 9), at(n + 9), Invalid::MfaCodesNotConsecutive),
            (at(n + 3), at(n + 4), Invalid::MfaCodeClockSkew),
            (at(n + 1), at(n + 2), Invalid::MfaCodeClockSkew),
            (at(n - 2), at(n - 1), Invalid::MfaCodesExpired),
            (at(n - 3), at(n - 2), Invalid::MfaCodesExpired),
            (at(n - 4), at(n - 3), Invalid::MfaCodeClockSkew),
            (at(n + 2), at(n + 3), Invalid::MfaCodeClockSkew),
            (at(n - 10), at(n - 9), Invalid::MfaCodeClockSkew),
            (at(n + 10), at(n + 11), Invalid::MfaCodeClockSkew),
            (at(n - 11), at(n - 10), Invalid::MfaCodeWrong),
            (at(n + 11), at(n + 12), Invalid::MfaCodeWrong),
            (at(n), wrong_code(&seed, n), Invalid::MfaCodeWrong),
            (wrong_code(&seed, n), at(n), Invalid::MfaCodeWrong),
            ("12345".into(), at(n), Invalid::MfaCodeFormat),
            (at(n), "1234567".into(), Invalid::MfaCodeFormat),
        ];
        for (code1, code2, expected) in cases {
            assert_eq!(
                check_codes(&seed, &code1, &code2, NOW),
                Err(expected.clone()),
                "{code1} {code2} -> {expected:?}"
            );
        }
    }

    /// A 6-digit code that no step in the search window of `n` produces.
    fn wrong_code(seed: &MfaSeed, n: u64) -> String {
        let window: Vec<String> = (n - 12..=n + 12).map(|t| code_of_step(seed, t)).collect();
        (0..1_000_000).map(|i| format!("{i:06}")).find(|c| !window.contains(c)).unwrap()
    }

    #[test]
    fn codes_from_another_seed_are_wrong() {
        let seed = rfc_seed();
        let other = MfaSeed::parse(&"ABCDEFGHIJKLMNOP".repeat(2)).unwrap();
        let n = NOW / STEP_SECONDS;
        assert_eq!(
            check_codes(&seed, &code_of_step(&other, n), &code_of_step(&other, n + 1), NOW),
            Err(Invalid::MfaCodeWrong)
        );
    }

    #[test]
    fn early_times_do_not_underflow() {
        let seed = rfc_seed();
        assert_eq!(
            check_codes(&seed, &code_of_step(&seed, 0), &code_of_step(&seed, 1), 5),
            Ok(CodeCheck { first_step: 0 })
        );
        assert_eq!(
            check_codes(&seed, &code_of_step(&seed, 4), &code_of_step(&seed, 5), 5),
            Err(Invalid::MfaCodeClockSkew)
        );
    }

    #[test]
    fn bad_codes_seeds_and_device_names_are_rejected() {
        let seed = rfc_seed();
        let good = code_of_step(&seed, NOW / STEP_SECONDS);
        let bad_codes = [
            "",
            "1",
            "12345",
            "1234567",
            "12345a",
            "abcdef",
            " 12345",
            "123 456",
            "12345 ",
            "+12345",
            "-12345",
            "12.345",
            "123456\n",
            "１２３４５６",
            "١٢٣٤٥٦",
        ];
        let bad_seeds = [
            "",
            "ABC",
            "GEZDGNBVGY3TQOJ",
            "GEZDGNBVGY3TQOJ1",
            "GEZDGNBVGY3TQOJ0",
            "GEZDGNBVGY3TQOJ8",
            "GEZDGNBVGY3TQOJ9",
            "GEZDGNBV-GY3TQOJQ",
            "GEZDGNBVGY3TQOJQ=GEZDGNBV",
            "GEZDGNBVGY3TQOJQ!",
            "ÄEZDGNBVGY3TQOJQ",
            "GEZDGNBVGY3TQOJQG",
            "GEZDGNBVGY3TQOJQGEZ",
            "GEZDGNBVGY3TQOJQGEZDGN",
            "================",
            "GEZDGNBVGY3TQOJQ=======",
            "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ",
        ];
        let too_long_seed = "A".repeat(129);
        let bad_names = [
            "",
            "my device",
            "my/device",
            "device#1",
            "mfa:admin",
            "장치",
            "dev*ice",
            "a\tb",
            "dev(1)",
            "admin\n",
            "ärger",
        ];
        let too_long_name = "a".repeat(129);

        let mut rejected = 0;
        for code in bad_codes {
            assert_eq!(check_codes(&seed, code, &good, NOW), Err(Invalid::MfaCodeFormat), "{code:?}");
            assert_eq!(check_codes(&seed, &good, code, NOW), Err(Invalid::MfaCodeFormat), "{code:?}");
            rejected += 1;
        }
        for text in bad_seeds.iter().copied().chain([too_long_seed.as_str()]) {
            assert_eq!(MfaSeed::parse(text).map(|_| ()), Err(Invalid::MfaSeedFormat), "{text:?}");
            rejected += 1;
        }
        assert_eq!(
            MfaSeed::from_bytes_base32(&[0xff, 0xfe, 0x41]).map(|_| ()),
            Err(Invalid::MfaSeedFormat)
        );
        for name in bad_names.iter().copied().chain([too_long_name.as_str()]) {
            assert_eq!(validate_device_name(name), Err(Invalid::MfaDeviceName), "{name:?}");
            rejected += 1;
        }
        assert!(rejected >= 30, "{rejected}");
    }

    #[test]
    fn good_device_names_pass() {
        for name in ["a", "admin-mfa", "admin@example.com", "root+phone=1,2._x", "a".repeat(128).as_str()] {
            assert_eq!(validate_device_name(name), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_seed() {
        let seed = rfc_seed();
        let shown = format!("{seed:?} {seed:#?}");
        assert!(!shown.contains("GEZD"), "{shown}");
        let device = NewVirtualDevice {
            serial_number: "arn:aws:iam::123456789012:mfa/admin".into(),
            seed: seed.clone(),
        };
        let shown = format!("{device:?}");
        assert!(!shown.contains("GEZD"), "{shown}");
        assert!(shown.contains("arn:aws:iam::123456789012:mfa/admin"));
        let uri = otpauth_uri(&seed, "AWS", "admin");
        assert!(!format!("{uri:?}").contains("GEZD"));
    }
}
