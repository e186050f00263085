//! The catalogues: they load, Italian and English name the same messages, every id the code
//! and the templates use exists, plurals and variables work, and another language is a file.

use super::*;

fn ids(text: &str) -> std::collections::BTreeSet<String> {
    let resource = FluentResource::try_new(text.to_owned()).unwrap();
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[test]
fn italian_and_english_name_the_same_messages() {
    let catalogues = Catalogues::built_in().unwrap();
    assert_eq!(catalogues.languages(), [Lang::IT, Lang::EN]);
    let it = ids(BUILT_IN[0].1);
    let en = ids(BUILT_IN[1].1);
    assert!(it.len() > 150, "{}", it.len());
    assert_eq!(
        it.symmetric_difference(&en).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "messages in one catalogue only"
    );
}

/// The ids that `what(` is called with in `text`, literally.
fn called_with<'a>(text: &'a str, what: &str) -> Vec<&'a str> {
    text.split(what)
        .skip(1)
        .filter_map(|piece| piece.strip_prefix('"').and_then(|p| p.split('"').next()))
        .collect()
}

#[test]
fn every_id_the_templates_and_the_code_use_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogues = Catalogues::built_in().unwrap();
    let mut missing = Vec::new();
    let mut seen = 0;
    let mut files = vec![];
    let mut dirs = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.file_name().is_some_and(|n| n != "i18n_tests.rs") {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for call in [
            "page.t(",
            "page.tn(",
            "i18n::tr(",
            "i18n::trf(",
            " tr(",
            " trf(",
            "trn(",
        ] {
            for id in called_with(&text, call) {
                seen += 1;
                if !catalogues.knows(id) {
                    missing.push(format!("{}: {id}", path.display()));
                }
            }
        }
    }
    assert!(seen > 100, "ids found: {seen}");
    assert!(missing.is_empty(), "not in it.ftl: {missing:#?}");
}

#[test]
fn plurals_and_variables_follow_each_language() {
    assert_eq!(
        trn_in(Lang::IT, "domanda-non-inviata-campi", "count", 1),
        "La domanda non è stata inviata: correggi 1 campo"
    );
    assert_eq!(
        trn_in(Lang::IT, "domanda-non-inviata-campi", "count", 3),
        "La domanda non è stata inviata: correggi 3 campi"
    );
    assert_eq!(
        trn_in(Lang::EN, "domanda-non-inviata-campi", "count", 1),
        "The application was not sent: correct 1 field"
    );
    assert_eq!(
        trf_in(
            Lang::EN,
            "protocollo-numero-data",
            &[("n", "0000001"), ("date", "01/12/2026")]
        ),
        "No. 0000001 of 01/12/2026"
    );
    assert_eq!(tr_in(Lang::EN, "avanti"), "Next");
    assert_eq!(
        tr_in(Lang::EN, "Un testo che non è un id"),
        "Un testo che non è un id",
        "a text that is no id passes through"
    );
}

#[test]
fn another_language_is_a_file_and_falls_back_to_italian() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sl.ftl"),
        "language-name = Slovenščina\navanti = Naprej\n",
    )
    .unwrap();
    let catalogues = Catalogues::with_dir(Some(dir.path())).unwrap();
    let sl = Lang::from_code("sl").unwrap();
    assert_eq!(catalogues.languages(), [Lang::IT, Lang::EN, sl]);
    assert_eq!(catalogues.text(sl, "avanti", None), "Naprej");
    assert_eq!(
        catalogues.text(sl, "indietro", None),
        "Indietro",
        "Italian where missing"
    );

    // An installation's own wording of an Italian message leaves the rest as shipped.
    std::fs::write(dir.path().join("it.ftl"), "avanti = Prosegui\n").unwrap();
    let reworded = Catalogues::with_dir(Some(dir.path())).unwrap();
    assert_eq!(reworded.text(Lang::IT, "avanti", None), "Prosegui");
    assert_eq!(reworded.text(Lang::IT, "indietro", None), "Indietro");
    std::fs::remove_file(dir.path().join("it.ftl")).unwrap();

    std::fs::write(dir.path().join("slovene.ftl"), "avanti = Naprej\n").unwrap();
    let refused = Catalogues::with_dir(Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("must be a language code"), "{refused}");
    std::fs::remove_file(dir.path().join("slovene.ftl")).unwrap();
    std::fs::write(dir.path().join("de.ftl"), "avanti = { $\n").unwrap();
    let refused = Catalogues::with_dir(Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("de.ftl") && refused.contains("syntax"),
        "{refused}"
    );
}
