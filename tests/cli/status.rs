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

#[test]
fn status_without_credentials_says_not_connected_with_exit_code_3() {
    let home = tempfile::tempdir().unwrap();
    let out = aws_setup()
        .args(["status", "--lang", "ko"])
        .env("HOME", home.path())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_CONFIG_FILE", home.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.path().join("none"))
        .env("AWS_REGION", "us-east-1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("아직 연결되지 않았습니다"));
}

#[test]
fn help_documents_the_exit_codes() {
    let out = aws_setup().arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Exit codes:") && text.contains("3  not connected"));
}
