//! Reads and edits the AWS CLI's own files (`~/.aws/config`, `~/.aws/credentials`)
//! line by line, keeping each line's own ending, so every line the app does
//! not write (other profiles, comments, CRLF endings) stays byte for byte.
//! A symlinked file is edited through to its target, and every edit leaves a
//! numbered backup that no later edit overwrites.

use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::validation::Invalid;
use std::path::{Path, PathBuf};

fn home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf())
}

/// Honours `AWS_CONFIG_FILE`, like the AWS CLI.
pub(crate) fn config_path() -> Option<PathBuf> {
    std::env::var_os("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws").join("config")))
}

/// Honours `AWS_SHARED_CREDENTIALS_FILE`, like the AWS CLI.
pub(crate) fn credentials_path() -> Option<PathBuf> {
    std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws").join("credentials")))
}

/// The profile a section header names: `[profile x]` in config, `[x]` in
/// credentials, and `[default]` in both.
pub(crate) fn section_profile(line: &str, in_config_file: bool) -> Option<String> {
    let rest = line.trim().strip_prefix('[')?;
    let close = rest.find(']')?;
    // `[profile x] # a note` is a header with a comment after it.
    let after = rest[close + 1..].trim();
    if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
        return None;
    }
    let inner = rest[..close].trim();
    if inner == "default" {
        return Some("default".into());
    }
    if in_config_file {
        inner
            .strip_prefix("profile")
            .filter(|rest| rest.starts_with(char::is_whitespace))
            .map(|rest| rest.trim().to_string())
    } else {
        Some(inner.to_string())
    }
}

fn profiles_in(text: &str, in_config_file: bool) -> Vec<String> {
    text.lines().filter_map(|line| section_profile(line, in_config_file)).collect()
}

/// Every profile the AWS CLI would know, sorted, without duplicates.
pub fn list_profiles() -> Vec<String> {
    let mut names = Vec::new();
    for (path, in_config_file) in [(config_path(), true), (credentials_path(), false)] {
        if let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) {
            names.extend(profiles_in(&text, in_config_file));
        }
    }
    names.sort();
    names.dedup();
    names
}

pub(crate) fn profile_exists(name: &str) -> bool {
    list_profiles().iter().any(|p| p == name)
}

/// Profile names become INI section names and keychain accounts:
/// letters, digits and `. _ -`, 1 to 64 characters.
pub(crate) fn validate_profile_name(name: &str) -> Result<(), Invalid> {
    let ok = (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(Invalid::ProfileName)
    }
}

fn header_for(profile: &str, in_config_file: bool) -> String {
    if in_config_file && profile != "default" {
        format!("[profile {profile}]")
    } else {
        format!("[{profile}]")
    }
}

/// The keys the app writes: only these are ever removed by teardown.
/// Every key the app may write in a config profile: the region, and one way
/// of getting credentials (`credential_process`, with `mfa_serial` for MFA
/// sessions, or `login_session` for a console sign-in).
pub(crate) const APP_CONFIG_KEYS: [&str; 7] = [
    "region",
    "credential_process",
    "mfa_serial",
    "login_session",
    "sso_session",
    "sso_account_id",
    "sso_role_name",
];
/// The keys the app writes into an `[sso-session NAME]` section.
const APP_SSO_SESSION_KEYS: [&str; 3] = ["sso_start_url", "sso_region", "sso_registration_scopes"];
pub(crate) const APP_CREDENTIALS_KEYS: [&str; 2] = ["aws_access_key_id", "aws_secret_access_key"];

/// The text's lines, each with its own ending (`\n`, `\r\n`, or none at the end).
fn split_lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_string).collect()
}

