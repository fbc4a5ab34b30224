//! What `AWS_SETUP_LOG` may turn on. The SDK, its HTTP stack and the
//! keychain client print request bodies and headers at `debug` and `trace`
//! (`CreateLoginProfile`'s `Password=`, a new key's secret in an answer), so
//! their targets are capped at `warn` whatever the user asks: no log level
//! prints a secret. The engine's own logs never carry one.

/// Crates whose verbose logs can carry request or answer bodies.
const CAPPED_TARGETS: [&str; 14] = [
    "aws_smithy",
    "aws_sdk",
    "aws_config",
    "aws_credential_types",
    "aws_runtime",
    "aws_sigv4",
    "aws_types",
    "hyper",
    "h2",
    "rustls",
    "ureq",
    "zbus",
    "keyring",
    "secret_service",
];

/// The `tracing-subscriber` `EnvFilter` directives for a user's `AWS_SETUP_LOG`:
/// theirs, minus any that would open a capped crate, then the caps. With
/// nothing set, errors only.
pub fn filter_directives(user: Option<&str>) -> String {
    let mut directives: Vec<String> = user
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .filter(|d| {
            let target = d.split('=').next().unwrap_or_default().trim_start_matches('[');
            !CAPPED_TARGETS.iter().any(|capped| target.starts_with(capped))
        })
        .map(str::to_string)
        .collect();
    // The level for every other target: the user's bare level, else errors only.
    let global = match directives.iter().rev().find(|d| !d.contains('=')) {
        Some(level) => level.to_ascii_lowercase(),
        None => {
            directives.insert(0, "error".into());
            "error".into()
        }
    };
    // A cap never makes a crate louder than the rest: at the default level the
    // SDK's warnings (the instance-metadata probe on every laptop) stay quiet.
    let cap = if global == "error" || global == "off" {
        global.as_str()
    } else {
        "warn"
    };
    directives.extend(CAPPED_TARGETS.iter().map(|target| format!("{target}={cap}")));
    directives.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_everywhere_still_caps_the_sdk_and_its_http_stack() {
        let directives = filter_directives(Some("trace,aws_smithy_runtime::client::orchestrator=trace, hyper=debug"));
        assert!(directives.starts_with("trace,"), "{directives}");
        assert!(!directives.contains("orchestrator"));
        assert!(!directives.contains("hyper=debug"));
        assert!(directives.contains("aws_smithy=warn") && directives.contains("hyper=warn"));
        assert!(filter_directives(None).starts_with("error,"));
        assert!(filter_directives(None).contains("aws_config=error"), "no louder than the default");
        assert!(filter_directives(Some("engine=debug")).starts_with("error,engine=debug,"));
        assert!(filter_directives(Some("off")).contains("aws_config=off"));
    }

    /// What the SDK would print at trace, under the filter a trace-level run gets.
    #[test]
    fn a_capped_crates_trace_event_is_dropped_while_the_engines_own_is_kept() {
        #[derive(Clone, Default)]
        struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Buffer {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter_directives(Some("trace"))))
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(target: "aws_smithy_runtime::client::orchestrator", "request body Action=CreateLoginProfile&Password=hunter2hunter2");
            tracing::trace!(target: "hyper::proto::h1", "wire bytes Password=hunter2hunter2");
            tracing::trace!(target: "engine::session", "the engine's own trace line");
        });
        let printed = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(printed.contains("the engine's own trace line"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
    }
}
