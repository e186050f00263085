//! The languages of the citizen's pages: Italian first, then any other. Forms carry their own
//! translations (see [`crate::FormDefinition::translations`]); the words the crate adds itself
//! (yes/no, row numbers, buttons, validation messages) are in [`crate::words`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A language, by its ISO 639 code (`it`, `en`, `de`, `sl`, ...): the set is open. Italian is
/// the language of the administration and of every document filed; the pages offer the
/// languages the installation has texts for, and a form the languages it is translated into.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang([u8; 3]);

impl Default for Lang {
    fn default() -> Lang {
        Lang::IT
    }
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lang({})", self.code())
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Lang {
    /// Italian.
    pub const IT: Lang = Lang(*b"it\0");
    /// English.
    pub const EN: Lang = Lang(*b"en\0");

    /// The languages whose words this crate ships (buttons, validation messages); an
    /// installation adds others with [`crate::Words::with`], and where it has none they are
    /// Italian.
    pub const WITH_TEXTS: [Lang; 2] = [Lang::IT, Lang::EN];

    /// The ISO 639 code (`it`, `en`), as in `lang` attributes and `?lang=`.
    pub fn code(&self) -> &str {
        let len = self.0.iter().position(|b| *b == 0).unwrap_or(3);
        std::str::from_utf8(&self.0[..len]).unwrap_or("it")
    }

    /// The language of a code or a language tag (`en`, `en-GB`, `EN`, `sl`): its primary
    /// subtag, two or three letters.
    ///
    /// ```
    /// use istanze_forms::Lang;
    /// assert_eq!(Lang::from_code("en-GB"), Some(Lang::EN));
    /// assert_eq!(Lang::from_code("de").map(|l| l.to_string()), Some("de".into()));
    /// assert_eq!(Lang::from_code("deutsch"), None);
    /// assert_eq!(Lang::from_code("*"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?;
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let mut bytes = [0u8; 3];
        for (to, from) in bytes.iter_mut().zip(primary.bytes()) {
            *to = from.to_ascii_lowercase();
        }
        Some(Lang(bytes))
    }

    /// The first language of an `Accept-Language` header among `offered`, by preference
    /// weight.
    ///
    /// ```
    /// use istanze_forms::Lang;
    /// let offered = [Lang::IT, Lang::EN];
    /// assert_eq!(Lang::from_accept_language("de-DE, en;q=0.8, it;q=0.5", &offered), Some(Lang::EN));
    /// assert_eq!(Lang::from_accept_language("fr", &offered), None);
    /// ```
    pub fn from_accept_language(header: &str, offered: &[Lang]) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',').take(20) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag).filter(|l| offered.contains(l)) {
                if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let code = String::deserialize(d)?;
        Lang::from_code(&code)
            .filter(|l| l.code() == code)
            .ok_or_else(|| serde::de::Error::custom(format!("not a language code: {code:?}")))
    }
}
