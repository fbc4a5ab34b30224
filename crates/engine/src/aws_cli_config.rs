//! Reads and edits the AWS CLI's own files (`~/.aws/config`, `~/.aws/credentials`)
//! line by line, so other profiles and comments survive every edit.

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
    let inner = line.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
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

/// The line range of a profile's section: its header through the line before
/// the next section header.
fn section_range(lines: &[&str], profile: &str, in_config_file: bool) -> Option<(usize, usize)> {
    let start = lines
        .iter()
        .position(|l| section_profile(l, in_config_file).as_deref() == Some(profile))?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map(|i| start + 1 + i)
        .unwrap_or(lines.len());
    Some((start, end))
}

fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('#') && !key.starts_with(';')).then_some(key)
}

/// Sets `settings` in one profile's section, adding the section if needed.
/// Every other line, comments included, stays as it was.
pub(crate) fn upsert_in_text(text: &str, profile: &str, in_config_file: bool, settings: &[(&str, &str)]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let borrowed: Vec<&str> = text.lines().collect();
    match section_range(&borrowed, profile, in_config_file) {
        Some((start, end)) => {
            let mut insert_at = end;
            while insert_at > start + 1 && lines[insert_at - 1].trim().is_empty() {
                insert_at -= 1;
            }
            for (key, value) in settings {
                let line = format!("{key} = {value}");
                match (start + 1..end).find(|&i| key_of(&lines[i]) == Some(key)) {
                    Some(i) => lines[i] = line,
                    None => {
                        lines.insert(insert_at, line);
                        insert_at += 1;
                    }
                }
            }
        }
        None => {
            if lines.last().is_some_and(|l| !l.trim().is_empty()) {
                lines.push(String::new());
            }
            lines.push(header_for(profile, in_config_file));
            lines.extend(settings.iter().map(|(k, v)| format!("{k} = {v}")));
        }
    }
    lines.join("\n") + "\n"
}

/// Removes one profile's section; `None` when it was not there.
pub(crate) fn remove_from_text(text: &str, profile: &str, in_config_file: bool) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let (start, end) = section_range(&lines, profile, in_config_file)?;
    let kept: Vec<&str> = lines[..start].iter().chain(lines[end..].iter()).copied().collect();
    Some(kept.join("\n").trim_end().to_string() + "\n")
}

/// Rewrites an AWS CLI file atomically, keeping the previous version as `<file>.bak`.
fn rewrite(path: &Path, edit: impl FnOnce(&str) -> Option<String>) -> Result<bool> {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(EngineError::file(path, &e)),
    };
    let Some(new) = edit(old.as_deref().unwrap_or("")) else {
        return Ok(false);
    };
    if let Some(old) = &old {
        let backup = path.with_extension("bak");
        files::write_atomic(&backup, old.as_bytes(), Overwrite::Replace)?;
    }
    files::write_atomic(path, new.as_bytes(), Overwrite::Replace)?;
    Ok(true)
}

fn no_home() -> EngineError {
    EngineError::Internal("no home folder".into())
}

pub(crate) fn upsert_profile(profile: &str, in_config_file: bool, settings: &[(&str, &str)]) -> Result<PathBuf> {
    validate_profile_name(profile)?;
    let path = if in_config_file { config_path() } else { credentials_path() }.ok_or_else(no_home)?;
    rewrite(&path, |text| Some(upsert_in_text(text, profile, in_config_file, settings)))?;
    Ok(path)
}

pub(crate) fn remove_profile(profile: &str, in_config_file: bool) -> Result<bool> {
    let path = if in_config_file { config_path() } else { credentials_path() }.ok_or_else(no_home)?;
    rewrite(&path, |text| remove_from_text(text, profile, in_config_file))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "# my settings\n[default]\nregion = us-east-1\n\n[profile work]\n# keep me\nregion = eu-west-1\n\n[sso-session corp]\nsso_region = us-east-1\n";

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
    fn remove_takes_out_only_that_section() {
        let out = remove_from_text(CONFIG, "work", true).unwrap();
        assert!(!out.contains("eu-west-1") && !out.contains("keep me"));
        assert!(out.contains("# my settings") && out.contains("[sso-session corp]"));
        assert_eq!(remove_from_text(CONFIG, "absent", true), None);
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
