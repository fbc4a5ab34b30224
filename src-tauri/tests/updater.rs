//! The updater, for real, with no window: the app's own update functions
//! (`src-tauri/src/updates.rs`) and tauri-plugin-updater on Tauri's mock
//! runtime, against a local HTTP server that serves a `latest.json` manifest
//! and an update package signed in the test. Two minisign key pairs are made
//! here, as `tauri signer generate` makes them: the package signed with the
//! configured key is accepted, the one signed with the other key is refused.
//! Also pinned: what `tauri.conf.json` and the capabilities allow.

use aws_setup_wizard_lib::updates::{self, Pending};
use base64::Engine;
use engine::updates::{Moment, UpdateOffer};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::App;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const NEW_VERSION: &str = "0.2.0";

/// A one-thread HTTP/1.1 server on loopback serving fixed files, made by
/// `files` from the server's own address; it counts the manifest requests.
/// It lives until the test process ends.
struct Server {
    base: String,
    manifest_requests: Arc<AtomicUsize>,
}

fn serve(files: impl FnOnce(&str) -> HashMap<String, Vec<u8>>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files = files(&base);
    let manifest_requests = Arc::new(AtomicUsize::new(0));
    let counter = manifest_requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Read the headers to the blank line; the requests have no body.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
            if path == "/latest.json" {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            let (status, body) = match files.get(&path) {
                Some(body) => ("200 OK", body.as_slice()),
                None => ("404 Not Found", &b""[..]),
            };
            let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(body));
        }
    });
    Server { base, manifest_requests }
}

/// A minisign key pair; the public key as tauri.conf.json holds it (base64 of the key file).
struct Keys(minisign::KeyPair);

impl Keys {
    fn new() -> Keys {
        Keys(minisign::KeyPair::generate_unencrypted_keypair().unwrap())
    }

    fn public_for_config(&self) -> String {
        let text = self.0.pk.to_box().unwrap().into_string();
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    /// The signature as the manifest holds it: base64 of the `.sig` file,
    /// with the version in the trusted comment as the Tauri CLI writes it.
    fn sign(&self, bytes: &[u8], file: &str) -> String {
        let trusted = format!("timestamp:1800000000\tfile:{file}\tversion:{NEW_VERSION}");
        let sig = minisign::sign(Some(&self.0.pk), &self.0.sk, bytes, Some(&trusted), None).unwrap();
        base64::engine::general_purpose::STANDARD.encode(sig.into_string())
    }
}

/// The updater's name for this OS and machine, as the manifest's platforms use it.
fn platform() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    format!("{os}-{}", std::env::consts::ARCH)
}

const PACKAGE: &[u8] = b"the new AWS Setup Wizard, built in this test";

/// Serves a manifest announcing NEW_VERSION and its package, signed by `signer`.
fn release_signed_by(signer: &Keys) -> Server {
    let signature = signer.sign(PACKAGE, "aws-setup-wizard.tar.gz");
    serve(|base| {
        let manifest = serde_json::json!({
            "version": NEW_VERSION,
            "notes": "Safer defaults.",
            "pub_date": "2026-12-01T00:00:00Z",
            "platforms": {
                platform(): { "url": format!("{base}/download/aws-setup-wizard.tar.gz"), "signature": signature }
            }
        });
        HashMap::from([
            ("/latest.json".to_string(), manifest.to_string().into_bytes()),
            ("/download/aws-setup-wizard.tar.gz".to_string(), PACKAGE.to_vec()),
        ])
    })
}

fn app_trusting(keys: &Keys, endpoint: &str) -> App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context.config_mut().plugins.0.insert(
        "updater".into(),
        serde_json::json!({
            "pubkey": keys.public_for_config(),
            "endpoints": [endpoint],
            // Only this test talks plain HTTP, on loopback; tauri.conf.json never does (see below).
            "dangerousInsecureTransportProtocol": true
        }),
    );
    mock_builder()
        .plugin(updates::plugin())
        .manage(Pending::default())
        .build(context)
        .unwrap()
}

fn run<T>(future: impl std::future::Future<Output = T>) -> T {
    tauri::async_runtime::block_on(future)
}

#[test]
fn a_package_signed_with_the_configured_key_is_accepted() {
    let keys = Keys::new();
    let server = release_signed_by(&keys);
    let app = app_trusting(&keys, &format!("{}/latest.json", server.base));
    let update = run(updates::find(app.handle())).unwrap().expect("0.2.0 is newer than 0.1.0");
    assert_eq!(update.version, NEW_VERSION);
    assert_eq!(run(updates::download_verified(&update)).unwrap(), PACKAGE);
}

