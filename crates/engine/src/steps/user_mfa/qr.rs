//! The QR code authenticator apps scan, drawn here from the seed (AWS's own
//! QR PNG is discarded): the `otpauth://` URI, and the code as SVG, PNG and
//! terminal text. The URI and the QR carry the seed, so they are secrets too.

use super::totp::MfaSeed;
use qrcode::{EcLevel, QrCode};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

/// The smallest side of a drawn QR code, in pixels.
pub(crate) const QR_MIN_PIXELS: u32 = 240;

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
pub(crate) fn otpauth_uri(seed: &MfaSeed, issuer: &str, label: &str) -> SecretString {
    let issuer = percent_encode(issuer);
    let label = percent_encode(label);
    let secret = seed.expose_secret();
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
pub(crate) fn qr_png(uri: &SecretString) -> Vec<u8> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_seed() -> MfaSeed {
        MfaSeed::parse("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap()
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
