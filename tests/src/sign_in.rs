//! A stand-in for AWS Sign-In, the service behind `aws login`, which moto
//! does not have. The real AWS CLI talks to it (through
//! `AWS_ENDPOINT_URL_SIGNIN`), and so does aws-config's refresh:
//! - `GET /v1/authorize`: the browser's page. It "signs in" the identity the
//!   test chose and redirects to the AWS CLI's loopback address with a code,
//!   or with a denied consent, or with a forged `state`;
//! - `POST /v1/token`: `CreateOAuth2Token`. For the code and for a refresh
//!   it answers with credentials moto accepts for that identity, unless the
//!   session was revoked.
//!
//! moto cannot make temporary credentials for a user with no key, so the
//! stand-in makes the user a key in moto (as the admin `minter`), the way the
//! real service mints session credentials, and hands it out with a session
//! token. Those keys are listed in [`SignInStandIn::minted`], for tests that
//! check the app made none. moto 5 refuses every session token while its
//! auth is on (its own `GetSessionToken`'s too), so these tests run with
//! auth off; who is calling is still checked, through `GetCallerIdentity`.
//!
//! The "browser" is [`SignInStandIn::browser_script`]: the AWS CLI runs it
//! through `BROWSER`, and it opens the authorize URL and follows the redirect.

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Allow,
    /// The user pressed "Deny": the redirect carries `error=access_denied`.
    Deny,
    /// The redirect carries another `state` than the AWS CLI sent.
    ForgedState,
}

/// Who signs in: a user's ARN, and how moto gets credentials for it.
#[derive(Clone)]
pub struct SignedIn {
    pub arn: String,
    pub user_name: String,
}

struct Plan {
    moto_url: String,
    minter: (String, String),
    /// Who signs in at the next authorize pages, in order; the last stays.
    who: std::collections::VecDeque<SignedIn>,
    /// Codes and refresh tokens handed out, and whose they are.
    grants: HashMap<String, SignedIn>,
    consent: Consent,
    expires_in: u64,
    revoked: bool,
    /// Requests to `/v1/token`, by `grantType`.
    token_calls: HashMap<String, u32>,
    /// Keys made in moto: user, key id, secret.
    minted: Vec<(String, String, String)>,
}

pub struct SignInStandIn {
    pub url: String,
    plan: Arc<Mutex<Plan>>,
}

#[derive(Debug)]
struct Closed;
impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("closed by the sign-in stand-in")
    }
}
impl std::error::Error for Closed {}

fn json_answer(status: u16, body: serde_json::Value, error_type: Option<&str>) -> Response<Full<Bytes>> {
    let mut response = Response::builder().status(status).header("content-type", "application/json");
    if let Some(kind) = error_type {
        response = response.header("x-amzn-errortype", kind);
    }
    response.body(Full::new(Bytes::from(body.to_string()))).unwrap()
}

fn query(uri: &hyper::Uri) -> HashMap<String, String> {
    url_pairs(uri.query().unwrap_or(""))
}

fn url_pairs(text: &str) -> HashMap<String, String> {
    form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

/// An unsigned ID token whose subject is the signed-in ARN: what the AWS CLI
/// reads to write `login_session`.
fn id_token(arn: &str) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let claims = b64.encode(serde_json::json!({ "sub": arn }).to_string());
    format!("{header}.{claims}.")
}