#[test]
fn a_package_signed_with_another_key_is_refused() {
    let trusted = Keys::new();
    let other = Keys::new();
    let server = release_signed_by(&other);
    let app = app_trusting(&trusted, &format!("{}/latest.json", server.base));
    let update = run(updates::find(app.handle())).unwrap().expect("the manifest itself is read");
    let err = run(updates::download_verified(&update)).expect_err("a package signed by another key was accepted");
    assert!(err.to_string().contains("created with a different key"), "{err}");
}

#[test]
fn a_tampered_package_is_refused() {
    let keys = Keys::new();
    let signature = keys.sign(PACKAGE, "aws-setup-wizard.tar.gz");
    let server = serve(|base| {
        let manifest = serde_json::json!({
            "version": NEW_VERSION,
            "platforms": { platform(): { "url": format!("{base}/pkg"), "signature": signature } }
        });
        HashMap::from([
            ("/latest.json".to_string(), manifest.to_string().into_bytes()),
            ("/pkg".to_string(), b"something else".to_vec()),
        ])
    });
    let app = app_trusting(&keys, &format!("{}/latest.json", server.base));
    let update = run(updates::find(app.handle())).unwrap().unwrap();
    let err = run(updates::download_verified(&update)).expect_err("an altered package was accepted");
    assert!(err.to_string().contains("signature verification failed"), "{err}");
}

/// The window's check: never in a step, at most once a day, an offer kept
/// for the yes, and no install in a step.
#[test]
fn the_window_checks_once_a_day_and_never_in_a_step() {
    let data = tempfile::tempdir().unwrap();
    // The only test here that reads the settings (engine::app_data).
    std::env::set_var("AWS_SETUP_DATA_DIR", data.path());
    let keys = Keys::new();
    let server = release_signed_by(&keys);
    let app = app_trusting(&keys, &format!("{}/latest.json", server.base));
    let pending = Pending::default();
    let requests = || server.manifest_requests.load(Ordering::SeqCst);

    assert_eq!(run(updates::check(app.handle(), &pending, Moment::InStep)), UpdateOffer::None);
    assert_eq!(requests(), 0, "looked during a step");

    let offer = run(updates::check(app.handle(), &pending, Moment::BetweenSteps));
    assert_eq!(
        offer,
        UpdateOffer::Available {
            version: NEW_VERSION.into(),
            notes: Some("Safer defaults.".into())
        }
    );
    assert_eq!(requests(), 1);

    assert_eq!(run(updates::check(app.handle(), &pending, Moment::BetweenSteps)), UpdateOffer::None);
    assert_eq!(requests(), 1, "looked twice in a day");

    // In a step the yes is not acted on; nothing is downloaded.
    assert!(!run(updates::install(app.handle(), &pending, Moment::InStep)).unwrap());
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap()).unwrap()
}

#[test]
fn the_config_verifies_updates_from_one_https_endpoint() {
    let conf = json("tauri.conf.json");
    let updater = &conf["plugins"]["updater"];
    let pubkey = updater["pubkey"].as_str().expect("plugins.updater.pubkey");
    let text = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(pubkey).unwrap()).unwrap();
    minisign::PublicKeyBox::from_string(&text)
        .and_then(|b| b.into_public_key())
        .expect("the public key in tauri.conf.json is a minisign key");
    let endpoints = updater["endpoints"].as_array().unwrap();
    assert_eq!(endpoints.len(), 1, "one update endpoint");
    assert!(endpoints[0].as_str().unwrap().starts_with("https://"), "{endpoints:?}");
    for dangerous in [
        "dangerousInsecureTransportProtocol",
        "dangerousAcceptInvalidCerts",
        "dangerousAcceptInvalidHostnames",
    ] {
        assert!(updater.get(dangerous).is_none(), "{dangerous} is set");
    }
    // Signed updater artifacts are the release workflow's, made only when it has the private key.
    assert!(conf["bundle"].get("createUpdaterArtifacts").is_none());
}

#[test]
fn the_webview_can_reach_no_network_origin_and_no_updater_command() {
    let conf = json("tauri.conf.json");
    let connect = conf["app"]["security"]["csp"]["connect-src"].as_str().unwrap();
    assert_eq!(
        connect, "ipc: http://ipc.localhost",
        "the update check runs in Rust, not in the page"
    );
    let capability = json("capabilities/main-window.json");
    let permissions: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .map_or_else(|| p["identifier"].as_str().unwrap().to_string(), str::to_string)
        })
        .collect();
    assert!(permissions.iter().all(|p| !p.starts_with("updater:")), "{permissions:?}");
    assert!(permissions.contains(&"allow-update-check".to_string()) && permissions.contains(&"allow-update-install".to_string()));
}
