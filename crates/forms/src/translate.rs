//! Translations of a form's own texts, keyed by the Italian text (as gettext does): staff write
//! the form in Italian and add, per language, the translation of each text they want to
//! translate. The loader refuses a key that is no text of the form, so that a typo or a text
//! changed later is found at once rather than shown untranslated.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{FormDefinition, Lang};

/// The definition with its texts in `lang`, where a translation exists.
pub(crate) fn apply(mut d: FormDefinition, lang: Lang) -> FormDefinition {
    let Some(catalogue) = d.translations.get(&lang).cloned() else {
        return d;
    };
    let tr = |s: &mut String| {
        if let Some(t) = catalogue.get(s.as_str()) {
            *s = t.clone();
        }
    };
    tr(&mut d.title);
    tr(&mut d.description);
    tr(&mut d.office);
    for page in &mut d.pages {
        tr(&mut page.title);
    }
    for hint in d.ui.values_mut() {
        if let Some(l) = hint.label.as_mut() {
            tr(l);
        }
        if let Some(h) = hint.help.as_mut() {
            tr(h);
        }
    }
    walk_mut(&mut d.schema, &mut |s| tr(s));
    d
}

/// Every key of every language's catalogue is a text of the form and has a translation.
pub(crate) fn check(d: &FormDefinition) -> Result<(), (String, String)> {
    let mut texts: BTreeSet<String> = BTreeSet::new();
    texts.extend([d.title.clone(), d.description.clone(), d.office.clone()]);
    texts.extend(d.pages.iter().map(|p| p.title.clone()));
    for hint in d.ui.values() {
        texts.extend(hint.label.clone());
        texts.extend(hint.help.clone());
    }
    let mut schema = d.schema.clone();
    walk_mut(&mut schema, &mut |s| {
        texts.insert(s.clone());
    });
    for (lang, catalogue) in &d.translations {
        if *lang == Lang::IT {
            return Err((
                "/translations/it".into(),
                "the form is written in Italian: translate into other languages".into(),
            ));
        }
        for (key, value) in catalogue {
            let at = format!(
                "/translations/{}/{}",
                lang.code(),
                crate::pointer::escape(key)
            );
            if !texts.contains(key) {
                return Err((at, "no text of the form is exactly this".into()));
            }
            if value.trim().is_empty() {
                return Err((at, "empty translation".into()));
            }
        }
    }
    Ok(())
}

/// Calls `f` on every `title` and `description` text of a schema.
fn walk_mut(v: &mut Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                match x {
                    Value::String(s) if k == "title" || k == "description" => f(s),
                    // Values (`const`, `enum`, `default`) are data, not texts.
                    _ if matches!(k.as_str(), "const" | "enum" | "default" | "examples") => {}
                    _ => walk_mut(x, f),
                }
            }
        }
        Value::Array(list) => {
            for x in list {
                walk_mut(x, f);
            }
        }
        _ => {}
    }
}