/// A line without its ending.
fn content(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

fn ending(line: &str) -> &str {
    &line[content(line).len()..]
}

/// The ending new lines get: the file's own (CRLF if it uses CRLF).
fn newline_of(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The line range of a profile's section: its header through the line before
/// the next section header.
fn section_range<S: AsRef<str>>(lines: &[S], profile: &str, in_config_file: bool) -> Option<(usize, usize)> {
    let start = lines
        .iter()
        .position(|l| section_profile(content(l.as_ref()), in_config_file).as_deref() == Some(profile))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.as_ref().trim_start().starts_with('['))
        .map(|i| start + 1 + i)
        .unwrap_or(lines.len());
    Some((start, end))
}

fn key_of(line: &str) -> Option<&str> {
    let (key, _) = content(line).split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('#') && !key.starts_with(';')).then_some(key)
}

/// Whether a profile's section is in the text.
pub(crate) fn has_section(text: &str, profile: &str, in_config_file: bool) -> bool {
    section_range(&split_lines(text), profile, in_config_file).is_some()
}

/// The keys set in one profile's section, in order.
pub(crate) fn keys_in_text(text: &str, profile: &str, in_config_file: bool) -> Vec<String> {
    let lines = split_lines(text);
    let Some((start, end)) = section_range(&lines, profile, in_config_file) else {
        return Vec::new();
    };
    lines[start + 1..end].iter().filter_map(|l| key_of(l)).map(str::to_string).collect()
}

/// The value of `key` in one profile's section, as written (trimmed).
pub(crate) fn value_in_text(text: &str, profile: &str, in_config_file: bool, key: &str) -> Option<String> {
    let lines = split_lines(text);
    let (start, end) = section_range(&lines, profile, in_config_file)?;
    lines[start + 1..end]
        .iter()
        .find(|line| key_of(line) == Some(key))
        .and_then(|line| content(line).split_once('='))
        .map(|(_, value)| value.trim().to_string())
}

/// The value of `key` in `[profile NAME]` of `~/.aws/config`.
pub fn config_value(profile: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(config_path()?).ok()?;
    value_in_text(&text, profile, true, key)
}

/// The value of `key` in `[NAME]` of `~/.aws/credentials`. Only for telling
/// what a profile holds; the caller must not keep a secret it reads.
pub(crate) fn credentials_value(profile: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(credentials_path()?).ok()?;
    value_in_text(&text, profile, false, key)
}

/// Removes `keys` from one profile's section, leaving the section and every
/// other line. `None` when none of them is there.
pub(crate) fn drop_keys_in_text(text: &str, profile: &str, in_config_file: bool, keys: &[&str]) -> Option<String> {
    let mut lines = split_lines(text);
    let (start, end) = section_range(&lines, profile, in_config_file)?;
    let found: Vec<usize> = (start + 1..end)
        .filter(|&i| key_of(&lines[i]).is_some_and(|k| keys.contains(&k)))
        .collect();
    if found.is_empty() {
        return None;
    }
    for i in found.into_iter().rev() {
        lines.remove(i);
    }
    Some(lines.concat())
}

/// Sets `settings` in one profile's section, adding the section at the end if
/// needed. Every other line stays byte for byte.
pub(crate) fn upsert_in_text(text: &str, profile: &str, in_config_file: bool, settings: &[(&str, &str)]) -> String {
    let nl = newline_of(text);
    let mut lines = split_lines(text);
    if let Some(last) = lines.last_mut() {
        if ending(last).is_empty() {
            last.push_str(nl);
        }
    }
    match section_range(&lines, profile, in_config_file) {
        Some((start, end)) => {
            let mut insert_at = end;
            while insert_at > start + 1 && content(&lines[insert_at - 1]).trim().is_empty() {
                insert_at -= 1;
            }
            for (key, value) in settings {
                match (start + 1..insert_at).find(|&i| key_of(&lines[i]) == Some(key)) {
                    Some(i) => {
                        let kept_ending = ending(&lines[i]).to_string();
                        lines[i] = format!("{key} = {value}{kept_ending}");
                    }
                    None => {
                        lines.insert(insert_at, format!("{key} = {value}{nl}"));
                        insert_at += 1;
                    }
                }
            }
        }
        None => {
            lines.push(format!("{}{nl}", header_for(profile, in_config_file)));
            lines.extend(settings.iter().map(|(k, v)| format!("{k} = {v}{nl}")));
        }
    }
    lines.concat()
}

