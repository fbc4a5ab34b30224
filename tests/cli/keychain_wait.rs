//! A locked keyring must not hang the AWS CLI: `credential-process` gives up
//! with a clear message. The stand-in for a locked keyring is a D-Bus
//! address whose listener accepts and never answers, as a keyring waiting
//! for a password prompt no one sees.

use crate::{aws_setup, Machine};
use std::os::unix::net::UnixListener;
use std::time::{Duration, Instant};
use wizard_tests::Moto;

#[tokio::test]
async fn credential_process_gives_up_on_a_keychain_that_never_answers() {
    let moto = Moto::start();
    let machine = Machine::new("keychain-wait");
    let socket = machine.path("silent-bus");
    let listener = UnixListener::bind(&socket).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream); // accepted, never answered
        }
    });
    let mut cmd = aws_setup();
    machine
        .env(&mut cmd, &moto)
        .args(["--lang", "en", "credential-process", "--profile", "aws.user1"])
        .env("DBUS_SESSION_BUS_ADDRESS", format!("unix:path={}", socket.display()))
        .env("AWS_SETUP_KEYCHAIN_WAIT_MS", "1500");
    let started = Instant::now();
    let out = cmd.output().unwrap();
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("keychain.no_answer") && stderr.contains("unlock"), "{stderr}");
    assert!(out.stdout.is_empty(), "no credentials are printed");
    assert!(took < Duration::from_secs(10), "gave up after {took:?}");
}
