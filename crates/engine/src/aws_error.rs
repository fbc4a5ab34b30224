//! Turns SDK errors into plain-worded engine errors. AWS's own message is read
//! only for the permission name in an AccessDenied; it is never shown whole.

use crate::error::EngineError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

pub fn from_sdk<E, R>(operation: &'static str, err: SdkError<E, R>) -> EngineError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::TimeoutError(_) => EngineError::Network,
        SdkError::DispatchFailure(failure) => {
            if failure.is_io() || failure.is_timeout() {
                EngineError::Network
            } else if chain_mentions_missing_credentials(&err) {
                EngineError::NoCredentials
            } else {
                EngineError::Network
            }
        }
        SdkError::ServiceError(service) => from_code(operation, service.err().code(), service.err().message()),
        SdkError::ConstructionFailure(_) if chain_mentions_missing_credentials(&err) => EngineError::NoCredentials,
        _ => {
            tracing::debug!(operation, error = %aws_smithy_types::error::display::DisplayErrorContext(&err), "unexpected SDK error");
            EngineError::Aws {
                code: "RequestFailed".into(),
                operation,
            }
        }
    }
}

/// Classifies an AWS error code. Shared with the mock tests so codes stay in one place.
pub fn from_code(operation: &'static str, code: Option<&str>, message: Option<&str>) -> EngineError {
    match code {
        Some("InvalidClientTokenId" | "SignatureDoesNotMatch" | "UnrecognizedClientException" | "InvalidAccessKeyId" | "AuthFailure") => {
            EngineError::InvalidCredentials
        }
        Some("AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation") => EngineError::AccessDenied {
            action: message.and_then(permission_named_in),
        },
        Some("Throttling" | "ThrottlingException" | "TooManyRequestsException" | "RequestLimitExceeded") => EngineError::Throttled,
        Some("ExpiredToken" | "ExpiredTokenException") => EngineError::InvalidCredentials,
        Some(code) => EngineError::Aws {
            code: code.to_string(),
            operation,
        },
        None => EngineError::Aws {
            code: "Unknown".into(),
            operation,
        },
    }
}

/// AWS words it as "... is not authorized to perform: iam:CreateUser on resource: ...".
fn permission_named_in(message: &str) -> Option<String> {
    let rest = message.split("perform: ").nth(1)?;
    let action: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
        .collect();
    action.contains(':').then_some(action)
}

fn chain_mentions_missing_credentials(err: &dyn std::error::Error) -> bool {
    let mut current: Option<&dyn std::error::Error> = Some(err);
    while let Some(e) = current {
        let text = e.to_string().to_ascii_lowercase();
        if text.contains("no credentials") || text.contains("credentials provider") || text.contains("failed to load credentials") {
            return true;
        }
        current = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_denied_names_the_action_from_aws_wording() {
        let err = from_code(
            "CreateUser",
            Some("AccessDenied"),
            Some("User: arn:aws:iam::123456789012:user/x is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/y"),
        );
        match err {
            EngineError::AccessDenied { action } => assert_eq!(action.as_deref(), Some("iam:CreateUser")),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn credential_and_throttling_codes_are_classified() {
        assert!(matches!(from_code("x", Some("InvalidClientTokenId"), None), EngineError::InvalidCredentials));
        assert!(matches!(from_code("x", Some("SignatureDoesNotMatch"), None), EngineError::InvalidCredentials));
        assert!(matches!(from_code("x", Some("Throttling"), None), EngineError::Throttled));
        assert!(matches!(from_code("x", Some("NoSuchEntity"), None), EngineError::Aws { .. }));
    }
}
