//! The language of each request and the texts of the pages and messages, as Fluent
//! catalogues: one `.ftl` file per language, messages named by id, with variables and plural
//! rules (`locales/it.ftl` is the source and holds every id; `locales/en.ftl` is shipped).
//!
//! The set of languages is open: a catalogue for another language (German, French or Slovene
//! for a bilingual area) is one more `.ftl` file in `i18n.locales_dir`, read at start, and each
//! administration chooses which of the installation's languages it offers
//! (`administration.languages`); a file for Italian or English rewords only the messages it
//! names. A message missing from a language is shown in Italian; an
//! unknown id is shown as it is, so a text that comes with the error itself (a refusal's own
//! words) passes through. The language is chosen per request (see `web::lang`) and held in a
//! task-local, with the catalogues, for the duration of the request, so that error pages and
//! messages built deep inside follow it too. Documents filed in the register, receipts in PDF
//! and e-mails stay Italian and do not come from here.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub use istanze_forms::Lang;

/// The cookie that remembers a language chosen with `?lang=`.
pub const COOKIE: &str = "istanze_lang";

const BUILT_IN: [(Lang, &str); 2] = [
    (Lang::IT, include_str!("../locales/it.ftl")),
    (Lang::EN, include_str!("../locales/en.ftl")),
];

/// A catalogue that does not load.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("{file}: {why}")]
    Invalid { file: String, why: String },
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

/// The installation's catalogues, one per language.
pub struct Catalogues {
    bundles: BTreeMap<Lang, FluentBundle<FluentResource>>,
    /// The forms' own words (buttons, validation messages), from the same files: a language
    /// added for the pages is added for the forms too.
    form_words: Arc<istanze_forms::Words>,
}

impl std::fmt::Debug for Catalogues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogues")
            .field("languages", &self.bundles.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn resource(file: &str, text: &str) -> Result<FluentResource, CatalogueError> {
    FluentResource::try_new(text.to_owned()).map_err(|(_, errors)| CatalogueError::Invalid {
        file: file.to_owned(),
        why: format!(
            "{} syntax errors, first: {:?}",
            errors.len(),
            errors.first()
        ),
    })
}

fn bundle(
    lang: Lang,
    file: &str,
    text: &str,
) -> Result<FluentBundle<FluentResource>, CatalogueError> {
    let invalid = |why: String| CatalogueError::Invalid {
        file: file.to_owned(),
        why,
    };
    let resource = resource(file, text)?;
    let tag = lang
        .code()
        .parse::<unic_langid::LanguageIdentifier>()
        .map_err(|e| invalid(e.to_string()))?;
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Plain text in HTML pages and JSON: no bidirectional isolation marks around variables.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| invalid(format!("messages defined twice: {errors:?}")))?;
    Ok(bundle)
}

impl Catalogues {
    /// Italian and English, as shipped.
    pub fn built_in() -> Result<Catalogues, CatalogueError> {
        let mut bundles = BTreeMap::new();
        for (lang, text) in BUILT_IN {
            bundles.insert(lang, bundle(lang, &format!("{}.ftl", lang.code()), text)?);
        }
        Ok(Catalogues {
            bundles,
            form_words: istanze_forms::Words::shipped(),
        })
    }

    /// The built-in catalogues, and one more for each `<code>.ftl` in `dir` (a language code
    /// such as `de` or `sl`). A file for a built-in language rewords the messages it names and
    /// leaves the others as shipped.
    pub fn with_dir(dir: Option<&Path>) -> Result<Catalogues, CatalogueError> {
        let mut catalogues = Catalogues::built_in()?;
        let Some(dir) = dir else {
            return Ok(catalogues);
        };
        let io = |e| CatalogueError::Io(dir.display().to_string(), e);
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            let name = path.display().to_string();
            if path.extension().and_then(|e| e.to_str()) != Some("ftl") {
                continue;
            }
            let code = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            let lang = Lang::from_code(code)
                .filter(|l| l.code() == code)
                .ok_or_else(|| CatalogueError::Invalid {
                    file: name.clone(),
                    why: "the file's name must be a language code (de.ftl, sl.ftl)".into(),
                })?;
            let text =
                std::fs::read_to_string(&path).map_err(|e| CatalogueError::Io(name.clone(), e))?;
            match catalogues.bundles.get_mut(&lang) {
                Some(shipped) => shipped.add_resource_overriding(resource(&name, &text)?),
                None => {
                    catalogues.bundles.insert(lang, bundle(lang, &name, &text)?);
                }
            }
            files.push((lang, name, text));
        }
        // In file name order, as the pages' catalogues take them (either way each file names
        // its own language).
        files.sort_by(|a, b| a.1.cmp(&b.1));
        catalogues.form_words =
            Arc::new(
                istanze_forms::Words::with(&files).map_err(|e| CatalogueError::Invalid {
                    file: dir.display().to_string(),
                    why: e.to_string(),
                })?,
            );
        Ok(catalogues)
    }

    /// The forms' own words in the installation's languages (see [`istanze_forms::Words`]).
    pub fn form_words(&self) -> &Arc<istanze_forms::Words> {
        &self.form_words
    }

    /// The languages with a catalogue, Italian first.
    pub fn languages(&self) -> Vec<Lang> {
        let mut all: Vec<Lang> = self.bundles.keys().copied().collect();
        all.sort_by_key(|l| (*l != Lang::IT, *l));
        all
    }

    pub fn has(&self, lang: Lang) -> bool {
        self.bundles.contains_key(&lang)
    }

    /// Message `id` in `lang` with `args`; in Italian when `lang` lacks it; `id` itself when
    /// no catalogue has it.
    pub fn text(&self, lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        for lang in [lang, Lang::IT] {
            let Some(bundle) = self.bundles.get(&lang) else {
                continue;
            };
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(
                        id,
                        lang = lang.code(),
                        ?errors,
                        "message formatted with errors"
                    );
                }
                return text.into_owned();
            }
        }
        id.to_owned()
    }

    /// Whether the Italian catalogue names `id`.
    pub fn knows(&self, id: &str) -> bool {
        self.bundles
            .get(&Lang::IT)
            .is_some_and(|b| b.has_message(id))
    }
}