/// Removes the `keys` the app wrote from one profile's section, and the
/// section itself once nothing else is in it. `None` when there is nothing to
/// remove. Comments and the user's own keys stay.
pub(crate) fn remove_from_text(text: &str, profile: &str, in_config_file: bool, keys: &[&str]) -> Option<String> {
    let mut lines = split_lines(text);
    let (start, end) = section_range(&lines, profile, in_config_file)?;
    let ours: Vec<usize> = (start + 1..end)
        .filter(|&i| key_of(&lines[i]).is_some_and(|k| keys.contains(&k)))
        .collect();
    let only_ours = (start + 1..end).all(|i| ours.contains(&i) || content(&lines[i]).trim().is_empty());
    if only_ours {
        lines.drain(start..end);
    } else if ours.is_empty() {
        return None;
    } else {
        for i in ours.into_iter().rev() {
            lines.remove(i);
        }
    }
    Some(lines.concat())
}

/// The next unused backup name beside `path`: `<file>.aws-setup-backup-N`.
fn backup_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    (1..)
        .map(|n| path.with_file_name(format!("{name}.aws-setup-backup-{n}")))
        .find(|candidate| !candidate.exists())
        .expect("an unused backup name exists")
}

/// Rewrites an AWS CLI file atomically, through a symlink to its target, and
/// keeps the previous version as a numbered backup.
fn rewrite(path: &Path, edit: impl FnOnce(&str) -> Option<String>) -> Result<bool> {
    let path = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| EngineError::file(path, &e))?,
        _ => path.to_path_buf(),
    };
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(EngineError::file(&path, &e)),
    };
    let Some(new) = edit(old.as_deref().unwrap_or("")) else {
        return Ok(false);
    };
    // Nothing changes (a run that was cut short wrote it already): no write, no backup.
    if old.as_deref() == Some(new.as_str()) {
        return Ok(false);
    }
    if let Some(old) = &old {
        files::write_atomic(&backup_path(&path), old.as_bytes(), Overwrite::Refuse)?;
    }
    files::write_atomic(&path, new.as_bytes(), Overwrite::Replace)?;
    Ok(true)
}

fn no_home() -> EngineError {
    EngineError::Internal("no home folder".into())
}

fn profile_file(in_config_file: bool) -> Result<PathBuf> {
    if in_config_file { config_path() } else { credentials_path() }.ok_or_else(no_home)
}

/// Whether the file has a section for this profile.
pub(crate) fn has_profile(profile: &str, in_config_file: bool) -> Result<bool> {
    let path = profile_file(in_config_file)?;
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(has_section(&text, profile, in_config_file)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(EngineError::file(&path, &e)),
    }
}

/// Sets the app's keys in a profile. A profile that is there already and not
/// the app's (`ours`) is changed only with the user's yes (`replace_existing`).
pub(crate) fn upsert_profile(
    profile: &str,
    in_config_file: bool,
    settings: &[(&str, &str)],
    ours: bool,
    replace_existing: bool,
) -> Result<PathBuf> {
    validate_profile_name(profile)?;
    let path = profile_file(in_config_file)?;
    let mut refused = false;
    rewrite(&path, |text| {
        if !ours && !replace_existing && has_section(text, profile, in_config_file) {
            refused = true;
            return None;
        }
        Some(upsert_in_text(text, profile, in_config_file, settings))
    })?;
    if refused {
        return Err(EngineError::ProfileExists {
            profile: profile.to_string(),
            path: path.display().to_string(),
        });
    }
    Ok(path)
}

/// Removes keys of an earlier way of getting credentials from a config profile
/// of the app's (say `mfa_serial` when an MFA session becomes a plain key).
pub(crate) fn drop_config_keys(profile: &str, keys: &[&str]) -> Result<bool> {
    let path = profile_file(true)?;
    rewrite(&path, |text| drop_keys_in_text(text, profile, true, keys))
}

