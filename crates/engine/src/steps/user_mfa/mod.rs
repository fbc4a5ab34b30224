//! Step "user_mfa": a virtual MFA device for the admin IAM user, and the
//! helper for the root user's MFA.
//!
//! For the admin user the wizard creates the device itself
//! ([`create_virtual_device`]), draws the QR code from the seed
//! ([`otpauth_uri`], [`qr_svg`]), and enables the device with two
//! consecutive codes from the user's authenticator app ([`enable`]), after
//! checking them locally ([`check_codes`]) so a typo or a wrong clock
//! gets a precise message instead of AWS's generic refusal.
//!
//! For the root user the console creates the device; the user may paste the
//! console's "secret key" ([`MfaSeed::parse`]) to check codes here.

mod qr;
mod totp;

pub(crate) use qr::{otpauth_uri, qr_png, qr_svg, qr_terminal};
pub(crate) use totp::{check_codes, current_code, fresh_codes, setup_key_text};
pub use totp::{codes_for_now, MfaSeed};

use crate::connection::Connection;
use crate::crash_points::crash_point;
use crate::error::{EngineError, Result};
use crate::iam;
use crate::journal::{Journal, Pending, Resource};
use crate::validation::Invalid;
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroize;

const DEVICE_NAME_MAX_CHARS: usize = 128;

/// An MFA device name: 1 to 128 letters, digits and `+ = , . @ - _`.
pub(crate) fn validate_device_name(name: &str) -> Result<(), Invalid> {
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
pub(crate) async fn create_virtual_device(conn: &Connection, device_name: &str) -> Result<NewVirtualDevice> {
    validate_device_name(device_name)?;
    let mut device = iam::create_virtual_mfa_device(conn, device_name).await?;
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
pub(crate) async fn enable(
    conn: &Connection,
    user_name: &str,
    serial_number: &str,
    seed: &MfaSeed,
    code1: &str,
    code2: &str,
) -> Result<()> {
    check_codes(seed, code1, code2, totp::now_unix())?;
    iam::enable_mfa_device(conn, user_name, serial_number, code1, code2).await?;
    crash_point!("user_mfa.enabled");
    Ok(())
}

/// The serial numbers of the MFA devices enabled for an IAM user.
pub async fn list_user_devices(conn: &Connection, user_name: &str) -> Result<Vec<String>> {
    iam::mfa_devices(conn, user_name).await
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

pub(crate) const ISSUER: &str = "AWS";

/// The label authenticator apps show: `user@account`.
pub(crate) fn label(user_name: &str, account_id: &str) -> String {
    format!("{user_name}@{account_id}")
}

/// Starts enrolment. A device this app created earlier but never enabled
/// (a crash between the two calls) is deleted and made again, because its
/// seed is gone with the crashed process.
pub async fn begin(
    conn: &Connection,
    journal: &mut Journal,
    user_name: &str,
    device_name: &str,
    account_id: &str,
) -> crate::Result<(MfaBegin, Option<Enrollment>)> {
    validate_device_name(device_name)?;
    let enabled = list_user_devices(conn, user_name).await?;
    if let Some(serial_number) = enabled.into_iter().next() {
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
            iam::delete_virtual_mfa_device(conn, serial_number).await?;
        }
        journal.forget(&resource)?;
    }
    // Marked before it is sent: if the answer is lost, the device AWS made
    // (unassigned, its seed gone) is found by name and made again.
    let pending = Pending::MfaDevice {
        device_name: device_name.to_string(),
    };
    if journal.data.pending.contains(&pending) {
        remove_unassigned_device(conn, device_name).await?;
    }
    journal.mark_pending(pending.clone())?;
    let device = create_virtual_device(conn, device_name).await?;
    crash_point!("user_mfa.device_created");
    journal.record(Resource::MfaDevice {
        user_name: user_name.to_string(),
        serial_number: device.serial_number.clone(),
    })?;
    journal.clear_pending(&pending)?;
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

/// Deletes the unassigned virtual device of this name, left by a
/// `CreateVirtualMFADevice` whose answer was lost.
async fn remove_unassigned_device(conn: &Connection, device_name: &str) -> Result<()> {
    let suffix = format!(":mfa/{device_name}");
    for serial_number in iam::unassigned_mfa_devices(conn).await? {
        if serial_number.ends_with(&suffix) {
            tracing::info!("deleting an MFA device whose CreateVirtualMFADevice answer was lost");
            iam::delete_virtual_mfa_device(conn, &serial_number).await?;
        }
    }
    Ok(())
}

/// Checks the codes locally, enables the device, and confirms it with AWS.
pub async fn finish(conn: &Connection, enrollment: &Enrollment, code1: &str, code2: &str) -> crate::Result<bool> {
    enable(
        conn,
        &enrollment.user_name,
        &enrollment.serial_number,
        &enrollment.seed,
        code1,
        code2,
    )
    .await?;
    Ok(list_user_devices(conn, &enrollment.user_name)
        .await?
        .contains(&enrollment.serial_number))
}

/// Root MFA helper: the user pasted the "secret key" the console showed.
/// What the UI needs to let them scan it and to check their codes.
pub struct RootMfaHelper {
    pub seed: MfaSeed,
    pub uri: SecretString,
}

impl RootMfaHelper {
    pub(crate) fn from_console_secret(secret_key: &str, account_label: &str) -> Result<RootMfaHelper, Invalid> {
        let seed = MfaSeed::parse(secret_key)?;
        let uri = otpauth_uri(&seed, ISSUER, &format!("root@{account_label}"));
        Ok(RootMfaHelper { seed, uri })
    }

    /// Keeps the seed in the keychain, when the user chose this backup.
    pub(crate) fn back_up_to_keychain(&self, account_id: &str) -> crate::Result<String> {
        let account = crate::keychain::mfa_seed_account(account_id, "root");
        crate::keychain::set(&account, &SecretString::from(self.seed.expose_secret().to_string()))?;
        Ok(account)
    }

    /// Saves the QR as a PNG the user chose to export (0600, never overwriting).
    pub(crate) fn export_qr_png(&self, path: &std::path::Path) -> crate::Result<()> {
        crate::files::write_atomic(path, &qr_png(&self.uri), crate::files::Overwrite::Refuse)
    }
}
