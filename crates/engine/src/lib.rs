//! The engine of AWS Setup Wizard. It needs no window: the GUI (`src-tauri`)
//! and the `aws-setup` CLI are both thin callers of this crate.

pub mod app_data;
pub mod aws_cli_config;
pub mod aws_cli_install;
pub(crate) mod aws_error;
pub mod call_count;
pub(crate) mod catalogue;
pub mod classroom;
pub mod cli_location;
pub mod connection;
pub mod console_sign_in;
pub mod crash_points;
pub mod error;
pub mod file_store;
pub(crate) mod files;
pub mod flow;
pub(crate) mod iam;
pub mod identity_center;
pub mod journal;
pub mod keychain;
pub mod lang;
pub mod logging;
pub mod login_status;
pub mod mfa_session;
pub(crate) mod ownership;
pub mod passwords;
pub mod session;
pub mod steps;
pub mod updates;
pub mod validation;
pub mod walkthrough;

pub use error::{EngineError, ErrorCode, Result, UiError};
pub use lang::{Bilingual, Lang};

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod properties;
