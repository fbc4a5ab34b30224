//! What the app may change. A user counts as the app's only when the journal
//! records it (or a create of it was pending) **and** AWS carries the app's
//! marker: the `created-by` tag, with this installation's id. A same-named
//! user without the marker, or another installation's, is never changed.
//!
//! The install id is made once and kept beside the journal, so two computers
//! (or a reinstall that lost its journal) never take each other's users.

use crate::app_data;
use crate::connection::Connection;
use crate::crash_points::crash_point;
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::iam::{self, CREATED_BY_TAG_KEY, CREATED_BY_TAG_VALUE};
use crate::journal::{Journal, Pending, Resource};
use aws_sdk_iam::types::Tag;
use rand::RngExt;

pub(crate) const INSTALL_TAG_KEY: &str = "aws-setup-install";

/// This installation's id: 32 hex digits, made on first use.
pub(crate) fn install_id() -> Result<String> {
    let path = app_data::data_dir()?.join("install-id");
    let read = || std::fs::read_to_string(&path).map(|id| id.trim().to_string());
    if let Ok(id) = read() {
        return Ok(id);
    }
    let bytes: [u8; 16] = rand::rng().random();
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    match files::write_atomic(&path, id.as_bytes(), Overwrite::Refuse) {
        Ok(()) => Ok(id),
        // Another process made it first: theirs is the one.
        Err(EngineError::File { .. }) => read().map_err(|e| EngineError::file(&path, &e)),
        Err(other) => Err(other),
    }
}

/// The tags the app puts on every user it creates.
pub(crate) fn markers() -> Result<Vec<Tag>> {
    Ok(vec![iam::created_by_tag(), iam::tag(INSTALL_TAG_KEY, &install_id()?)])
}

/// Whether the user carries this installation's marker; `None` when there is no such user.
/// A user made before install ids existed carries only `created-by`, and counts.
pub(crate) async fn user_is_marked_ours(conn: &Connection, user_name: &str) -> Result<Option<bool>> {
    let Some(tags) = iam::user_tags(conn, user_name).await? else {
        return Ok(None);
    };
    let value = |key: &str| tags.iter().find(|t| t.key() == key).map(|t| t.value().to_string());
    let created_by_app = value(CREATED_BY_TAG_KEY).as_deref() == Some(CREATED_BY_TAG_VALUE);
    let this_install = match value(INSTALL_TAG_KEY) {
        Some(id) => id == install_id()?,
        None => true,
    };
    Ok(Some(created_by_app && this_install))
}

pub(crate) enum UserClaim {
    Created {
        arn: String,
    },
    Ours {
        arn: String,
    },
    /// A user of this name (in any letter case) that is not the app's.
    Taken {
        existing_user_name: String,
    },
}

/// Creates the user with the app's markers, or recognises it as the app's
/// when the journal (or a pending create whose answer was lost) and the
/// marker agree. A create is marked pending before it is sent.
pub(crate) async fn claim_user(
    conn: &Connection,
    journal: &mut Journal,
    user_name: &str,
    path: Option<String>,
    extra_tags: Vec<Tag>,
) -> Result<UserClaim> {
    let resource = Resource::User {
        user_name: user_name.to_string(),
    };
    let pending = Pending::User {
        user_name: user_name.to_string(),
    };
    match iam::find_user(conn, user_name).await? {
        Some(user) if user.user_name() != user_name => Ok(UserClaim::Taken {
            existing_user_name: user.user_name().to_string(),
        }),
        Some(user) => {
            let recorded = journal.created(&resource) || journal.data.pending.contains(&pending);
            if !(recorded && user_is_marked_ours(conn, user_name).await? == Some(true)) {
                return Ok(UserClaim::Taken {
                    existing_user_name: user.user_name().to_string(),
                });
            }
            journal.record(resource)?;
            journal.clear_pending(&pending)?;
            Ok(UserClaim::Ours {
                arn: user.arn().to_string(),
            })
        }
        None => {
            let mut tags = markers()?;
            tags.extend(extra_tags);
            journal.mark_pending(pending.clone())?;
            let arn = iam::create_user(conn, user_name, path, tags).await?;
            crash_point!("ownership.user_created");
            journal.record(resource)?;
            journal.clear_pending(&pending)?;
            Ok(UserClaim::Created { arn })
        }
    }
}
