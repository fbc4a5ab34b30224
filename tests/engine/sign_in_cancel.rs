//! Cancel while `aws login` waits for the browser: the AWS CLI is stopped,
//! the screen gets a plain "cancelled", and the session can sign in again.
//! The AWS CLI here is a stand-in script that reports 2.38 and then waits, as
//! `aws login` does until the browser answers.

use engine::connection::ConnectOptions;
use engine::session::WizardSession;
use engine::EngineError;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

/// A stand-in `aws` that writes its pid and waits for the browser forever.
fn waiting_aws(dir: &std::path::Path) -> std::path::PathBuf {
    let script = dir.join("aws");
    let pid_file = dir.join("login.pid");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncase \"$1\" in\n  --version) echo 'aws-cli/2.38.5 Python/3.13 Linux/6 exe/x86_64';;\n  login) echo $$ > '{}'; exec sleep 600;;\nesac\n",
            pid_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn alive(pid: &str) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
}

#[tokio::test]
async fn cancel_stops_a_waiting_console_sign_in_and_kills_the_aws_cli() {
    let dir = tempfile::tempdir().unwrap();
    let session = std::sync::Arc::new(WizardSession::new(ConnectOptions {
        region: Some("us-east-1".into()),
        endpoint_url: None,
        aws_cli: Some(waiting_aws(dir.path())),
    }));
    let pid_file = dir.path().join("login.pid");

    // Cancel before anything waits does nothing.
    session.cancel_sign_in();
    let waiting = tokio::spawn({
        let session = session.clone();
        async move { session.console_sign_in("us-east-1", true).await }
    });
    let mut pid = String::new();
    for _ in 0..200 {
        if let Ok(text) = std::fs::read_to_string(&pid_file) {
            pid = text.trim().to_string();
            if !pid.is_empty() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!pid.is_empty() && alive(&pid), "aws login is waiting");
    assert!(!waiting.is_finished(), "the sign-in waits for the browser");

    session.cancel_sign_in();
    let result = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("Cancel ends the wait")
        .unwrap();
    assert!(matches!(result, Err(EngineError::AwsLoginCancelled)), "{result:?}");
    assert_eq!(result.unwrap_err().code().as_str(), "aws_cli.login_cancelled");
    let mut gone = false;
    for _ in 0..100 {
        if !alive(&pid) {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(gone, "the AWS CLI was stopped");
}