/// An `[sso-session NAME]` section, addressed through the section functions
/// in their plain `[NAME]` form (the credentials file's): its header is
/// `[sso-session NAME]` in both readings.
fn sso_session_section(name: &str) -> String {
    format!("sso-session {name}")
}

/// Sets the app's keys in an `[sso-session NAME]` section of the config
/// file. One that is there and not the app's (`ours`) is refused.
pub(crate) fn upsert_sso_session(name: &str, settings: &[(&str, &str)], ours: bool) -> Result<PathBuf> {
    validate_profile_name(name)?;
    let path = profile_file(true)?;
    let section = sso_session_section(name);
    let mut refused = false;
    rewrite(&path, |text| {
        if !ours && has_section(text, &section, false) {
            refused = true;
            return None;
        }
        Some(upsert_in_text(text, &section, false, settings))
    })?;
    if refused {
        return Err(EngineError::ProfileExists {
            profile: section,
            path: path.display().to_string(),
        });
    }
    Ok(path)
}

/// Removes the app's keys from an `[sso-session NAME]` section (and the section, once empty).
pub(crate) fn remove_sso_session(name: &str) -> Result<bool> {
    let path = profile_file(true)?;
    rewrite(&path, |text| {
        remove_from_text(text, &sso_session_section(name), false, &APP_SSO_SESSION_KEYS)
    })
}

