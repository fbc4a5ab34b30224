//! The window's message catalogues (`ui/src/lib/i18n/{ko,en}.json`), read by
//! the engine as well: a rule's sentence is written once, so the window and
//! the CLI say the same thing. Placeholders are `{name}`, as svelte-i18n writes them.

use crate::lang::Lang;
use std::sync::LazyLock;

static KO: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::from_str(include_str!("../../../ui/src/lib/i18n/ko.json")).expect("ko.json is valid JSON"));
static EN: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::from_str(include_str!("../../../ui/src/lib/i18n/en.json")).expect("en.json is valid JSON"));

/// The message at a dotted `key`, with `{name}` placeholders filled in.
/// A missing key gives the key itself (a test keeps every engine key present).
pub fn text(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let tree: &serde_json::Value = match lang {
        Lang::Ko => &KO,
        Lang::En => &EN,
    };
    let found = key.split('.').try_fold(tree, |node, part| node.get(part)).and_then(|v| v.as_str());
    let mut message = found.unwrap_or(key).to_string();
    for (name, value) in args {
        message = message.replace(&format!("{{{name}}}"), value);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn every_validation_code_has_its_sentence_in_both_catalogues() {
        let codes: Vec<&str> = ErrorCode::ALL
            .iter()
            .filter_map(|c| c.as_str().strip_prefix("validation."))
            .collect();
        assert!(codes.len() >= 36, "{codes:?}");
        for code in codes {
            for lang in [Lang::Ko, Lang::En] {
                let key = format!("validate.{code}");
                let message = text(lang, &key, &[]);
                assert_ne!(message, key, "{lang:?} has no message for {code}");
            }
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            text(Lang::En, "validate.roster_duplicate", &[("first_line", "3")]),
            "The same user name as line 3 (IAM ignores letter case)."
        );
    }
}
