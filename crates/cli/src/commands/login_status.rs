//! `aws-setup login-status`: per AWS CLI profile, what kind of credential it
//! holds and when it expires. Reads files and the keychain; calls no AWS.

use crate::output;
use engine::login_status::{self, CredentialKind};
use engine::Lang;

#[derive(clap::Args)]
pub struct Args {
    /// Print stable JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn kind_words(kind: CredentialKind, lang: Lang) -> String {
    let (ko, en) = match kind {
        CredentialKind::ConsoleSignIn => ("콘솔 로그인 세션 (키 없음)", "console sign-in session (no key)"),
        CredentialKind::MfaSession => ("MFA 세션 (키는 키체인에)", "MFA sessions (key in the keychain)"),
        CredentialKind::KeychainKey => ("키체인의 액세스 키 (장기)", "access key in the keychain (long-lived)"),
        CredentialKind::PlaintextKey => ("파일에 적힌 액세스 키 (장기)", "access key written in a file (long-lived)"),
        CredentialKind::Sso => ("IAM Identity Center (SSO)", "IAM Identity Center (SSO)"),
        CredentialKind::Other => ("기타", "other"),
    };
    lang.pick(ko.into(), en.into())
}

pub fn run(args: Args, lang: Lang) -> u8 {
    let profiles = login_status::all();
    if args.json {
        output::json(&profiles);
        return output::EXIT_OK;
    }
    if profiles.is_empty() {
        println!("{}", lang.pick("AWS CLI 프로필이 없습니다.", "No AWS CLI profiles."));
    }
    for p in &profiles {
        let until = match (&p.expires_at, p.kind) {
            (Some(at), _) => lang.pick(format!(" — {at} 까지"), format!(" — until {at}")),
            (None, CredentialKind::ConsoleSignIn | CredentialKind::MfaSession) => {
                lang.pick(" — 아직 시작 안 함", " — not started").to_string()
            }
            _ => String::new(),
        };
        println!("{}: {}{until}", p.profile, kind_words(p.kind, lang));
    }
    output::EXIT_OK
}