/// A new key for `user_name` in moto, made by the minter admin.
fn mint_key(plan: &Plan, user_name: &str) -> (String, String) {
    let (id, secret) = &plan.minter;
    let out = std::process::Command::new(crate::aws_cli_v2())
        .args(["iam", "create-access-key", "--user-name", user_name, "--output", "json"])
        .env("AWS_ACCESS_KEY_ID", id)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_ENDPOINT_URL", &plan.moto_url)
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("the AWS CLI runs");
    assert!(out.status.success(), "minting a key: {}", String::from_utf8_lossy(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let key = &answer["AccessKey"];
    (
        key["AccessKeyId"].as_str().unwrap().to_string(),
        key["SecretAccessKey"].as_str().unwrap().to_string(),
    )
}

fn credentials(plan: &mut Plan, grant: &str, who: SignedIn) -> Response<Full<Bytes>> {
    // One key per user, reused: IAM allows a user two.
    let (id, secret) = match plan.minted.iter().find(|(user, _, _)| *user == who.user_name) {
        Some((_, id, secret)) => (id.clone(), secret.clone()),
        None => {
            let (id, secret) = mint_key(plan, &who.user_name);
            plan.minted.push((who.user_name.clone(), id.clone(), secret.clone()));
            (id, secret)
        }
    };
    let refresh_token = format!("stand-in-refresh-{}", plan.grants.len());
    plan.grants.insert(refresh_token.clone(), who.clone());
    json_answer(
        200,
        serde_json::json!({
            "accessToken": { "accessKeyId": id, "secretAccessKey": secret, "sessionToken": format!("stand-in-session-{grant}") },
            "expiresIn": plan.expires_in,
            "refreshToken": refresh_token,
            "tokenType": "aws_sigv4",
            "idToken": id_token(&who.arn),
        }),
        None,
    )
}

async fn handle(plan: Arc<Mutex<Plan>>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Closed> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map_err(|_| Closed)?.to_bytes();
    match (parts.method.as_str(), parts.uri.path()) {
        ("GET", "/v1/authorize") => {
            let asked = query(&parts.uri);
            let (redirect, state) = (
                asked.get("redirect_uri").cloned().unwrap_or_default(),
                asked.get("state").cloned().unwrap_or_default(),
            );
            let mut plan = plan.lock().unwrap();
            let who = if plan.who.len() > 1 {
                plan.who.pop_front()
            } else {
                plan.who.front().cloned()
            };
            let code = format!("stand-in-code-{}", plan.grants.len());
            if let Some(who) = who {
                plan.grants.insert(code.clone(), who);
            }
            let location = match plan.consent {
                Consent::Allow => format!("{redirect}?code={code}&state={state}"),
                Consent::Deny => format!("{redirect}?error=access_denied&error_description=denied&state={state}"),
                Consent::ForgedState => format!("{redirect}?code={code}&state=forged-{state}"),
            };
            Ok(Response::builder()
                .status(302)
                .header("location", location)
                .body(Full::new(Bytes::new()))
                .unwrap())
        }
        ("POST", "/v1/token") => {
            let asked: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let grant = asked["grantType"].as_str().unwrap_or("").to_string();
            let mut plan = plan.lock().unwrap();
            *plan.token_calls.entry(grant.clone()).or_insert(0) += 1;
            let presented = match grant.as_str() {
                "refresh_token" => asked["refreshToken"].as_str(),
                _ => asked["code"].as_str(),
            };
            let who = presented.and_then(|p| plan.grants.get(p).cloned());
            match who {
                Some(_) if grant == "refresh_token" && plan.revoked => Ok(json_answer(
                    400,
                    serde_json::json!({"error": "TOKEN_EXPIRED", "message": "Your session has expired"}),
                    Some("AccessDeniedException"),
                )),
                Some(who) => Ok(credentials(&mut plan, &grant, who)),
                None => Ok(json_answer(
                    400,
                    serde_json::json!({"error": "INVALID_REQUEST", "message": "unknown code or token"}),
                    Some("ValidationException"),
                )),
            }
        }
        _ => Ok(Response::builder().status(404).body(Full::new(Bytes::new())).unwrap()),
    }
}

impl SignInStandIn {
    /// A stand-in that mints keys in the moto at `moto_url`, as `minter`
    /// (an admin's key id and secret).
    pub fn start(moto_url: &str, minter: (&str, &str)) -> SignInStandIn {
        let plan = Arc::new(Mutex::new(Plan {
            moto_url: moto_url.to_string(),
            minter: (minter.0.to_string(), minter.1.to_string()),
            who: Default::default(),
            grants: HashMap::new(),
            consent: Consent::Allow,
            expires_in: 900,
            revoked: false,
            token_calls: HashMap::new(),
            minted: Vec::new(),
        }));
        let shared = plan.clone();
        let addr = crate::loopback::serve(move |request| handle(shared.clone(), request));
        SignInStandIn {
            url: format!("http://{addr}"),
            plan,
        }
    }

    /// The next sign-ins are as these users, in order (`arn:aws:iam::<account>:user/<name>`);
    /// the last one signs in from then on.
    pub fn sign_in_as(&self, user_names: &[&str]) {
        self.plan.lock().unwrap().who = user_names
            .iter()
            .map(|name| SignedIn {
                arn: format!("arn:aws:iam::{}:user/{name}", crate::MOTO_ACCOUNT_ID),
                user_name: name.to_string(),
            })
            .collect();
    }

    /// How long the credentials it hands out last, in seconds (aws-config
    /// refreshes those within 5 minutes of their end at once).
    pub fn set_expires_in(&self, seconds: u64) {
        self.plan.lock().unwrap().expires_in = seconds;
    }

    pub fn set_consent(&self, consent: Consent) {
        self.plan.lock().unwrap().consent = consent;
    }

    /// Refreshing is refused from now on, as after a sign-out elsewhere.
    pub fn revoke(&self) {
        self.plan.lock().unwrap().revoked = true;
    }

    /// How many `CreateOAuth2Token` calls of this grant (`authorization_code`, `refresh_token`).
    pub fn token_calls(&self, grant: &str) -> u32 {
        self.plan.lock().unwrap().token_calls.get(grant).copied().unwrap_or(0)
    }

    /// The key ids the stand-in made in moto for signed-in users.
    pub fn minted(&self) -> Vec<String> {
        self.plan.lock().unwrap().minted.iter().map(|(_, id, _)| id.clone()).collect()
    }

    /// A `BROWSER` program for the AWS CLI: it opens the URL in the
    /// background (as a browser would, while `aws login` waits on its
    /// loopback port) and follows the redirect there.
    pub fn browser_script(dir: &Path) -> PathBuf {
        let path = dir.join("browser.sh");
        std::fs::write(&path, "#!/bin/sh\n(sleep 0.2; curl -sS -L -o /dev/null \"$1\") >/dev/null 2>&1 &\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path
    }

    /// The environment a process needs for `aws login` to reach the stand-in.
    pub fn env(&self, browser: &Path) -> Vec<(String, String)> {
        vec![
            ("AWS_ENDPOINT_URL_SIGNIN".into(), self.url.clone()),
            ("BROWSER".into(), browser.display().to_string()),
            ("AWS_SETUP_AWS_CLI".into(), crate::aws_cli_v2().display().to_string()),
        ]
    }
}
