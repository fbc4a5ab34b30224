//! Turns SDK errors into plain-worded engine errors. AWS's own message is read
//! only for the permission name in an AccessDenied; it is never shown whole.

use crate::error::EngineError;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// The operation's name, read from the SDK's error type:
/// `aws_sdk_iam::operation::create_user::CreateUserError` names `CreateUser`.
/// This is the one place an operation is named in an error.
pub(crate) fn operation_name<E>() -> &'static str {
    let full = std::any::type_name::<E>();
    let last = full.rsplit("::").next().unwrap_or(full);
    last.strip_suffix("Error").unwrap_or(last)
}

pub(crate) fn from_sdk<E>(err: SdkError<E, HttpResponse>) -> EngineError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let operation = operation_name::<E>();
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
        SdkError::ServiceError(service) => match service.err().code() {
            Some(code) => from_code(operation, Some(code), service.err().message()),
            None => {
                let body = service.raw().body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
                from_code(operation, xml_element(&body, "Code"), xml_element(&body, "Message"))
            }
        },
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

/// The SDK's result as the engine's, where AWS answering with one of `codes`
/// is an expected outcome (`Ok(None)`) rather than an error: "already gone"
/// for deletes, "none set" for reads.
pub(crate) fn tolerating<T, E>(result: Result<T, SdkError<E, HttpResponse>>, codes: &[&str]) -> Result<Option<T>, EngineError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Ok(value) => Ok(Some(value)),
        Err(err) => match from_sdk(err) {
            EngineError::Aws { code, .. } if codes.contains(&code.as_str()) => Ok(None),
            other => Err(other),
        },
    }
}

/// Classifies an AWS error code. Shared with the mock tests so codes stay in one place.
pub(crate) fn from_code(operation: &'static str, code: Option<&str>, message: Option<&str>) -> EngineError {
    match code {
        Some("InvalidClientTokenId" | "SignatureDoesNotMatch" | "UnrecognizedClientException" | "InvalidAccessKeyId" | "AuthFailure") => {
            EngineError::InvalidCredentials
        }
        Some("AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation") => EngineError::AccessDenied {
            action: message.and_then(permission_named_in),
        },
        Some("Throttling" | "ThrottlingException" | "TooManyRequestsException" | "RequestLimitExceeded") => EngineError::Throttled,
        Some("ExpiredToken" | "ExpiredTokenException") => EngineError::InvalidCredentials,
        Some("InternalFailure" | "InternalError" | "ServiceUnavailable" | "ServiceUnavailableException") => EngineError::Unavailable,
        // The codes passed the local check (no clock skew here), so AWS saw
        // them late or already used: two fresh codes are the answer.
        Some("InvalidAuthenticationCode") => crate::validation::Invalid::MfaCodesExpired.into(),
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

/// moto (and some older AWS endpoints) wrap query-protocol errors as
/// `<ErrorResponse><Errors><Error>`, which the SDK's parser does not read;
/// the code is still the first `<Code>` element.
fn xml_element<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    let start = body.find(&format!("<{name}>"))? + name.len() + 2;
    let len = body[start..].find(&format!("</{name}>"))?;
    Some(&body[start..start + len])
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
            EngineError::AccessDenied { action } => {
                assert_eq!(action.as_deref(), Some("iam:CreateUser"))
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn operations_are_named_from_the_sdk_error_type() {
        assert_eq!(
            operation_name::<aws_sdk_iam::operation::create_user::CreateUserError>(),
            "CreateUser"
        );
        assert_eq!(
            operation_name::<aws_sdk_iam::operation::create_virtual_mfa_device::CreateVirtualMFADeviceError>(),
            "CreateVirtualMFADevice"
        );
        assert_eq!(
            operation_name::<aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError>(),
            "GetCallerIdentity"
        );
    }

    #[test]
    fn codes_are_read_from_nested_error_xml() {
        let body = "<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code><Message>bad</Message></Error></Errors></ErrorResponse>";
        assert_eq!(xml_element(body, "Code"), Some("InvalidClientTokenId"));
        assert_eq!(xml_element(body, "Message"), Some("bad"));
        assert_eq!(xml_element("<x/>", "Code"), None);
    }

    #[test]
    fn credential_and_throttling_codes_are_classified() {
        assert!(matches!(
            from_code("x", Some("InvalidClientTokenId"), None),
            EngineError::InvalidCredentials
        ));
        assert!(matches!(
            from_code("x", Some("SignatureDoesNotMatch"), None),
            EngineError::InvalidCredentials
        ));
        assert!(matches!(from_code("x", Some("Throttling"), None), EngineError::Throttled));
        assert!(matches!(from_code("x", Some("NoSuchEntity"), None), EngineError::Aws { .. }));
    }
}
