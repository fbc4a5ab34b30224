//! Step "identity" (the Connect screen): who AWS thinks the caller is.
//! A root caller is what a brand-new account starts with; the flow treats it
//! as temporary and deletes its key at the end (see `bootstrap_cleanup`).

use crate::aws_error;
use crate::connection::{ConnectOptions, Connection, CredentialSource};
use crate::error::Result;
use crate::error::{EngineError, UiError};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum CallerKind {
    Root,
    IamUser {
        user_name: String,
    },
    AssumedRole {
        role_name: String,
        session_name: String,
    },
    /// Federated users and anything else AWS may add.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct Identity {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
    pub caller: CallerKind,
}

impl Identity {
    pub fn is_root(&self) -> bool {
        self.caller == CallerKind::Root
    }
}

/// Reads the caller kind from its ARN: `arn:aws:iam::<id>:root`,
/// `arn:aws:iam::<id>:user/<path/>name`, `arn:aws:sts::<id>:assumed-role/<role>/<session>`.
/// moto answers `arn:aws:sts::<id>:user/moto` for its default caller.
pub(crate) fn classify(arn: &str) -> CallerKind {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or_default();
    if resource == "root" {
        return CallerKind::Root;
    }
    if let Some(path_and_name) = resource.strip_prefix("user/") {
        return CallerKind::IamUser {
            user_name: path_and_name.rsplit('/').next().unwrap_or(path_and_name).to_string(),
        };
    }
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        let mut parts = rest.splitn(2, '/');
        return CallerKind::AssumedRole {
            role_name: parts.next().unwrap_or_default().to_string(),
            session_name: parts.next().unwrap_or_default().to_string(),
        };
    }
    CallerKind::Other
}

pub async fn who_am_i(connection: &Connection) -> Result<Identity> {
    let out = connection.sts.get_caller_identity().send().await.map_err(aws_error::from_sdk)?;
    let arn = out.arn().unwrap_or_default().to_string();
    Ok(Identity {
        account_id: out.account().unwrap_or_default().to_string(),
        user_id: out.user_id().unwrap_or_default().to_string(),
        caller: classify(&arn),
        arn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_are_classified() {
        assert_eq!(classify("arn:aws:iam::123456789012:root"), CallerKind::Root);
        assert_eq!(
            classify("arn:aws:iam::123456789012:user/division/aws.user1"),
            CallerKind::IamUser {
                user_name: "aws.user1".into()
            }
        );
        assert_eq!(
            classify("arn:aws:sts::123456789012:user/moto"),
            CallerKind::IamUser { user_name: "moto".into() }
        );
        assert_eq!(
            classify("arn:aws:sts::123456789012:assumed-role/Admin/alice"),
            CallerKind::AssumedRole {
                role_name: "Admin".into(),
                session_name: "alice".into()
            }
        );
        assert_eq!(classify("arn:aws:sts::123456789012:federated-user/bob"), CallerKind::Other);
        assert_eq!(classify("garbage"), CallerKind::Other);
    }
}

/// What the identity panel shows. "Not connected" is an expected outcome,
/// not an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export_to = "ipc.ts")]
pub enum IdentityStatus {
    NotConnected,
    Connected { identity: Identity },
    Failed { error: UiError },
}

pub async fn status(source: &CredentialSource, options: &ConnectOptions, lang: Lang) -> IdentityStatus {
    let result = match Connection::open(source, options).await {
        Ok(connection) => who_am_i(&connection).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(identity) => IdentityStatus::Connected { identity },
        Err(EngineError::NoCredentials) => IdentityStatus::NotConnected,
        Err(err) => IdentityStatus::Failed { error: err.to_ui(lang) },
    }
}
