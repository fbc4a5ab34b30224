pub mod budget;
pub mod checkup;
pub mod class;
pub mod class_accounts;
pub mod confirm;
pub mod contacts;
pub mod credential_process;
pub mod export;
pub mod identity_center;
pub mod login_status;
pub mod mfa_session;
pub mod partner;
pub mod run;
pub mod status;
pub mod teardown;

use crate::output;
use engine::connection::CredentialSource;
use engine::session::WizardSession;
use engine::{EngineError, Lang};

/// A path from the command line, made absolute against the current folder,
/// as the engine takes only absolute export paths.
pub fn absolute_path(value: &str) -> Result<std::path::PathBuf, String> {
    std::path::absolute(value).map_err(|e| e.to_string())
}

/// `--profile NAME`, else the standard credential chain.
pub fn source_from(profile: Option<String>) -> CredentialSource {
    match profile {
        Some(name) => CredentialSource::Profile(name),
        None => CredentialSource::DefaultChain,
    }
}

/// The flags every extra takes.
#[derive(clap::Args)]
pub struct Common {
    /// Run with this AWS CLI profile instead of the default credential chain.
    #[arg(long, global = true)]
    profile: Option<String>,
    /// Print stable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

/// The service, connected as `--profile` (or the default chain) and bound to its account.
async fn open_session(common: &Common) -> Result<WizardSession, EngineError> {
    let session = WizardSession::default();
    session.open(&source_from(common.profile.clone())).await?;
    Ok(session)
}

fn finish(result: Result<u8, EngineError>, lang: Lang, json: bool) -> u8 {
    result.unwrap_or_else(|err| output::error(&err, lang, json))
}
