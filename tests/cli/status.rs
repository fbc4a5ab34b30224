use crate::aws_setup;
use secrecy::ExposeSecret;
use wizard_tests::Moto;

#[tokio::test]
async fn status_json_shows_the_caller_from_the_environment() {
    let (moto, key) = Moto::with_bootstrap_admin().await;
    let out = aws_setup()
        .args(["status", "--json"])
        .env("AWS_ENDPOINT_URL", &moto.url)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", &key.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", key.secret.expose_secret())
        .output()
        .unwrap();
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["identity"]["status"], "connected");
    assert_eq!(json["identity"]["identity"]["caller"]["user_name"], "bootstrap-admin");
    assert_eq!(json["steps"].as_array().unwrap().len(), 11);
}

/// A beginner's laptop: no credentials, and no `AWS_EC2_METADATA_DISABLED`,
/// so the chain falls through to the instance-metadata service. However that
/// fails (this machine's own answer, a refused port, a port that never
/// answers), the answer is "not connected", never "network".
#[test]
fn status_without_credentials_says_not_connected_with_exit_code_3() {
    let refused = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap(); // closed when dropped
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap(); // accepts, never answers
    let metadata_endpoints = [
        None,
        Some(format!("http://{refused}")),
        Some(format!("http://{}", silent.local_addr().unwrap())),
    ];
    for endpoint in metadata_endpoints {
        for (lang, says) in [("ko", "아직 연결되지 않았습니다"), ("en", "Not connected yet")] {
            let home = tempfile::tempdir().unwrap();
            let mut cmd = aws_setup();
            cmd.args(["status", "--lang", lang])
                .env("HOME", home.path())
                .env_remove("AWS_EC2_METADATA_DISABLED")
                .env_remove("AWS_ACCESS_KEY_ID")
                .env_remove("AWS_SECRET_ACCESS_KEY")
                .env_remove("AWS_SESSION_TOKEN")
                .env_remove("AWS_REGION")
                .env_remove("AWS_DEFAULT_REGION")
                .env("AWS_CONFIG_FILE", home.path().join("none"))
                .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"));
            if let Some(url) = &endpoint {
                cmd.env("AWS_EC2_METADATA_SERVICE_ENDPOINT", url);
            }
            let out = cmd.output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(3), "metadata at {endpoint:?}: {stdout} {stderr}");
            assert!(stdout.contains(says), "metadata at {endpoint:?}: {stdout}");
            assert!(!stderr.contains("aws.network") && !stdout.contains("aws.network"), "{stderr}");
            assert!(!stderr.contains("WARN"), "no SDK warnings at the default level: {stderr}");
        }
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let out = aws_setup().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Exit codes:") && text.contains("3  not connected"));
}
