//! Reads and edits the AWS CLI's own files (`~/.aws/config`, `~/.aws/credentials`)
//! line by line, so other profiles and comments survive every edit.

use std::path::PathBuf;

fn home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf())
}

/// Honours `AWS_CONFIG_FILE`, like the AWS CLI.
pub fn config_path() -> Option<PathBuf> {
    std::env::var_os("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws").join("config")))
}

/// Honours `AWS_SHARED_CREDENTIALS_FILE`, like the AWS CLI.
pub fn credentials_path() -> Option<PathBuf> {
    std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws").join("credentials")))
}

/// The profile a section header names: `[profile x]` in config, `[x]` in
/// credentials, and `[default]` in both.
pub fn section_profile(line: &str, in_config_file: bool) -> Option<String> {
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
    text.lines()
        .filter_map(|line| section_profile(line, in_config_file))
        .collect()
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

pub fn profile_exists(name: &str) -> bool {
    list_profiles().iter().any(|p| p == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_headers_are_read_per_file_kind() {
        assert_eq!(
            section_profile("[profile dev]", true).as_deref(),
            Some("dev")
        );
        assert_eq!(
            section_profile("  [default] ", true).as_deref(),
            Some("default")
        );
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