/// The built-in catalogues, for texts made outside a request (and by the tests).
static BUILT_IN_CATALOGUES: LazyLock<Arc<Catalogues>> = LazyLock::new(|| {
    // The files are part of the binary and checked by the tests below: they load.
    Arc::new(Catalogues::built_in().unwrap_or(Catalogues {
        bundles: BTreeMap::new(),
        form_words: istanze_forms::Words::shipped(),
    }))
});

/// The built-in catalogues.
pub fn built_in() -> Arc<Catalogues> {
    BUILT_IN_CATALOGUES.clone()
}

#[derive(Clone)]
struct Locale {
    lang: Lang,
    catalogues: Arc<Catalogues>,
}

tokio::task_local! {
    static LOCALE: Locale;
}

/// Runs `f` with `lang` from `catalogues` as the language of the request.
pub async fn scope<F: std::future::Future>(
    lang: Lang,
    catalogues: Arc<Catalogues>,
    f: F,
) -> F::Output {
    LOCALE.scope(Locale { lang, catalogues }, f).await
}

/// The language of the request being served now, taken along into work that runs after its
/// handler has returned (the pages of a streamed body), which the request's scope does not
/// reach.
#[derive(Clone)]
pub struct Carried(Option<Locale>);

impl std::fmt::Debug for Carried {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Carried")
            .field(&self.0.as_ref().map(|l| l.lang))
            .finish()
    }
}

/// The current request's language, to [`Carried::run`] later work in.
pub fn carry() -> Carried {
    Carried(LOCALE.try_with(Locale::clone).ok())
}

impl Carried {
    /// Runs `f` in the carried language.
    pub async fn run<F: std::future::Future>(&self, f: F) -> F::Output {
        match &self.0 {
            Some(l) => LOCALE.scope(l.clone(), f).await,
            None => f.await,
        }
    }
}

/// The language of the request being served (Italian outside a request).
pub fn current() -> Lang {
    LOCALE.try_with(|l| l.lang).unwrap_or_default()
}

fn with_catalogues<T>(f: impl FnOnce(&Catalogues) -> T) -> T {
    match LOCALE.try_with(|l| l.catalogues.clone()) {
        Ok(c) => f(&c),
        Err(_) => f(&BUILT_IN_CATALOGUES),
    }
}

/// The forms' own words of the request's installation.
pub fn form_words() -> Arc<istanze_forms::Words> {
    with_catalogues(|c| c.form_words.clone())
}

/// Message `id` in the current language.
pub fn tr(id: &str) -> String {
    tr_in(current(), id)
}

/// Message `id` in `lang`.
pub fn tr_in(lang: Lang, id: &str) -> String {
    with_catalogues(|c| c.text(lang, id, None))
}

/// Message `id` in the current language, with text variables.
pub fn trf(id: &str, args: &[(&str, &str)]) -> String {
    trf_in(current(), id, args)
}

/// [`trf`] in `lang`.
pub fn trf_in(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, FluentValue::from(*value));
    }
    with_catalogues(|c| c.text(lang, id, Some(&fluent)))
}

/// Message `id` in `lang` with the number `count` as variable `name`, which its plural
/// selector picks the form with ("1 campo", "3 campi").
pub fn trn_in(lang: Lang, id: &str, name: &str, count: i64) -> String {
    let mut fluent = FluentArgs::new();
    fluent.set(name, FluentValue::from(count));
    with_catalogues(|c| c.text(lang, id, Some(&fluent)))
}

/// [`trn_in`] in the current language.
pub fn trn(id: &str, name: &str, count: i64) -> String {
    trn_in(current(), id, name, count)
}

#[cfg(test)]
#[path = "i18n_tests.rs"]
mod tests;
