//! The words this crate writes itself (yes and no, row numbers, buttons, when a block
//! applies, validation messages), as Fluent messages: `locales/it.ftl` is the source and holds
//! every id, `locales/en.ftl` is shipped, and an installation adds a language (German, French,
//! Slovene for a bilingual area) or rewords a shipped one with a `<lang>.ftl` of its own
//! ([`Words::with`]). A message missing from a language is the Italian one.
//!
//! A [`crate::Form`] speaks with the words it was given ([`crate::Form::with_words`]; the
//! shipped ones by default), in its language.

use std::sync::{Arc, LazyLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::{FormError, Lang, Result};

const BUILT_IN: [(Lang, &str); 2] = [
    (Lang::IT, include_str!("../locales/it.ftl")),
    (Lang::EN, include_str!("../locales/en.ftl")),
];

/// The crate's words in every language it has them in.
///
/// ```
/// use istanze_forms::{Lang, Words};
/// let de = Lang::from_code("de").unwrap();
/// let words = Words::with(&[(de, "de.ftl".into(), "forms-required = Pflichtfeld.".into())])?;
/// assert!(words.languages().contains(&de));
/// # Ok::<(), istanze_forms::FormError>(())
/// ```
pub struct Words {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
    /// The short words of each language, made once.
    texts: Vec<(Lang, Texts)>,
}

/// The short words of one language (answers, rows, buttons).
#[derive(Debug, Clone, Default)]
pub(crate) struct Texts {
    pub yes: String,
    pub no: String,
    pub declared: String,
    /// Before a row's number: "Ospite n. 2".
    pub number: String,
    pub add: String,
    pub remove: String,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words")
            .field("languages", &self.languages())
            .finish()
    }
}

fn resource(file: &str, text: &str) -> Result<FluentResource> {
    FluentResource::try_new(text.to_owned()).map_err(|(_, errors)| FormError::Invalid {
        file: file.to_owned(),
        pointer: String::new(),
        message: format!(
            "{} Fluent syntax errors, first: {:?}",
            errors.len(),
            errors.first()
        ),
    })
}

fn bundle(lang: Lang, file: &str, text: &str) -> Result<FluentBundle<FluentResource>> {
    let invalid = |message: String| FormError::Invalid {
        file: file.to_owned(),
        pointer: String::new(),
        message,
    };
    let tag = lang
        .code()
        .parse::<unic_langid::LanguageIdentifier>()
        .map_err(|e| invalid(e.to_string()))?;
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Plain text in pages and JSON: no bidirectional isolation marks around variables.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource(file, text)?)
        .map_err(|errors| invalid(format!("messages defined twice: {errors:?}")))?;
    Ok(bundle)
}

static SHIPPED: LazyLock<Arc<Words>> = LazyLock::new(|| {
    // The shipped files are part of the crate and checked by its tests: they always load.
    Arc::new(Words::with(&[]).unwrap_or(Words {
        bundles: Vec::new(),
        texts: Vec::new(),
    }))
});

impl Words {
    /// Italian and English, as shipped (one copy for the whole process).
    pub fn shipped() -> Arc<Words> {
        SHIPPED.clone()
    }

    /// The shipped words and `extra` files, each `(language, file name, Fluent text)`: a file
    /// for a shipped language rewords the messages it names, one for another language adds
    /// it. Ids this crate does not use are ignored, so the files of a whole application (its
    /// own messages and these) can be given as they are.
    pub fn with(extra: &[(Lang, String, String)]) -> Result<Words> {
        let mut bundles = Vec::new();
        for (lang, text) in BUILT_IN {
            bundles.push((lang, bundle(lang, &format!("{}.ftl", lang.code()), text)?));
        }
        for (lang, file, text) in extra {
            match bundles.iter_mut().find(|(l, _)| l == lang) {
                Some((_, shipped)) => shipped.add_resource_overriding(resource(file, text)?),
                None => bundles.push((*lang, bundle(*lang, file, text)?)),
            }
        }
        let mut words = Words {
            bundles,
            texts: Vec::new(),
        };
        words.texts = words
            .languages()
            .into_iter()
            .map(|lang| {
                let w = |id: &str| words.say(lang, id, &[]);
                let texts = Texts {
                    yes: w("forms-yes"),
                    no: w("forms-no"),
                    declared: w("forms-declared"),
                    number: w("forms-number"),
                    add: w("forms-add"),
                    remove: w("forms-remove"),
                };
                (lang, texts)
            })
            .collect();
        Ok(words)
    }

