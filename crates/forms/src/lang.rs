//! The languages of the citizen's pages: Italian first, English second. Forms carry their own
//! translations (see [`crate::FormDefinition::translations`]); the words the crate adds itself
//! (yes/no, row numbers, buttons, validation messages) are here.

use serde::{Deserialize, Serialize};

/// A language the pages are offered in.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Italian, the language of the administration and of every document filed.
    #[default]
    It,
    /// English.
    En,
}

impl Lang {
    /// Every language, Italian first.
    pub const ALL: [Lang; 2] = [Lang::It, Lang::En];

    /// The ISO 639-1 code (`it`, `en`), as in `lang` attributes and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
        }
    }

    /// The language of a code or an `Accept-Language` tag (`en`, `en-GB`, `EN`).
    ///
    /// ```
    /// use istanze_forms::Lang;
    /// assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
    /// assert_eq!(Lang::from_code("de"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The first language of an `Accept-Language` header we offer, by preference weight.
    ///
    /// ```
    /// use istanze_forms::Lang;
    /// assert_eq!(Lang::from_accept_language("de-DE, en;q=0.8, it;q=0.5"), Some(Lang::En));
    /// assert_eq!(Lang::from_accept_language("fr"), None);
    /// ```
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',').take(20) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag) {
                if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

/// The words the crate writes itself, in one language.
#[derive(Debug)]
pub(crate) struct Texts {
    pub yes: &'static str,
    pub no: &'static str,
    pub declared: &'static str,
    /// Before a row's number: "Ospite n. 2".
    pub number: &'static str,
    pub add: &'static str,
    pub remove: &'static str,
    only_if: &'static str,
    only_if_not: &'static str,
    answered: &'static str,
    or: &'static str,
}

static IT: Texts = Texts {
    yes: "Sì",
    no: "No",
    declared: "Sì, dichiaro",
    number: "n.",
    add: "Aggiungi",
    remove: "Rimuovi",
    only_if: "Da compilare solo se hai risposto",
    only_if_not: "Da compilare solo se non hai risposto",
    answered: "Da compilare solo se hai risposto a",
    or: "oppure",
};

static EN: Texts = Texts {
    yes: "Yes",
    no: "No",
    declared: "Yes, I declare",
    number: "no.",
    add: "Add",
    remove: "Remove",
    only_if: "Fill in only if you answered",
    only_if_not: "Fill in only if you did not answer",
    answered: "Fill in only if you answered",
    or: "or",
};

/// The texts of `lang`.
pub(crate) fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::It => &IT,
        Lang::En => &EN,
    }
}

impl Texts {
    /// When a conditional block applies, in words.
    pub fn condition_note(&self, question: &str, answers: &[String], negate: bool) -> String {
        if answers.is_empty() {
            return format!("{} «{question}».", self.answered);
        }
        let quoted: Vec<String> = answers.iter().map(|a| format!("«{a}»")).collect();
        let joined = quoted.join(&format!(" {} ", self.or));
        let lead = if negate {
            self.only_if_not
        } else {
            self.only_if
        };
        let to = if std::ptr::eq(self, &IT) { "a" } else { "to" };
        format!("{lead} {joined} {to} «{question}».")
    }
}
