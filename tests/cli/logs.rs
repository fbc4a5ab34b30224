//! No log level prints a secret: the whole walkthrough, `credential-process`
//! and teardown at `AWS_SETUP_LOG=trace`, with every secret the run handled
//! looked for in everything they printed.

use crate::{aws_setup, Machine, FULL_CONFIG};
use secrecy::ExposeSecret;
use std::process::Output;
use wizard_tests::{Moto, MOTO_ACCOUNT_ID};

fn printed(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test]
async fn a_trace_level_run_prints_no_secret() {
    let moto = Moto::start();
    let bootstrap = moto.seed_admin("bootstrap-admin").await;
    let cleaner = moto.seed_admin("trace-cleaner").await;
    moto.set_auth(true);
    let machine = Machine::new("trace-logs");
    let config = machine.write_config(FULL_CONFIG);

    let mut run = machine.run_command(&moto, &bootstrap, &config);
    let run = run.env("AWS_SETUP_LOG", "trace").output().unwrap();
    assert!(crate::ran_to_the_end(&run), "{}", String::from_utf8_lossy(&run.stderr));
    let mut logs = printed(&run);
    assert!(
        logs.contains("step state"),
        "trace logging is on: the engine's own debug lines are there"
    );

    let mut process = aws_setup();
    machine
        .env(&mut process, &moto)
        .args(["credential-process", "--profile", "aws.user1"])
        .env("AWS_SETUP_LOG", "trace");
    let process = process.output().unwrap();
    assert!(process.status.success());
    // The key itself is credential-process's answer on stdout; its logs are stderr.
    logs.push_str(&String::from_utf8_lossy(&process.stderr));

    let key: serde_json::Value = serde_json::from_str(&machine.keychain_lookup("access-key/aws.user1").unwrap()).unwrap();
    let secrets = [
        ("the admin's secret key", key["SecretAccessKey"].as_str().unwrap().to_string()),
        (
            "the console password",
            machine
                .keychain_lookup(&format!("console-password/{MOTO_ACCOUNT_ID}/aws.user1"))
                .unwrap(),
        ),
        (
            "the MFA seed",
            machine.keychain_lookup(&format!("mfa-seed/{MOTO_ACCOUNT_ID}/aws.user1")).unwrap(),
        ),
        ("the bootstrap secret", bootstrap.secret.expose_secret().to_string()),
    ];

    let mut teardown = machine.teardown_as(&moto, &cleaner);
    teardown.env("AWS_SETUP_LOG", "trace");
    let teardown = teardown.output().unwrap();
    assert!(teardown.status.success(), "{}", String::from_utf8_lossy(&teardown.stderr));
    logs.push_str(&printed(&teardown));

    for (what, secret) in &secrets {
        assert!(secret.len() >= 16, "{what} was read back");
        assert!(!logs.contains(secret.as_str()), "{what} reached a trace-level log");
    }
}
