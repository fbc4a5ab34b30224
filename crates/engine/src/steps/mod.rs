//! One module per wizard step, named as the step is named in the UI and the CLI.

pub mod access_key;
pub mod account_status;
pub mod admin_user;
pub mod alias;
pub mod billing_access;
pub mod bootstrap_cleanup;
pub mod budget;
pub mod checkup;
pub mod contacts;
pub mod handoff;
pub mod identity;
pub mod identity_center_admin;
pub mod partner;
pub mod teardown;
pub mod user_mfa;
