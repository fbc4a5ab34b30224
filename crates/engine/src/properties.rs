//! Property tests over what reads or writes text a user or a file supplies:
//! the roster parser, `setup.toml`, the `~/.aws` editor, the journal loader
//! and the CSV writers. Each runs `PROPTEST_CASES` cases (256 by default, as
//! CI runs them); `scripts/fuzz` runs 100,000 per target.

use crate::aws_cli_config::{remove_from_text, upsert_in_text, APP_CONFIG_KEYS};
use crate::classroom::roster;
use crate::flow::SetupConfig;
use crate::journal::Journal;
use crate::lang::Lang;
use crate::steps::handoff;
use crate::{files::Overwrite, validation};
use proptest::prelude::*;
use secrecy::SecretString;

/// Lines an INI file may hold, each with its own ending.
fn ini_line() -> impl Strategy<Value = String> {
    let body = prop_oneof![
        "\\[profile [a-z0-9._-]{1,8}\\]( # [a-z ]{0,8})?",
        "\\[(default|sso-session [a-z]{1,6}|services [a-z]{1,4})\\]",
        "[a-z_]{1,12} ?= ?[ -~]{0,20}",
        "[#;][ -~]{0,20}",
        " {0,3}",
        "[ -~]{0,24}",
    ];
    (body, prop_oneof![Just("\n"), Just("\r\n")]).prop_map(|(line, end)| format!("{line}{end}"))
}

fn ini_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(ini_line(), 0..24).prop_map(|lines| lines.concat())
}

fn profile_name() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9._-]{0,10}"
}

/// The text with one profile's section taken out, whatever it held.
fn strip(text: &str, profile: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_header = |l: &str| crate::aws_cli_config::section_profile(l.trim_end_matches(['\r', '\n']), true).as_deref() == Some(profile);
    let Some(start) = lines.iter().position(|l| is_header(l)) else {
        return text.to_string();
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .map_or(lines.len(), |i| start + 1 + i);
    lines[..start].iter().chain(&lines[end..]).copied().collect()
}

proptest! {
    #[test]
    fn roster_parser_never_panics_and_every_name_it_accepts_is_valid(text in "\u{feff}?([ -~가-힣\t\",]{0,40}(\r\n|\n)){0,20}") {
        match roster::parse(&text, Lang::En) {
            Ok(students) => {
                for student in students {
                    prop_assert!(validation::user_name(&student.user_name).is_ok());
                }
            }
            Err(problems) => {
                let lines = text.lines().count().max(1) as u32;
                for problem in problems {
                    // Line 0 is the whole roster (it has no students at all).
                    let whole = problem.line == 0 && problem.code == crate::ErrorCode::ValidationRosterEmpty;
                    prop_assert!(whole || (problem.line >= 1 && problem.line <= lines + 1), "line {} of {}", problem.line, lines);
                    prop_assert!(!problem.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn setup_toml_never_panics(text in "[ -~\n]{0,200}") {
        let _ = SetupConfig::parse(&text).map(|config| config.validate());
    }

    #[test]
    fn setup_toml_round_trips_what_it_documents(name in "[a-z][a-z0-9.]{0,20}", alias in "aws-[a-z0-9]{3,20}", reset in any::<bool>(), policy in any::<bool>()) {
        let text = format!("[alias]\nname = \"{alias}\"\n[admin_user]\nname = \"{name}\"\nreset_required = {reset}\npassword_policy = {policy}\n");
        let config = SetupConfig::parse(&text).unwrap();
        prop_assert_eq!(&config.admin_user.name, &name);
        prop_assert_eq!(config.admin_user.reset_required, reset);
        prop_assert_eq!(config.admin_user.password_policy, policy);
        prop_assert_eq!(config.alias.map(|a| a.name), Some(alias));
    }

    #[test]
    fn the_aws_config_editor_leaves_every_other_line_byte_for_byte(text in ini_text(), profile in profile_name(), region in "[a-z]{2}-[a-z]{4,9}-[1-9]") {
        let settings = [("region", region.as_str()), ("credential_process", "\"/usr/bin/aws-setup\" credential-process")];
        let once = upsert_in_text(&text, &profile, true, &settings);
        // Everything outside the profile's section is as it was.
        prop_assert_eq!(strip(&once, &profile), strip(&text, &profile));
        // A second edit changes nothing more.
        prop_assert_eq!(upsert_in_text(&once, &profile, true, &settings), once.clone());
        // Where the profile was new, removing the app's lines gives the file back.
        if strip(&text, &profile) == text {
            prop_assert_eq!(remove_from_text(&once, &profile, true, &APP_CONFIG_KEYS), Some(text));
        }
    }

    #[test]
    fn a_corrupt_or_truncated_journal_is_a_clear_error_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), cut in 0usize..400) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.json");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(err) = Journal::open(&path) {
            prop_assert_eq!(err.code(), "journal.corrupt");
        }
        // A real journal cut short anywhere.
        let good = br#"{"version":1,"account_id":"123456789012","bootstrap":null,"steps":{"identity":{"state":"done","verified":true}},"resources":[{"type":"user","user_name":"aws.user1"}]}"#;
        let cut = cut.min(good.len());
        std::fs::write(&path, &good[..cut]).unwrap();
        match Journal::open(&path) {
            Ok(journal) => prop_assert!(cut == good.len() || journal.data.resources.is_empty()),
            Err(err) => prop_assert_eq!(err.code(), "journal.corrupt"),
        }
    }

    #[test]
    fn the_csv_writers_round_trip_every_field(user in "[A-Za-z0-9+=.@_-]{1,64}", password in "[!-+\\--~]{1,40}", key_id in "AKIA[A-Z0-9]{16}", secret in "[A-Za-z0-9/+=]{40}") {
        let dir = tempfile::tempdir().unwrap();
        let console = dir.path().join("console.csv");
        handoff::export_console_csv(&console, &user, &SecretString::from(password.clone()), "https://aws-x.signin.aws.amazon.com/console", Overwrite::Refuse).unwrap();
        let cli = dir.path().join("cli.csv");
        handoff::export_cli_import_csv(&cli, &user, &key_id, &SecretString::from(secret.clone()), Overwrite::Refuse).unwrap();
        for (path, expected) in [(&console, vec![user.clone(), password.clone(), "https://aws-x.signin.aws.amazon.com/console".into()]), (&cli, vec![user.clone(), key_id.clone(), secret.clone()])] {
            let text = std::fs::read_to_string(path).unwrap();
            let body = text.strip_prefix('\u{feff}').expect("a BOM, as the console writes");
            let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
            let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
            prop_assert_eq!(rows.len(), 1);
            prop_assert_eq!(rows[0].iter().map(str::to_string).collect::<Vec<_>>(), expected);
        }
    }
}
