//! The class roster: a CSV file or a pasted list, one student per line —
//! user name, then optionally a display name and an email. The whole roster
//! is checked before anything is created, and every problem is reported with
//! its line number.

use crate::error::ErrorCode;
use crate::lang::Lang;
use crate::validation::{self, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct Student {
    pub user_name: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    /// 1-based line in the roster, for messages.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct RosterProblem {
    pub line: u32,
    pub code: ErrorCode,
    pub message: String,
}

/// Header cells that name the user-name column, in either language.
const USER_NAME_HEADERS: [&str; 7] = ["user name", "username", "user_name", "사용자 이름", "사용자이름", "아이디", "이름"];

fn is_header(first_cell: &str) -> bool {
    let cell = first_cell.trim().to_lowercase();
    USER_NAME_HEADERS.contains(&cell.as_str())
}

fn optional(cell: Option<&str>) -> Option<String> {
    cell.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string)
}

fn check_line(fields: &[&str]) -> Result<(String, Option<String>, Option<String>), Invalid> {
    if fields.len() > 3 {
        return Err(Invalid::RosterTooManyFields);
    }
    let user_name = fields.first().map(|c| c.trim()).unwrap_or_default().to_string();
    validation::user_name(&user_name)?;
    let display_name = optional(fields.get(1).copied());
    if let Some(name) = &display_name {
        if name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(Invalid::DisplayName);
        }
    }
    let email = optional(fields.get(2).copied());
    if let Some(email) = &email {
        validation::email(email)?;
    }
    Ok((user_name, display_name, email))
}

/// Parses and checks the whole roster. Accepts a UTF-8 BOM, Windows line
/// endings, blank lines and a header line; reports every bad line.
pub fn parse(text: &str, lang: Lang) -> Result<Vec<Student>, Vec<RosterProblem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut students = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut first_data_line = true;
    // Line by line, so every problem has the line number an editor shows
    // (a roster has no multi-line fields).
    for (index, raw) in text.lines().enumerate() {
        let line = index as u32 + 1;
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(raw.as_bytes());
        let record = match reader.records().next() {
            Some(Ok(record)) => record,
            _ => {
                problems.push(RosterProblem {
                    line,
                    code: ErrorCode::ValidationRosterUnreadable,
                    message: crate::catalogue::text(lang, "validate.roster_unreadable", &[]),
                });
                continue;
            }
        };
        let fields: Vec<&str> = record.iter().collect();
        if first_data_line {
            first_data_line = false;
            if fields.first().is_some_and(|f| is_header(f)) {
                continue;
            }
        }
        let checked = check_line(&fields).and_then(|(user_name, display_name, email)| {
            let key = user_name.to_ascii_lowercase();
            match seen.get(&key) {
                Some(&first_line) => Err(Invalid::RosterDuplicate {
                    first_line: first_line as usize,
                }),
                None => {
                    seen.insert(key, line);
                    Ok(Student {
                        user_name,
                        display_name,
                        email,
                        line,
                    })
                }
            }
        });
        match checked {
            Ok(student) => students.push(student),
            Err(invalid) => problems.push(RosterProblem {
                line,
                code: invalid.code(),
                message: invalid.message(lang),
            }),
        }
    }
    if students.is_empty() && problems.is_empty() {
        problems.push(RosterProblem {
            line: 0,
            code: ErrorCode::ValidationRosterEmpty,
            message: Invalid::RosterEmpty.message(lang),
        });
    }
    if problems.is_empty() {
        Ok(students)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_korean_roster_with_bom_crlf_header_and_blank_lines_is_read() {
        let text = "\u{feff}사용자 이름,표시 이름,이메일\r\nstudent01,김민준,minjun@example.com\r\n\r\nstudent02,이서연\r\nstudent03\r\n";
        let students = parse(text, Lang::Ko).unwrap();
        assert_eq!(students.len(), 3);
        assert_eq!(students[0].display_name.as_deref(), Some("김민준"));
        assert_eq!(students[0].email.as_deref(), Some("minjun@example.com"));
        assert_eq!(students[0].line, 2);
        assert_eq!(students[2].user_name, "student03");
        assert_eq!(students[2].display_name, None);
    }

    #[test]
    fn an_english_header_is_recognised_and_a_list_without_one_works() {
        assert_eq!(parse("User name,Display name,Email\nalice\n", Lang::En).unwrap().len(), 1);
        assert_eq!(parse("alice\nbob\n", Lang::En).unwrap().len(), 2);
    }

    #[test]
    fn thirty_kinds_of_bad_lines_are_each_reported_with_their_line_number() {
        let bad_lines = [
            ("has space", "validation.user_name_characters"),
            ("slash/name", "validation.user_name_characters"),
            ("김민준", "validation.user_name_characters"),
            ("star*", "validation.user_name_characters"),
            ("hash#tag", "validation.user_name_characters"),
            ("percent%", "validation.user_name_characters"),
            ("colon:name", "validation.user_name_characters"),
            ("semi;colon", "validation.user_name_characters"),
            ("back\\slash", "validation.user_name_characters"),
            ("pipe|name", "validation.user_name_characters"),
            ("tilde~name", "validation.user_name_characters"),
            ("caret^name", "validation.user_name_characters"),
            ("amp&name", "validation.user_name_characters"),
            ("paren(name", "validation.user_name_characters"),
            ("brace{name", "validation.user_name_characters"),
            ("quote'name", "validation.user_name_characters"),
            ("excl!name", "validation.user_name_characters"),
            ("tab\tname", "validation.user_name_characters"),
            (&"x".repeat(65), "validation.user_name_length"),
            (",Display Only", "validation.user_name_length"),
            ("ok1,name,not-an-email", "validation.email"),
            ("ok2,name,two@@example.com", "validation.email"),
            ("ok3,name,nodomain@", "validation.email"),
            ("ok4,name,@nolocal.com", "validation.email"),
            ("ok5,name,a@b", "validation.email"),
            ("ok6,name,sp ace@example.com", "validation.email"),
            (&format!("ok7,name,{}@example.com", "e".repeat(60)), "validation.email"),
            (&format!("ok8,{}", "d".repeat(65)), "validation.display_name"),
            ("ok9,a,b@example.com,extra", "validation.roster_too_many_fields"),
            ("STUDENT01", "validation.roster_duplicate"),
        ];
        let mut text = String::from("student01,First Student\n");
        for (line, _) in &bad_lines {
            text.push_str(line);
            text.push('\n');
        }
        let problems = parse(&text, Lang::En).unwrap_err();
        assert_eq!(problems.len(), bad_lines.len(), "{problems:#?}");
        for (i, ((line, code), problem)) in bad_lines.iter().zip(&problems).enumerate() {
            assert_eq!(problem.line as usize, i + 2, "{line:?}");
            assert_eq!(problem.code, *code, "{line:?}");
            assert!(!problem.message.is_empty());
        }
        assert!(problems.last().unwrap().message.contains("line 1"));
    }

    #[test]
    fn an_empty_roster_is_a_problem() {
        let problems = parse("\n\r\n", Lang::Ko).unwrap_err();
        assert_eq!(problems[0].code, "validation.roster_empty");
    }
}
