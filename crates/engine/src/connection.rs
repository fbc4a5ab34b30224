//! Where the engine's AWS permission comes from, and the SDK clients built on it.
//! Retries and timeouts are the SDK's own, configured once here.

use crate::error::{EngineError, Result};
use crate::validation::Invalid;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// IAM is global; STS needs some region, and this one always exists.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Where credentials come from. A pasted key lives only in memory, in a
/// zeroizing secret, and is never written anywhere by the engine.
pub enum CredentialSource {
    AccessKey {
        access_key_id: String,
        secret_access_key: SecretString,
    },
    /// A named profile from `~/.aws/config` or `~/.aws/credentials`.
    Profile(String),
    /// The standard chain: environment, `AWS_PROFILE`, SSO, instance roles...
    DefaultChain,
}

impl std::fmt::Debug for CredentialSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CredentialSource::AccessKey { access_key_id, .. } => f
                .debug_struct("AccessKey")
                .field("access_key_id", access_key_id)
                .finish_non_exhaustive(),
            CredentialSource::Profile(name) => f.debug_tuple("Profile").field(name).finish(),
            CredentialSource::DefaultChain => f.write_str("DefaultChain"),
        }
    }
}

impl CredentialSource {
    /// Checks a pasted key pair's shape before any AWS call, trimming the
    /// whitespace that copying from a web page tends to add.
    pub fn pasted(access_key_id: &str, secret_access_key: SecretString) -> Result<CredentialSource> {
        let access_key_id = access_key_id.trim().to_string();
        validate_access_key_id(&access_key_id)?;
        let trimmed = secret_access_key.expose_secret().trim();
        validate_secret_access_key(trimmed)?;
        let secret_access_key = if trimmed.len() == secret_access_key.expose_secret().len() {
            secret_access_key
        } else {
            SecretString::from(trimmed.to_string())
        };
        Ok(CredentialSource::AccessKey {
            access_key_id,
            secret_access_key,
        })
    }
}

pub(crate) fn validate_access_key_id(id: &str) -> Result<(), Invalid> {
    let well_formed = (16..=128).contains(&id.len())
        && (id.starts_with("AKIA") || id.starts_with("ASIA"))
        && id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if well_formed {
        Ok(())
    } else {
        Err(Invalid::AccessKeyIdFormat)
    }
}

pub(crate) fn validate_secret_access_key(secret: &str) -> Result<(), Invalid> {
    let well_formed = (16..=128).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+' || b == b'=');
    if well_formed {
        Ok(())
    } else {
        Err(Invalid::SecretKeyFormat)
    }
}

pub(crate) fn validate_region(region: &str) -> Result<(), Invalid> {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = region.len() <= 32
        && parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if well_formed {
        Ok(())
    } else {
        Err(Invalid::Region)
    }
}

/// Without a region or endpoint here, aws-config's usual sources decide
/// (`AWS_REGION`, `AWS_ENDPOINT_URL`, the profile).
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub region: Option<String>,
    /// A local simulator's address, for practice mode and tests.
    pub endpoint_url: Option<String>,
    /// The AWS CLI that console sign-in runs; `None` is
    /// [`crate::console_sign_in::aws_program`] (`AWS_SETUP_AWS_CLI`, else `aws`).
    pub aws_cli: Option<std::path::PathBuf>,
}

/// SDK clients for one identity. Cloning is cheap: the clients share their
/// connection pool.
#[derive(Clone, Debug)]
pub struct Connection {
    pub iam: aws_sdk_iam::Client,
    pub sts: aws_sdk_sts::Client,
    pub budgets: aws_sdk_budgets::Client,
    pub account: aws_sdk_account::Client,
    config: Option<SdkConfig>,
    /// The access key id this connection signs with, when it was given one
    /// (a pasted key): what root-key clean-up checks before deleting.
    signing_key_id: Option<String>,
}

