//! An adversarial AWS: an HTTP proxy between the engine and moto that fails
//! chosen calls the way a real network and a real AWS can, which moto never
//! does. A test picks the operation and its occurrence ("the 1st
//! `CreateAccessKey`") and the fault: an error answer, throttling, a reset
//! before the call reaches AWS, or an answer dropped after AWS committed it.
//! It runs on [`crate::loopback`]; moto does the rest.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and an `InternalFailure` body, without forwarding.
    Status(u16),
    /// Answer `Throttling` (400), without forwarding.
    Throttle,
    /// Close the connection before forwarding: AWS never sees the call.
    ResetBeforeForward,
    /// Forward, let moto commit, then close the connection: the answer is lost.
    DropAfterCommit,
    /// Forward after a pause.
    Delay(Duration),
    /// Answer 200 with this JSON body, without forwarding: what moto never
    /// says, such as a `FAILED` account creation or a Service Quotas value.
    Answer(&'static str),
}

impl Fault {
    /// The faults every mutating call is tried with.
    pub const MATRIX: [Fault; 4] = [
        Fault::ResetBeforeForward,
        Fault::Status(503),
        Fault::Throttle,
        Fault::DropAfterCommit,
    ];
}

#[derive(Default)]
struct Plan {
    /// (operation, occurrence from 1) → fault.
    faults: HashMap<(String, u32), Fault>,
    calls: HashMap<String, u32>,
    /// The last query-protocol form body of each operation, as sent.
    last_form: HashMap<String, String>,
}

pub struct FaultProxy {
    pub url: String,
    plan: Arc<Mutex<Plan>>,
}

/// `Action=CreateUser` in a query-protocol body, or the `X-Amz-Target`
/// suffix of a JSON-protocol call (`AWSBudgetServiceGateway.CreateBudget`).
fn operation_of(headers: &hyper::HeaderMap, body: &[u8]) -> String {
    if let Some(target) = headers.get("x-amz-target").and_then(|v| v.to_str().ok()) {
        return target.rsplit('.').next().unwrap_or(target).to_string();
    }
    String::from_utf8_lossy(body)
        .split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
        .unwrap_or("Unknown")
        .to_string()
}

fn error_answer(status: u16, code: &str) -> Response<Full<Bytes>> {
    let body = format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>injected</Message></Error></ErrorResponse>");
    Response::builder()
        .status(status)
        .header("content-type", "text/xml")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

/// Sends the call on to moto, as it came.
fn forward(target: &str, method: &str, path: &str, headers: &hyper::HeaderMap, body: Vec<u8>) -> Response<Full<Bytes>> {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let mut request = ureq::http::Request::builder().method(method).uri(format!("{target}{path}"));
    for (name, value) in headers {
        if name != "host" && name != "content-length" {
            request = request.header(name.as_str(), value.as_bytes());
        }
    }
    let mut answer = agent.run(request.body(body).unwrap()).expect("moto answers");
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        if name != "content-length" && name != "transfer-encoding" && name != "connection" {
            response = response.header(name.as_str(), value.as_bytes());
        }
    }
    let bytes = answer.body_mut().read_to_vec().unwrap_or_default();
    response.body(Full::new(Bytes::from(bytes))).unwrap()
}

/// Closing the connection without an answer: hyper drops it on an error.
#[derive(Debug)]
struct Hangup;
impl std::fmt::Display for Hangup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection closed by the fault proxy")
    }
}
impl std::error::Error for Hangup {}

async fn handle(target: Arc<String>, plan: Arc<Mutex<Plan>>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Hangup> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map_err(|_| Hangup)?.to_bytes().to_vec();
    let operation = operation_of(&parts.headers, &body);
    let fault = {
        let mut plan = plan.lock().unwrap();
        plan.last_form
            .insert(operation.clone(), String::from_utf8_lossy(&body).into_owned());
        let n = plan.calls.entry(operation.clone()).or_insert(0);
        *n += 1;
        let key = (operation, *n);
        plan.faults.get(&key).copied()
    };
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let method = parts.method.as_str().to_string();
    let send = move || forward(&target, &method, &path, &parts.headers, body);
    match fault {
        None => Ok(tokio::task::spawn_blocking(send).await.map_err(|_| Hangup)?),
        Some(Fault::Status(status)) => Ok(error_answer(status, "InternalFailure")),
        Some(Fault::Throttle) => Ok(error_answer(400, "Throttling")),
        Some(Fault::ResetBeforeForward) => Err(Hangup),
        Some(Fault::DropAfterCommit) => {
            let _committed = tokio::task::spawn_blocking(send).await;
            Err(Hangup)
        }
        Some(Fault::Answer(body)) => Ok(Response::builder()
            .status(200)
            .header("content-type", "application/x-amz-json-1.1")
            .body(Full::new(Bytes::from(body)))
            .unwrap()),
        Some(Fault::Delay(pause)) => {
            tokio::time::sleep(pause).await;
            Ok(tokio::task::spawn_blocking(send).await.map_err(|_| Hangup)?)
        }
    }
}

impl FaultProxy {
    /// A proxy on a free loopback port in front of `target` (moto's URL).
    pub fn start(target: &str) -> FaultProxy {
        let plan = Arc::new(Mutex::new(Plan::default()));
        let target = Arc::new(target.trim_end_matches('/').to_string());
        let shared = plan.clone();
        let addr: SocketAddr = crate::loopback::serve(move |request| handle(target.clone(), shared.clone(), request));
        FaultProxy {
            url: format!("http://{addr}"),
            plan,
        }
    }

    /// Fails the `occurrence`-th call (from 1) of `operation` with `fault`.
    pub fn inject(&self, operation: &str, occurrence: u32, fault: Fault) {
        self.plan.lock().unwrap().faults.insert((operation.to_string(), occurrence), fault);
    }

    /// How many calls of `operation` reached the proxy so far.
    pub fn calls(&self, operation: &str) -> u32 {
        self.plan.lock().unwrap().calls.get(operation).copied().unwrap_or(0)
    }

    /// A parameter of the last query-protocol call of `operation`
    /// (`TokenCode` of a `GetSessionToken`), decoded.
    pub fn last_param(&self, operation: &str, name: &str) -> Option<String> {
        let plan = self.plan.lock().unwrap();
        let form = plan.last_form.get(operation)?;
        form_urlencoded::parse(form.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// Forgets the faults and the counts, for the next run.
    pub fn reset(&self) {
        *self.plan.lock().unwrap() = Plan::default();
    }
}
