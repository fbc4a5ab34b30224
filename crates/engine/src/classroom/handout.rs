//! What the instructor hands out: one CSV for the whole class (the IAM
//! console's credentials format, plus the key columns `aws configure import`
//! reads) and a printable HTML sheet per student in the class's language.
//! Both are written 0600 and atomically, and only when asked for.

use super::create::ClassSecrets;
use super::roster::Student;
use crate::error::{EngineError, Result};
use crate::files::{self, Overwrite};
use crate::lang::Lang;
use std::path::Path;
use zeroize::Zeroizing;

pub(crate) fn write_csv(
    path: &Path,
    students: &[Student],
    secrets: &ClassSecrets,
    sign_in_url: &str,
    with_keys: bool,
    overwrite: Overwrite,
) -> Result<()> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let csv_err = |e: csv::Error| EngineError::Internal(e.to_string());
    let mut header = vec!["User name", "Password", "Console sign-in URL"];
    if with_keys {
        header.extend(["Access key ID", "Secret access key"]);
    }
    writer.write_record(&header).map_err(csv_err)?;
    for student in students {
        let Some(secret) = secrets.get(&student.user_name) else {
            continue;
        };
        let mut row = vec![
            student.user_name.as_str(),
            secret.password.as_deref().unwrap_or_default(),
            sign_in_url,
        ];
        if with_keys {
            row.push(secret.access_key_id.as_deref().unwrap_or_default());
            row.push(secret.secret_access_key.as_deref().unwrap_or_default());
        }
        writer.write_record(&row).map_err(csv_err)?;
    }
    let body = Zeroizing::new(writer.into_inner().map_err(|e| EngineError::Internal(e.to_string()))?);
    let mut bytes = Zeroizing::new("\u{feff}".as_bytes().to_vec());
    bytes.extend_from_slice(&body);
    files::write_atomic(path, &bytes, overwrite)
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub(crate) fn write_sheets(
    path: &Path,
    students: &[Student],
    secrets: &ClassSecrets,
    sign_in_url: &str,
    lang: Lang,
    overwrite: Overwrite,
) -> Result<()> {
    let t = |ko: &'static str, en: &'static str| lang.pick(ko, en);
    let mut html = Zeroizing::new(format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\n\
         body{{font-family:system-ui,'Noto Sans KR',sans-serif;margin:0}}\n\
         section{{page-break-after:always;padding:2.5cm 2cm;font-size:14pt}}\n\
         h1{{font-size:20pt}} dt{{color:#555;margin-top:1em}} dd{{margin:0;font-family:monospace;font-size:16pt}}\n\
         .note{{margin-top:2em;color:#333}}\n</style></head><body>\n",
        lang.code(),
        t("AWS 실습 로그인 안내", "AWS lab sign-in sheets")
    ));
    for student in students {
        let Some(secret) = secrets.get(&student.user_name) else {
            continue;
        };
        let name = student.display_name.as_deref().unwrap_or(&student.user_name);
        html.push_str(&format!(
            "<section><h1>{}</h1>\n<dl><dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd></dl>\n<p class=\"note\">{}</p></section>\n",
            escape(&format!("{} — {name}", t("AWS 실습 계정", "AWS lab account"))),
            t("로그인 주소", "Sign-in URL"),
            escape(sign_in_url),
            t("사용자 이름", "User name"),
            escape(&student.user_name),
            t("처음 암호", "Initial password"),
            escape(secret.password.as_deref().unwrap_or_default()),
            t(
                "처음 로그인하면 새 암호를 정하라는 화면이 나옵니다. 이 종이는 다른 사람에게 보여 주지 마세요.",
                "At your first sign-in you will be asked to choose a new password. Do not show this sheet to anyone."
            ),
        ));
    }
    html.push_str("</body></html>\n");
    files::write_atomic(path, html.as_bytes(), overwrite)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classroom::create::StudentSecrets;

    fn class() -> (Vec<Student>, ClassSecrets) {
        let students = vec![Student {
            user_name: "student01".into(),
            display_name: Some("김<민준>".into()),
            email: None,
            line: 1,
        }];
        let mut secrets = ClassSecrets::new();
        secrets.insert(
            "student01".into(),
            StudentSecrets {
                password: Some("Pw-1234567890abcd".into()),
                access_key_id: Some("AKIASTUDENT000000001".into()),
                secret_access_key: Some("secret/value".into()),
            },
        );
        (students, secrets)
    }

    #[test]
    fn the_csv_has_console_columns_and_optional_key_columns() {
        let dir = tempfile::tempdir().unwrap();
        let (students, secrets) = class();
        let path = dir.path().join("class.csv");
        write_csv(
            &path,
            &students,
            &secrets,
            "https://lab.signin.aws.amazon.com/console",
            true,
            Overwrite::Refuse,
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "\u{feff}User name,Password,Console sign-in URL,Access key ID,Secret access key\r\nstudent01,Pw-1234567890abcd,https://lab.signin.aws.amazon.com/console,AKIASTUDENT000000001,secret/value\r\n"
        );
    }

    #[test]
    fn sheets_are_localized_and_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let (students, secrets) = class();
        let path = dir.path().join("sheets.html");
        write_sheets(
            &path,
            &students,
            &secrets,
            "https://lab.signin.aws.amazon.com/console",
            Lang::Ko,
            Overwrite::Refuse,
        )
        .unwrap();
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.contains("처음 암호") && html.contains("김&lt;민준&gt;") && html.contains("Pw-1234567890abcd"));
        assert!(html.contains("lang=\"ko\""));
    }
}
