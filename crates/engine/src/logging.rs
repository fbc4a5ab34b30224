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
    if directives.is_empty() {
        directives.push("error".into());
    }
    directives.extend(CAPPED_TARGETS.iter().map(|target| format!("{target}=warn")));
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