impl Connection {
    pub async fn open(source: &CredentialSource, options: &ConnectOptions) -> Result<Connection> {
        if let Some(region) = &options.region {
            validate_region(region)?;
        }
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::standard().with_max_attempts(5))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(20))
                    .operation_timeout(Duration::from_secs(60))
                    .build(),
            );
        match source {
            CredentialSource::AccessKey {
                access_key_id,
                secret_access_key,
            } => {
                loader = loader.credentials_provider(Credentials::new(
                    access_key_id,
                    secret_access_key.expose_secret(),
                    None,
                    None,
                    "aws-setup-pasted",
                ));
            }
            CredentialSource::Profile(name) => {
                if !crate::aws_cli_config::profile_exists(name) {
                    return Err(EngineError::ProfileNotFound(name.clone()));
                }
                loader = loader.profile_name(name);
            }
            CredentialSource::DefaultChain => {}
        }
        if let Some(region) = &options.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let mut config = loader.load().await;
        if config.region().is_none() {
            config = config.into_builder().region(Region::new(DEFAULT_REGION)).build();
        }
        match source {
            CredentialSource::AccessKey { .. } => {}
            CredentialSource::Profile(name) if crate::console_sign_in::session_arn(name).is_some() => {
                // A console sign-in that cannot give credentials has ended
                // (expired past its refresh, revoked, or never completed).
                resolve_credentials(&config)
                    .await
                    .map_err(|_| EngineError::SignInExpired(name.clone()))?;
            }
            _ => resolve_credentials(&config).await?,
        }
        let connection = Connection::from_config(&config);
        Ok(match source {
            CredentialSource::AccessKey { access_key_id, .. } => connection.signing_with(access_key_id),
            _ => connection,
        })
    }

    pub(crate) fn from_config(config: &SdkConfig) -> Connection {
        let counter = crate::call_count::CallCounter;
        Connection {
            iam: aws_sdk_iam::Client::from_conf(aws_sdk_iam::config::Builder::from(config).interceptor(counter).build()),
            sts: aws_sdk_sts::Client::from_conf(aws_sdk_sts::config::Builder::from(config).interceptor(counter).build()),
            budgets: aws_sdk_budgets::Client::from_conf(aws_sdk_budgets::config::Builder::from(config).interceptor(counter).build()),
            account: aws_sdk_account::Client::from_conf(aws_sdk_account::config::Builder::from(config).interceptor(counter).build()),
            config: Some(config.clone()),
            signing_key_id: None,
        }
    }

    /// Records which access key this connection signs with.
    pub fn signing_with(mut self, access_key_id: &str) -> Connection {
        self.signing_key_id = Some(access_key_id.to_string());
        self
    }

    pub fn signing_key_id(&self) -> Option<&str> {
        self.signing_key_id.as_deref()
    }

    /// For tests that hand in mocked clients. Budgets and Account clients
    /// get no credentials: replace them with `with_budgets` where a test needs them.
    pub fn from_clients(iam: aws_sdk_iam::Client, sts: aws_sdk_sts::Client) -> Connection {
        let unconfigured = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(DEFAULT_REGION))
            .build();
        Connection {
            iam,
            sts,
            budgets: aws_sdk_budgets::Client::new(&unconfigured),
            account: aws_sdk_account::Client::new(&unconfigured),
            config: None,
            signing_key_id: None,
        }
    }

    pub fn with_budgets(mut self, budgets: aws_sdk_budgets::Client) -> Connection {
        self.budgets = budgets;
        self
    }

    /// The shared configuration, for clients of other services (budgets, account...).
    pub(crate) fn sdk_config(&self) -> Option<&SdkConfig> {
        self.config.as_ref()
    }

    pub fn region(&self) -> String {
        self.config
            .as_ref()
            .and_then(|c| c.region())
            .map(|r| r.to_string())
            .unwrap_or_else(|| DEFAULT_REGION.to_string())
    }
}

/// Asks the chain (or the profile) for credentials once, before any call.
/// Otherwise a chain that found nothing falls through to the instance
/// metadata service, which on a laptop fails like a network would, and
/// "no credentials" would be reported as "AWS could not be reached".
async fn resolve_credentials(config: &aws_config::SdkConfig) -> Result<()> {
    use aws_credential_types::provider::ProvideCredentials;
    let provider = config.credentials_provider().ok_or(EngineError::NoCredentials)?;
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(err) => {
            tracing::info!(error = %aws_smithy_types::error::display::DisplayErrorContext(&err), "no credentials from the chain or profile");
            Err(EngineError::NoCredentials)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_keys_are_trimmed_and_checked() {
        let source = CredentialSource::pasted(
            "  AKIAIOSFODNN7EXAMPLE\n",
            SecretString::from(" wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ".to_string()),
        )
        .unwrap();
        match source {
            CredentialSource::AccessKey {
                access_key_id,
                secret_access_key,
            } => {
                assert_eq!(access_key_id, "AKIAIOSFODNN7EXAMPLE");
                assert_eq!(secret_access_key.expose_secret(), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let source = CredentialSource::pasted(
            "AKIAIOSFODNN7EXAMPLE",
            SecretString::from("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_string()),
        )
        .unwrap();
        assert!(!format!("{source:?}").contains("wJalr"));
    }

    #[test]
    fn malformed_keys_are_rejected_before_any_call() {
        let bad_ids = ["", "AKIA", "akiaiosfodnn7example", "XKIAIOSFODNN7EXAMPLE", "AKIA IOSFODNN7EXAMPL"];
        for id in bad_ids {
            assert_eq!(validate_access_key_id(id), Err(Invalid::AccessKeyIdFormat), "{id:?}");
        }
        let bad_secrets = [
            "",
            "short",
            "has space in the middle of the secret key",
            "tab\tinside-the-secret-key-value",
        ];
        for secret in bad_secrets {
            assert_eq!(validate_secret_access_key(secret), Err(Invalid::SecretKeyFormat), "{secret:?}");
        }
    }

    #[test]
    fn regions_are_checked() {
        for good in ["us-east-1", "ap-northeast-2", "us-gov-west-1"] {
            assert!(validate_region(good).is_ok(), "{good}");
        }
        for bad in ["", "useast1", "us-east", "US-EAST-1", "us-east-x", "us--east-1"] {
            assert_eq!(validate_region(bad), Err(Invalid::Region), "{bad}");
        }
    }
}