    /// The short words of `lang` (Italian's where it has none).
    pub(crate) fn texts(&self, lang: Lang) -> &Texts {
        static NONE: LazyLock<Texts> = LazyLock::new(Texts::default);
        self.texts
            .iter()
            .find(|(l, _)| *l == lang)
            .or_else(|| self.texts.first())
            .map_or(&NONE, |(_, t)| t)
    }

    /// Whether `lang` has words of its own (else they are Italian).
    pub fn speaks(&self, lang: Lang) -> bool {
        self.bundles.iter().any(|(l, _)| *l == lang)
    }

    /// The languages with words, Italian first.
    pub fn languages(&self) -> Vec<Lang> {
        self.bundles.iter().map(|(l, _)| *l).collect()
    }

    /// Message `id` in `lang` with `args`; the Italian one where `lang` lacks it, the id where
    /// both do (a mistake the crate's tests rule out for its own ids).
    pub(crate) fn say(&self, lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let fluent_args = (!args.is_empty()).then(|| {
            let mut a = FluentArgs::new();
            for (k, v) in args {
                a.set(*k, v.clone());
            }
            a
        });
        for want in [lang, Lang::IT] {
            let Some((_, b)) = self.bundles.iter().find(|(l, _)| *l == want) else {
                continue;
            };
            if let Some(pattern) = b.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return b
                    .format_pattern(pattern, fluent_args.as_ref(), &mut errors)
                    .into_owned();
            }
        }
        id.to_owned()
    }
}

/// Words in one language: what the crate's functions pass along to say something.
#[derive(Clone, Copy)]
pub(crate) struct Say<'a> {
    pub words: &'a Words,
    pub lang: Lang,
}

impl<'a> Say<'a> {
    pub fn id(&self, id: &str) -> String {
        self.words.say(self.lang, id, &[])
    }

    pub fn with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.words.say(self.lang, id, args)
    }

    pub fn texts(&self) -> &'a Texts {
        self.words.texts(self.lang)
    }

    /// When a conditional block applies, in words: after `question` was given one of
    /// `answers` (or, `negate`d, none of them; with no answers, any).
    pub fn condition_note(&self, question: &str, answers: &[String], negate: bool) -> String {
        let q = FluentValue::from(question);
        if answers.is_empty() {
            return self.with("forms-only-if-answered", &[("question", q)]);
        }
        let or = format!(" {} ", self.id("forms-or"));
        let quoted: Vec<String> = answers.iter().map(|a| format!("«{a}»")).collect();
        let id = if negate {
            "forms-only-if-not"
        } else {
            "forms-only-if"
        };
        self.with(
            id,
            &[
                ("answers", FluentValue::from(quoted.join(&or))),
                ("question", q),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("forms-"))
            .filter_map(|l| l.split(" =").next())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_shipped_language_has_every_id_of_the_italian_source() {
        let it = ids(BUILT_IN[0].1);
        assert!(it.len() > 30, "{it:?}");
        for (lang, text) in BUILT_IN {
            assert_eq!(ids(text), it, "{lang}");
        }
    }

    #[test]
    fn plurals_follow_the_language_and_a_missing_message_is_italian() {
        let words = Words::shipped();
        let one = [("limit", FluentValue::from(1))];
        let many = [("limit", FluentValue::from(3))];
        assert_eq!(
            words.say(Lang::IT, "forms-max-length", &one),
            "Inserire al massimo 1 carattere."
        );
        assert_eq!(
            words.say(Lang::EN, "forms-max-length", &many),
            "Enter at most 3 characters."
        );
        let de = Lang::from_code("de").unwrap();
        let with_de = Words::with(&[(
            de,
            "de.ftl".into(),
            "forms-required = Dieses Feld ist ein Pflichtfeld.\nother-app-message = x".into(),
        )])
        .unwrap();
        assert_eq!(
            with_de.say(de, "forms-required", &[]),
            "Dieses Feld ist ein Pflichtfeld."
        );
        assert_eq!(
            with_de.say(de, "forms-choose", &[]),
            "Scegliere una delle opzioni proposte.",
            "not in German yet: Italian"
        );
    }

    #[test]
    fn a_file_for_a_shipped_language_rewords_only_what_it_names() {
        let words = Words::with(&[(
            Lang::EN,
            "en.ftl".into(),
            "forms-required = Please fill this in.".into(),
        )])
        .unwrap();
        assert_eq!(
            words.say(Lang::EN, "forms-required", &[]),
            "Please fill this in."
        );
        assert_eq!(words.say(Lang::EN, "forms-yes", &[]), "Yes");
    }
}
