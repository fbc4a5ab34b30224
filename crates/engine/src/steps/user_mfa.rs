//! Step "user_mfa": a virtual MFA device for the admin IAM user, and the
//! helper for the root user's MFA.
//!
//! For the admin user the wizard creates the device itself
//! ([`create_virtual_device`]), draws the QR code from the seed
//! ([`otpauth_uri`], [`qr_svg`], [`qr_png`]), and enables the device with two
//! consecutive codes from the user's authenticator app ([`enable`]), after
//! checking them locally ([`check_codes`]) so a typo or a wrong clock gets a
//! precise message instead of AWS's generic refusal.
//!
//! For the root user the console creates the device; the user may paste the
//! console's "secret key" ([`MfaSeed::parse`]) to check codes here.
//!
//! The seed is a secret: it is held in [`MfaSeed`] (a zeroizing
//! [`SecretString`]), never logged, never put in an error, and hidden from
//! `Debug`. The otpauth URI and the QR code carry the seed too.

use crate::aws_error;
use crate::connection::Connection;
use crate::error::{EngineError, Result};
use crate::validation::Invalid;
use qrcode::{EcLevel, QrCode};
use secrecy::{ExposeSecret, SecretString};
use std::time::{SystemTime, UNIX_EPOCH};
use totp_rs::{Builder, Secret, Totp};
use zeroize::{Zeroize, Zeroizing};

/// Digits of a code, as AWS's virtual MFA uses them (SHA1, 6 digits, 30 s).
pub const CODE_DIGITS: usize = 6;
/// Seconds of one TOTP step.
pub const STEP_SECONDS: u64 = 30;
/// How many steps before and after now [`check_codes`] searches, so that it
/// can tell a wrong clock (codes found, but far from now) from a wrong code.
pub const SEARCH_WINDOW_STEPS: u64 = 10;
/// The smallest side of a drawn QR code, in pixels.
pub const QR_MIN_PIXELS: u32 = 240;

