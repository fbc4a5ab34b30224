//! The two languages of the app. Every user-facing string the engine produces
//! is built through [`Lang::pick`], so a missing translation is a compile error.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "ipc.ts")]
pub enum Lang {
    Ko,
    #[default]
    En,
}

impl Lang {
    /// Reads a POSIX locale name such as `ko_KR.UTF-8` or a BCP 47 tag such as `ko-KR`.
    pub(crate) fn from_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The language of the user's environment, in the order POSIX gives the variables.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"]
            .iter()
            .filter_map(|var| std::env::var(var).ok())
            .find(|value| !value.is_empty() && value != "C" && value != "POSIX")
            .map(|value| Lang::from_locale(&value))
            .unwrap_or_default()
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ko" | "kr" | "korean" | "한국어" => Some(Lang::Ko),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn pick<T>(self, ko: T, en: T) -> T {
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }
}

/// A text in both languages, for data that is handed to the UI whole
/// (console instructions, checkup explanations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "ipc.ts")]
pub struct Bilingual {
    pub ko: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(ko: impl Into<String>, en: impl Into<String>) -> Self {
        Bilingual {
            ko: ko.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.ko, &self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_locales_are_recognised_in_posix_and_bcp47_forms() {
        assert_eq!(Lang::from_locale("ko_KR.UTF-8"), Lang::Ko);
        assert_eq!(Lang::from_locale("ko-KR"), Lang::Ko);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("de_DE"), Lang::En);
    }

    #[test]
    fn parse_accepts_codes_and_names_and_rejects_others() {
        assert_eq!(Lang::parse("KO"), Some(Lang::Ko));
        assert_eq!(Lang::parse("english"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
