//! The accounts-mode hand-out: one CSV for the instructor and a printable
//! sheet per student. With Identity Center there is no password to hand out
//! (AWS sends no invitation to users made by API), so each sheet gives the
//! access portal, the user name, and the first-sign-in steps ("Forgot
//! password"). With IAM users, the sheet gives the account's sign-in URL and
//! the generated password, which must be changed at first sign-in.

use super::create::{AccountClassReport, StudentAccount};
use crate::catalogue;
use crate::classroom::create::ClassSecrets;
use crate::classroom::handout::escape;
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::journal::Resource;
use crate::lang::Lang;
use std::path::Path;
use zeroize::Zeroizing;

/// The report the hand-out is written from, rebuilt from what the engine
/// holds (the class journal, and Identity Center for the portal), so a
/// caller never hands in account ids of its own.
pub(crate) async fn report_from_journal(clients: &super::OrgClients, class_id: &str) -> Result<AccountClassReport> {
    crate::classroom::validate_class_id(class_id)?;
    let journal = super::class_journal(class_id)?;
    let resources = journal.data.resources.clone();
    drop(journal);
    let identity_center = resources.iter().any(|r| matches!(r, Resource::PermissionSet { .. }));
    let portal_url = match identity_center {
        true => Some(super::identity_center::instance(&clients.sso_admin).await?.portal_url()),
        false => None,
    };
    let mut accounts: Vec<StudentAccount> = resources
        .iter()
        .filter_map(|r| match r {
            Resource::OrgAccount { account_id, user_name } => Some(StudentAccount {
                user_name: user_name.clone(),
                account_id: account_id.clone(),
                account_email: String::new(),
                sign_in_name: match identity_center {
                    true => super::identity_center::store_user_name(class_id, user_name),
                    false => user_name.clone(),
                },
            }),
            _ => None,
        })
        .collect();
    accounts.sort_by(|a, b| a.user_name.cmp(&b.user_name));
    Ok(AccountClassReport {
        class_id: class_id.into(),
        created: Vec::new(),
        reused: Vec::new(),
        already_done: accounts.iter().map(|a| a.user_name.clone()).collect(),
        failed: Vec::new(),
        accounts,
        portal_url,
    })
}

fn iam_sign_in_url(account_id: &str) -> String {
    format!("https://{account_id}.signin.aws.amazon.com/console")
}

/// One row per student: what they type, where, and (IAM only) the password.
fn rows(report: &AccountClassReport, secrets: &ClassSecrets) -> Vec<[String; 4]> {
    report
        .accounts
        .iter()
        .map(|a| match &report.portal_url {
            Some(portal) => [a.sign_in_name.clone(), a.account_id.clone(), portal.clone(), String::new()],
            None => {
                let password = secrets.get(&a.user_name).and_then(|s| s.password.clone()).unwrap_or_default();
                [
                    a.sign_in_name.clone(),
                    a.account_id.clone(),
                    iam_sign_in_url(&a.account_id),
                    password,
                ]
            }
        })
        .collect()
}

pub(crate) fn write_csv(path: &Path, report: &AccountClassReport, secrets: &ClassSecrets, overwrite: Overwrite) -> Result<()> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let csv_err = |e: csv::Error| EngineError::Internal(e.to_string());
    writer
        .write_record(["User name", "Account ID", "Sign-in URL", "Password"])
        .map_err(csv_err)?;
    for row in rows(report, secrets) {
        writer.write_record(&row).map_err(csv_err)?;
    }
    let body = Zeroizing::new(writer.into_inner().map_err(|e| EngineError::Internal(e.to_string()))?);
    let mut bytes = Zeroizing::new("\u{feff}".as_bytes().to_vec());
    bytes.extend_from_slice(&body);
    files::write_atomic(path, &bytes, overwrite)
}

pub(crate) fn write_sheets(
    path: &Path,
    report: &AccountClassReport,
    secrets: &ClassSecrets,
    lang: Lang,
    overwrite: Overwrite,
) -> Result<()> {
    let t = |key: &str| catalogue::text(lang, &format!("classroom_accounts.sheet.{key}"), &[]);
    let mut html = Zeroizing::new(format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\n\
         body{{font-family:system-ui,'Noto Sans KR',sans-serif;margin:0}}\n\
         section{{page-break-after:always;padding:2.5cm 2cm;font-size:14pt}}\n\
         h1{{font-size:20pt}} dt{{color:#555;margin-top:1em}} dd{{margin:0;font-family:monospace;font-size:16pt}}\n</style></head><body>\n",
        lang.code(),
        escape(&t("title")),
    ));
    let identity_center = report.portal_url.is_some();
    for row in rows(report, secrets) {
        let [user, account, url, password] = row;
        html.push_str(&format!(
            "<section><h1>{}</h1>\n<dl><dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n",
            escape(&t("title")),
            escape(&t("url")),
            escape(&url),
            escape(&t("user_name")),
            escape(&user),
            escape(&t("account")),
            escape(&account),
        ));
        if identity_center {
            html.push_str(&format!(
                "</dl>\n<ol><li>{}</li><li>{}</li><li>{}</li></ol>",
                escape(&t("ic_step1")),
                escape(&t("ic_step2")),
                escape(&t("ic_step3"))
            ));
        } else {
            html.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd></dl>\n<p>{}</p>",
                escape(&t("password")),
                escape(&password),
                escape(&t("iam_note"))
            ));
        }
        html.push_str("</section>\n");
    }
    html.push_str("</body></html>\n");
    files::write_atomic(path, html.as_bytes(), overwrite)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(portal: Option<&str>) -> AccountClassReport {
        AccountClassReport {
            class_id: "cs101".into(),
            created: vec!["alice".into()],
            reused: vec![],
            already_done: vec![],
            failed: vec![],
            accounts: vec![StudentAccount {
                user_name: "alice".into(),
                account_id: "111122223333".into(),
                account_email: "a+cs101-alice@example.com".into(),
                sign_in_name: "cs101-alice".into(),
            }],
            portal_url: portal.map(str::to_string),
        }
    }

    #[test]
    fn identity_center_sheets_give_the_portal_and_the_forgot_password_steps_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        for lang in [Lang::Ko, Lang::En] {
            let path = dir.path().join(format!("{lang:?}.html"));
            write_sheets(
                &path,
                &report(Some("https://d-1.awsapps.com/start")),
                &ClassSecrets::new(),
                lang,
                Overwrite::Refuse,
            )
            .unwrap();
            let html = std::fs::read_to_string(&path).unwrap();
            assert!(html.contains("https://d-1.awsapps.com/start") && html.contains("cs101-alice"));
            assert!(!html.contains("classroom_accounts."), "{html}");
        }
        let en = std::fs::read_to_string(dir.path().join("En.html")).unwrap();
        assert!(en.contains("Forgot password"), "{en}");
    }

    #[test]
    fn the_iam_csv_has_the_account_sign_in_url() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.csv");
        write_csv(&path, &report(None), &ClassSecrets::new(), Overwrite::Refuse).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("cs101-alice,111122223333,https://111122223333.signin.aws.amazon.com/console,"),
            "{text}"
        );
    }
}
