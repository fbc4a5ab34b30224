pub mod class;
pub mod credential_process;
pub mod export;
pub mod extras;
pub mod run;
pub mod status;
pub mod teardown;

use engine::connection::CredentialSource;

/// `--profile NAME`, else the standard credential chain.
pub fn source_from(profile: Option<String>) -> CredentialSource {
    match profile {
        Some(name) => CredentialSource::Profile(name),
        None => CredentialSource::DefaultChain,
    }
}
