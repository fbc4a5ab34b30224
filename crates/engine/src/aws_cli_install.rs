//! Is the AWS CLI itself installed, and is it version 2? The access-key
//! screen asks, so a student whose instructor says "now type `aws s3 ls`"
//! learns before class that the command is missing, and how to install it.
//!
//! It runs `aws --version` once, with a timeout, and reads `aws-cli/X.Y.Z`
//! from what it prints (v2 prints to stdout; old v1 builds print to stderr).

use serde::Serialize;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use ts_rs::TS;

/// How long `aws --version` may take before the AWS CLI counts as missing.
/// It only guards against a program that never answers: a first run after a
/// cold start reads the whole v2 bundle from disk, and on a busy two-core
/// machine that took over 10 s (recycling then skipped EC2 and S3 as if the
/// AWS CLI were not installed). Whoever waits on it sees progress.
pub const DETECT_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct AwsCliInstall {
    /// The `aws` program ran (even if its answer could not be read).
    pub installed: bool,
    /// `2.15.30`, from `aws-cli/2.15.30 Python/…`.
    pub version: Option<String>,
    /// Version 2, the one AWS supports and the handouts use
    /// (`aws configure import`, `aws login` exist only there).
    pub v2: bool,
    /// `aws login` exists: console sign-in for the CLI (2.32 or later).
    pub login: bool,
}

impl AwsCliInstall {
    pub const MISSING: AwsCliInstall = AwsCliInstall {
        installed: false,
        version: None,
        v2: false,
        login: false,
    };

    /// What a run that printed `output` tells.
    pub fn from_output(output: &str) -> AwsCliInstall {
        let version = parse_version(output);
        let v2 = version.as_deref().is_some_and(|v| v.split('.').next() == Some("2"));
        let login = version.as_deref().is_some_and(has_login);
        AwsCliInstall {
            installed: true,
            version,
            v2,
            login,
        }
    }
}

/// The first AWS CLI with `aws login`.
const FIRST_WITH_LOGIN: (u32, u32) = (2, 32);

/// Whether this version has `aws login`.
fn has_login(version: &str) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) >= FIRST_WITH_LOGIN
}

/// The version in `aws --version`'s answer: the `X.Y.Z` after `aws-cli/`.
pub fn parse_version(output: &str) -> Option<String> {
    let start = output.find("aws-cli/")? + "aws-cli/".len();
    let version: String = output[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let version = version.trim_end_matches('.');
    let parts: Vec<&str> = version.split('.').collect();
    (parts.len() >= 2 && parts.iter().all(|p| !p.is_empty())).then(|| version.to_string())
}

/// Runs `program --version`. A program that is not there is "not installed";
/// one that runs but does not answer in time is installed, version unknown.
pub async fn detect_program(program: &Path, timeout: Duration) -> AwsCliInstall {
    let child = tokio::process::Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) => {
            tracing::debug!(error = %e, "aws --version did not start");
            return AwsCliInstall::MISSING;
        }
    };
    match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(Ok(output)) => {
            let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.push('\n');
            text.push_str(&String::from_utf8_lossy(&output.stderr));
            AwsCliInstall::from_output(&text)
        }
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "aws --version failed");
            AwsCliInstall::from_output("")
        }
        Err(_) => {
            tracing::debug!("aws --version timed out");
            AwsCliInstall::from_output("")
        }
    }
}

/// The `aws` on the PATH, as a terminal would find it.
pub async fn detect() -> AwsCliInstall {
    detect_program(Path::new("aws"), DETECT_TIMEOUT).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_of_v2_and_v1() {
        let v2 = AwsCliInstall::from_output("aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1 exe/x86_64.ubuntu.22 prompt/off\n");
        assert_eq!(
            v2,
            AwsCliInstall {
                installed: true,
                version: Some("2.15.30".into()),
                v2: true,
                login: false,
            }
        );
        let v1 = AwsCliInstall::from_output("aws-cli/1.45.11 Python/3.11.7 Linux/6.18.44 botocore/1.43.11");
        assert_eq!((v1.version.as_deref(), v1.v2), (Some("1.45.11"), false));
        // Windows' MSI build and a version without a patch number.
        assert_eq!(
            parse_version("aws-cli/2.22.0 Python/3.12.6 Windows/11 exe/AMD64").as_deref(),
            Some("2.22.0")
        );
        assert_eq!(parse_version("aws-cli/2.9 Python/3.9").as_deref(), Some("2.9"));
    }

    #[test]
    fn an_answer_without_a_version_is_installed_but_unknown() {
        for text in ["", "command not found", "aws-cli/", "aws-cli/x.y.z", "aws-cli/2", "aws-cli/2."] {
            assert_eq!(parse_version(text), None, "{text:?}");
        }
        let unknown = AwsCliInstall::from_output("Segmentation fault");
        assert!(unknown.installed && unknown.version.is_none() && !unknown.v2);
        // A v20 some day is not v2.
        assert!(!AwsCliInstall::from_output("aws-cli/20.0.1").v2);
    }

    #[tokio::test]
    async fn a_missing_program_is_not_installed() {
        let dir = tempfile::tempdir().unwrap();
        let found = detect_program(&dir.path().join("no-such-aws"), Duration::from_secs(5)).await;
        assert_eq!(found, AwsCliInstall::MISSING);
    }

    #[cfg(unix)]
    fn script(dir: &Path, body: &str) -> std::path::PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("aws");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn reads_stdout_or_stderr_and_gives_up_on_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let v2 = script(dir.path(), "echo 'aws-cli/2.31.0 Python/3.13.7 Linux/6.8 exe/x86_64.debian.12'");
        let found = detect_program(&v2, Duration::from_secs(5)).await;
        assert_eq!((found.version.as_deref(), found.v2), (Some("2.31.0"), true));

        let dir = tempfile::tempdir().unwrap();
        let v1 = script(dir.path(), "echo 'aws-cli/1.18.69 Python/2.7.18 Linux/5.4 botocore/1.17.0' >&2");
        let found = detect_program(&v1, Duration::from_secs(5)).await;
        assert_eq!((found.version.as_deref(), found.v2), (Some("1.18.69"), false));

        let dir = tempfile::tempdir().unwrap();
        let hang = script(dir.path(), "sleep 30");
        let started = std::time::Instant::now();
        let found = detect_program(&hang, Duration::from_millis(300)).await;
        assert!(started.elapsed() < Duration::from_secs(5), "the timeout holds");
        assert!(found.installed && found.version.is_none());
    }
}