/// Removes the lines the app wrote into a profile (and the section, once empty).
pub(crate) fn remove_profile(profile: &str, in_config_file: bool) -> Result<bool> {
    let path = profile_file(in_config_file)?;
    let keys: &[&str] = if in_config_file { &APP_CONFIG_KEYS } else { &APP_CREDENTIALS_KEYS };
    rewrite(&path, |text| remove_from_text(text, profile, in_config_file, keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "# my settings\n[default]\nregion = us-east-1\n\n[profile work]\n# keep me\nregion = eu-west-1\n\n[sso-session corp]\nsso_region = us-east-1\n";

    #[test]
    fn values_are_read_and_dropped_within_one_section() {
        let text = "[profile a]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::1:mfa/x\n[profile b]\nmfa_serial = other\n";
        assert_eq!(
            value_in_text(text, "a", true, "mfa_serial").as_deref(),
            Some("arn:aws:iam::1:mfa/x")
        );
        assert_eq!(value_in_text(text, "a", true, "login_session"), None);
        let dropped = drop_keys_in_text(text, "a", true, &["mfa_serial"]).unwrap();
        assert_eq!(dropped, "[profile a]\nregion = eu-west-1\n[profile b]\nmfa_serial = other\n");
        assert_eq!(drop_keys_in_text(&dropped, "a", true, &["mfa_serial"]), None);
    }

    #[test]
    fn upsert_adds_a_new_profile_and_keeps_everything_else() {
        let out = upsert_in_text(
            CONFIG,
            "aws.user1",
            true,
            &[
                ("region", "ap-northeast-2"),
                (
                    "credential_process",
                    "\"/usr/bin/aws-setup\" credential-process --profile aws.user1",
                ),
            ],
        );
        assert!(out.starts_with(CONFIG.trim_end()));
        assert!(out.contains("[profile aws.user1]\nregion = ap-northeast-2\ncredential_process = \"/usr/bin/aws-setup\""));
        assert_eq!(profiles_in(&out, true), vec!["default", "work", "aws.user1"]);
    }

    #[test]
    fn upsert_replaces_keys_in_place_and_is_idempotent() {
        let once = upsert_in_text(CONFIG, "work", true, &[("region", "ap-northeast-2"), ("output", "json")]);
        assert!(once.contains("[profile work]\n# keep me\nregion = ap-northeast-2\noutput = json\n\n[sso-session corp]"));
        let twice = upsert_in_text(&once, "work", true, &[("region", "ap-northeast-2"), ("output", "json")]);
        assert_eq!(once, twice);
    }

    #[test]
    fn remove_takes_out_only_the_apps_lines() {
        // A section with the user's own comment keeps it and loses only the app's key.
        let out = remove_from_text(CONFIG, "work", true, &APP_CONFIG_KEYS).unwrap();
        assert!(!out.contains("eu-west-1"));
        assert!(out.contains("[profile work]\n# keep me\n"));
        assert!(out.contains("# my settings") && out.contains("[sso-session corp]"));
        assert_eq!(remove_from_text(CONFIG, "absent", true, &APP_CONFIG_KEYS), None);
        // The app's own section goes whole, and the file is as it was before.
        let added = upsert_in_text(
            CONFIG,
            "aws.user1",
            true,
            &[("region", "ap-northeast-2"), ("credential_process", "x")],
        );
        assert_eq!(remove_from_text(&added, "aws.user1", true, &APP_CONFIG_KEYS).unwrap(), CONFIG);
    }

    #[test]
    fn crlf_and_header_comments_are_kept_byte_for_byte() {
        let windows = "[default]\r\nregion = us-east-1\r\n\r\n[profile aws.user1] # made by the wizard\r\nregion = eu-west-1\r\n";
        let out = upsert_in_text(
            windows,
            "aws.user1",
            true,
            &[("region", "ap-northeast-2"), ("credential_process", "x")],
        );
        assert_eq!(
            out,
            "[default]\r\nregion = us-east-1\r\n\r\n[profile aws.user1] # made by the wizard\r\nregion = ap-northeast-2\r\ncredential_process = x\r\n"
        );
        assert_eq!(section_profile("[profile x] ; note", true).as_deref(), Some("x"));
        assert_eq!(section_profile("[profile x] trailing", true), None);
    }

    #[test]
    fn a_symlinked_file_is_edited_through_and_backups_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("dotfiles-aws-config");
        std::fs::write(&target, "[default]\nregion = us-east-1\n").unwrap();
        let link = dir.path().join("config");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, &link).unwrap();
        #[cfg(not(unix))]
        std::fs::copy(&target, &link).unwrap();
        for region in ["eu-west-1", "ap-northeast-2"] {
            rewrite(&link, |text| Some(upsert_in_text(text, "lab", true, &[("region", region)]))).unwrap();
        }
        #[cfg(unix)]
        {
            assert!(
                std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
                "the link stays a link"
            );
            assert!(std::fs::read_to_string(&target).unwrap().contains("region = ap-northeast-2"));
            let first = std::fs::read_to_string(dir.path().join("dotfiles-aws-config.aws-setup-backup-1")).unwrap();
            let second = std::fs::read_to_string(dir.path().join("dotfiles-aws-config.aws-setup-backup-2")).unwrap();
            assert_eq!(first, "[default]\nregion = us-east-1\n");
            assert!(second.contains("eu-west-1"));
        }
    }

    #[test]
    fn profile_names_are_checked() {
        for good in ["aws.user1", "default", "my_profile-2"] {
            assert_eq!(validate_profile_name(good), Ok(()));
        }
        for bad in ["", "has space", "br]acket", "new\nline", "semi;", &"p".repeat(65), "슬래시"] {
            assert_eq!(validate_profile_name(bad), Err(Invalid::ProfileName), "{bad:?}");
        }
    }

    #[test]
    fn section_headers_are_read_per_file_kind() {
        assert_eq!(section_profile("[profile dev]", true).as_deref(), Some("dev"));
        assert_eq!(section_profile("  [default] ", true).as_deref(), Some("default"));
        assert_eq!(section_profile("[dev]", true), None);
        assert_eq!(section_profile("[sso-session corp]", true), None);
        assert_eq!(section_profile("[dev]", false).as_deref(), Some("dev"));
        assert_eq!(section_profile("# [profile x]", true), None);
    }

    #[test]
    fn profiles_are_collected_from_text() {
        let text = "# mine\n[default]\nregion = us-east-1\n\n[profile a]\nx=1\n[services s]\n";
        assert_eq!(profiles_in(text, true), vec!["default", "a"]);
    }
}