const SEED_MIN_CHARS: usize = 16;
const SEED_MAX_CHARS: usize = 128;
const MAX_PADDING: usize = 6;
const DEVICE_NAME_MAX_CHARS: usize = 128;

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
    pub fn from_bytes_base32(bytes: &[u8]) -> Result<MfaSeed, Invalid> {
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

/// Characters that stay as they are in a URI component (RFC 3986 unreserved).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `otpauth://` URI authenticator apps scan:
/// `otpauth://totp/<issuer>:<label>?secret=<seed>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30`,
/// with the issuer and label percent-encoded (a space is `%20`, a colon in
/// the label `%3A`). An empty issuer is left out.
pub fn otpauth_uri(seed: &MfaSeed, issuer: &str, label: &str) -> SecretString {
    let issuer = percent_encode(issuer);
    let label = percent_encode(label);
    let secret = seed.0.expose_secret();
    const PARAMS: &str = "&algorithm=SHA1&digits=6&period=30";
    // Sized up front so the buffer holding the seed is never reallocated.
    let capacity = "otpauth://totp/:?secret=&issuer=".len() + 2 * issuer.len() + label.len() + secret.len() + PARAMS.len();
    let mut uri = String::with_capacity(capacity);
    uri.push_str("otpauth://totp/");
    if !issuer.is_empty() {
        uri.push_str(&issuer);
        uri.push(':');
    }
    uri.push_str(&label);
    uri.push_str("?secret=");
    uri.push_str(secret);
    if !issuer.is_empty() {
        uri.push_str("&issuer=");
        uri.push_str(&issuer);
    }
    uri.push_str(PARAMS);
    SecretString::from(uri)
}

/// Medium error correction, or low if the URI is too long for medium.
fn qr_code(uri: &SecretString) -> Option<QrCode> {
    let data = uri.expose_secret().as_bytes();
    [EcLevel::M, EcLevel::L]
        .into_iter()
        .find_map(|level| QrCode::with_error_correction_level(data, level).ok())
}

/// The QR code of an otpauth URI as an SVG document: black modules on white,
/// with the standard 4-module quiet zone, at least 240 px on a side.
/// Empty only if the URI is too long for any QR code (about 2,900 bytes),
/// which [`otpauth_uri`] does not produce for names of normal length.
pub fn qr_svg(uri: &SecretString) -> String {
    use qrcode::render::svg;
    let Some(code) = qr_code(uri) else {
        tracing::warn!("the otpauth URI is too long for a QR code");
        return String::new();
    };
    code.render::<svg::Color>()
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .min_dimensions(QR_MIN_PIXELS, QR_MIN_PIXELS)
        .build()
}

/// The same QR code as a grayscale PNG file's bytes.
/// Empty only when [`qr_svg`] would be empty.
pub fn qr_png(uri: &SecretString) -> Vec<u8> {
    use image::{ImageFormat, Luma};
    let Some(code) = qr_code(uri) else {
        tracing::warn!("the otpauth URI is too long for a QR code");
        return Vec::new();
    };
    let mut pixels = code
        .render::<Luma<u8>>()
        .quiet_zone(true)
        .dark_color(Luma([0]))
        .light_color(Luma([255]))
        .min_dimensions(QR_MIN_PIXELS, QR_MIN_PIXELS)
        .build();
    let mut png = std::io::Cursor::new(Vec::new());
    let written = pixels.write_to(&mut png, ImageFormat::Png);
    let raw: &mut [u8] = &mut pixels;
    raw.zeroize();
    match written {
        Ok(()) => png.into_inner(),
        Err(err) => {
            tracing::warn!(error = %err, "the QR code could not be encoded as PNG");
            png.into_inner().zeroize();
            Vec::new()
        }
    }
}

/// The 6-digit code for a moment, as an authenticator app shows it.
pub fn code_at(seed: &MfaSeed, unix_time: u64) -> String {
    seed.totp().generate(unix_time).to_string()
}

fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The code for now, and how many seconds (1 to 30) it stays current.
pub fn current_code(seed: &MfaSeed) -> (String, u32) {
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
pub fn check_codes(seed: &MfaSeed, code1: &str, code2: &str, now_unix: u64) -> Result<CodeCheck, Invalid> {
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

/// An MFA device name: 1 to 128 letters, digits and `+ = , . @ - _`.
pub fn validate_device_name(name: &str) -> Result<(), Invalid> {
    let well_formed =
        (1..=DEVICE_NAME_MAX_CHARS).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"+=,.@-_".contains(&b));
    if well_formed {
        Ok(())
    } else {
        Err(Invalid::MfaDeviceName)
    }
}

/// A virtual MFA device AWS has just created, not yet enabled.
#[derive(Debug, Clone)]
pub struct NewVirtualDevice {
    /// The device's ARN, which `EnableMFADevice` takes as its serial number.
    pub serial_number: String,
    pub seed: MfaSeed,
}

/// Creates a virtual MFA device. Draw its QR code from the returned seed with
/// [`otpauth_uri`] and [`qr_svg`]; AWS's own QR PNG is discarded.
pub async fn create_virtual_device(conn: &Connection, device_name: &str) -> Result<NewVirtualDevice> {
    validate_device_name(device_name)?;
    let out = conn
        .iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name(device_name)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("CreateVirtualMFADevice", e))?;
    let mut device = out
        .virtual_mfa_device
        .ok_or_else(|| EngineError::Internal("CreateVirtualMFADevice returned no device".into()))?;
    if let Some(png) = device.qr_code_png.take() {
        png.into_inner().zeroize();
    }
    let mut seed_bytes = device
        .base32_string_seed
        .take()
        .map(|blob| blob.into_inner())
        .ok_or_else(|| EngineError::Internal("CreateVirtualMFADevice returned no seed".into()))?;
    let seed = MfaSeed::from_bytes_base32(&seed_bytes);
    seed_bytes.zeroize();
    let seed = seed.map_err(|_| EngineError::Internal("CreateVirtualMFADevice returned a seed that is not Base32".into()))?;
    Ok(NewVirtualDevice {
        serial_number: device.serial_number,
        seed,
    })
}

/// Enables a virtual MFA device for an IAM user with two consecutive codes.
/// The codes are checked locally first against the seed and this computer's
/// clock; if they fail, AWS is not called.
pub async fn enable(conn: &Connection, user_name: &str, serial_number: &str, seed: &MfaSeed, code1: &str, code2: &str) -> Result<()> {
    check_codes(seed, code1, code2, now_unix())?;
    conn.iam
        .enable_mfa_device()
        .user_name(user_name)
        .serial_number(serial_number)
        .authentication_code1(code1)
        .authentication_code2(code2)
        .send()
        .await
        .map_err(|e| aws_error::from_sdk("EnableMFADevice", e))?;
    Ok(())
}

/// The serial numbers of the MFA devices enabled for an IAM user.
pub async fn list_user_devices(conn: &Connection, user_name: &str) -> Result<Vec<String>> {
    let mut serials = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let out = conn
            .iam
            .list_mfa_devices()
            .user_name(user_name)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| aws_error::from_sdk("ListMFADevices", e))?;
        serials.extend(out.mfa_devices().iter().map(|device| device.serial_number().to_string()));
        match out.marker() {
            Some(next) if out.is_truncated() && !next.is_empty() => marker = Some(next.to_string()),
            _ => break,
        }
    }
    Ok(serials)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            (at(n - 2), at(n - 1), Invalid::MfaCodeClockSkew),
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

    #[test]
    fn otpauth_uri_is_percent_encoded() {
        let seed = rfc_seed();
        let uri = otpauth_uri(&seed, "AWS Setup", "alice smith");
        assert_eq!(
            uri.expose_secret(),
            "otpauth://totp/AWS%20Setup:alice%20smith?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=AWS%20Setup&algorithm=SHA1&digits=6&period=30"
        );
        let uri = otpauth_uri(&seed, "AWS", "admin:root@123456789012");
        assert!(uri
            .expose_secret()
            .starts_with("otpauth://totp/AWS:admin%3Aroot%40123456789012?secret="));
        let uri = otpauth_uri(&seed, "Ärger & Co", "a/b?c=d#e");
        assert!(uri
            .expose_secret()
            .starts_with("otpauth://totp/%C3%84rger%20%26%20Co:a%2Fb%3Fc%3Dd%23e?"));
        assert!(uri.expose_secret().contains("&issuer=%C3%84rger%20%26%20Co&"));
        let uri = otpauth_uri(&seed, "", "admin");
        assert_eq!(
            uri.expose_secret(),
            "otpauth://totp/admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &algorithm=SHA1&digits=6&period=30"
        );
    }

    fn aws_like_uri() -> SecretString {
        let seed = MfaSeed::parse(&"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(2)).unwrap();
        otpauth_uri(&seed, "AWS Setup Wizard", "admin@my-company-account")
    }

    #[test]
    fn qr_svg_is_an_svg_of_at_least_240_pixels() {
        let uri = aws_like_uri();
        let svg = qr_svg(&uri);
        assert!(svg.starts_with("<?xml"), "{}", &svg[..40]);
        assert!(svg.contains("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r##"fill="#ffffff""##));
        assert!(svg.contains(r##"fill="#000000""##));
        let width: u32 = svg
            .split("width=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap();
        assert!(width >= QR_MIN_PIXELS, "{width}");
        assert!(!svg.contains("ABCDEFGH"), "the seed is drawn, not written");
    }

    #[test]
    fn qr_png_decodes_with_the_expected_size() {
        let uri = aws_like_uri();
        let png = qr_png(&uri);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let image = image::load_from_memory(&png).unwrap().to_luma8();

        let code = QrCode::with_error_correction_level(uri.expose_secret(), EcLevel::M).unwrap();
        let modules = code.width() as u32 + 2 * 4;
        let unit = QR_MIN_PIXELS.div_ceil(modules);
        assert_eq!(image.dimensions(), (modules * unit, modules * unit));
        assert!(image.width() >= QR_MIN_PIXELS);
        // White quiet zone, then the dark corner of the top-left finder pattern.
        assert_eq!(image.get_pixel(0, 0).0, [255]);
        assert_eq!(image.get_pixel(4 * unit - 1, 4 * unit - 1).0, [255]);
        assert_eq!(image.get_pixel(4 * unit, 4 * unit).0, [0]);
        // Every module is drawn in exactly black or white.
        assert!(image.pixels().all(|p| p.0 == [0] || p.0 == [255]));
    }

    #[test]
    fn qr_of_an_impossibly_long_uri_is_empty_not_a_panic() {
        let uri = SecretString::from("x".repeat(5000));
        assert!(qr_svg(&uri).is_empty());
        assert!(qr_png(&uri).is_empty());
    }
}

/// A virtual device created for a user and waiting for their two codes.
/// It holds the seed, so it stays in the engine's memory; the UI gets the QR.
pub struct Enrollment {
    pub user_name: String,
    pub serial_number: String,
    pub seed: MfaSeed,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum MfaBegin {
    /// The user has an MFA device already: nothing to do.
    AlreadyEnabled { serial_number: String },
    /// Scan this, then type two consecutive codes.
    ScanQr {
        serial_number: String,
        qr_svg: String,
        #[serde(skip)]
        #[ts(skip)]
        qr_terminal: String,
    },
}

pub const ISSUER: &str = "AWS";

/// The label authenticator apps show: `user@account`.
pub fn label(user_name: &str, account_id: &str) -> String {
    format!("{user_name}@{account_id}")
}

/// Starts enrolment. A device this app created earlier but never enabled
/// (a crash between the two calls) is deleted and made again, because its
/// seed is gone with the crashed process.
pub async fn begin(
    conn: &Connection,
    journal: &mut crate::journal::Journal,
    user_name: &str,
    device_name: &str,
    account_id: &str,
) -> crate::Result<(MfaBegin, Option<Enrollment>)> {
    use crate::journal::Resource;
    validate_device_name(device_name)?;
    let enabled = list_user_devices(conn, user_name).await?;
    if let Some(serial_number) = enabled.into_iter().next() {
        journal.set_state(
            crate::walkthrough::StepId::UserMfa,
            crate::walkthrough::StepState::Done { verified: true },
        )?;
        return Ok((MfaBegin::AlreadyEnabled { serial_number }, None));
    }
    let stale: Vec<Resource> = journal
        .data
        .resources
        .iter()
        .filter(|r| matches!(r, Resource::MfaDevice { user_name: u, .. } if u == user_name))
        .cloned()
        .collect();
    for resource in stale {
        if let Resource::MfaDevice { serial_number, .. } = &resource {
            aws_error::tolerating(
                "DeleteVirtualMFADevice",
                conn.iam.delete_virtual_mfa_device().serial_number(serial_number).send().await,
                &["NoSuchEntity"],
            )?;
        }
        journal.forget(&resource)?;
    }
    let device = create_virtual_device(conn, device_name).await?;
    journal.record(Resource::MfaDevice {
        user_name: user_name.to_string(),
        serial_number: device.serial_number.clone(),
    })?;
    let uri = otpauth_uri(&device.seed, ISSUER, &label(user_name, account_id));
    Ok((
        MfaBegin::ScanQr {
            serial_number: device.serial_number.clone(),
            qr_svg: qr_svg(&uri),
            qr_terminal: qr_terminal(&uri),
        },
        Some(Enrollment {
            user_name: user_name.to_string(),
            serial_number: device.serial_number,
            seed: device.seed,
        }),
    ))
}

/// Checks the codes locally, enables the device, and confirms it with AWS.
pub async fn finish(
    conn: &Connection,
    journal: &mut crate::journal::Journal,
    enrollment: &Enrollment,
    code1: &str,
    code2: &str,
) -> crate::Result<bool> {
    enable(
        conn,
        &enrollment.user_name,
        &enrollment.serial_number,
        &enrollment.seed,
        code1,
        code2,
    )
    .await?;
    let verified = list_user_devices(conn, &enrollment.user_name)
        .await?
        .contains(&enrollment.serial_number);
    journal.set_state(
        crate::walkthrough::StepId::UserMfa,
        crate::walkthrough::StepState::Done { verified },
    )?;
    Ok(verified)
}

/// "This computer is the authenticator": two consecutive codes for now,
/// the previous step's and the current one's.
pub fn codes_for_now(seed: &MfaSeed) -> (String, String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    (code_at(seed, now.saturating_sub(STEP_SECONDS)), code_at(seed, now))
}

/// The QR for a terminal, drawn with half-block characters.
pub fn qr_terminal(uri: &SecretString) -> String {
    match QrCode::with_error_correction_level(uri.expose_secret().as_bytes(), EcLevel::L) {
        Ok(code) => code
            .render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// Root MFA helper: the user pasted the "secret key" the console showed.
/// What the UI needs to let them scan it and to check their codes.
pub struct RootMfaHelper {
    pub seed: MfaSeed,
    pub uri: SecretString,
}

impl RootMfaHelper {
    pub fn from_console_secret(secret_key: &str, account_label: &str) -> Result<RootMfaHelper, Invalid> {
        let seed = MfaSeed::parse(secret_key)?;
        let uri = otpauth_uri(&seed, ISSUER, &format!("root@{account_label}"));
        Ok(RootMfaHelper { seed, uri })
    }

    /// Keeps the seed in the keychain, when the user chose this backup.
    pub fn back_up_to_keychain(&self, account_id: &str) -> crate::Result<String> {
        let account = crate::keychain::mfa_seed_account(account_id, "root");
        crate::keychain::set(&account, &SecretString::from(self.seed.expose_secret().to_string()))?;
        Ok(account)
    }

    /// Saves the QR as a PNG the user chose to export (0600, never overwriting).
    pub fn export_qr_png(&self, path: &std::path::Path) -> crate::Result<()> {
        crate::files::write_atomic(path, &qr_png(&self.uri), crate::files::Overwrite::Refuse)
    }
}
