//! The summary of a submission reads like the form: sections in order, labels, option titles,
//! Italian dates, declarations spelled out, unanswered fields and empty sections left out.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use istanze_forms::{load_dir, SummaryItem};

#[test]
fn a_patrocinio_summary_reads_like_the_form() {
    let catalog = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../forms")).unwrap();
    let form = catalog.get("patrocinio").unwrap();
    let data = serde_json::json!({
        "richiedente": {"nome": "Mario", "cognome": "Rossi", "codice_fiscale": "RSSMRA85T10A562S",
                        "email": "mario.rossi@example.it", "qualita": "persona"},
        "organizzazione": {},
        "evento": {"titolo": "Festa", "tipologia": "sportivo", "data_inizio": "2027-06-21",
                   "data_fine": "2027-06-22", "luogo": "Roma", "descrizione": "Una festa per tutti.",
                   "partecipanti_previsti": 500, "ingresso": "gratuito"},
        "dichiarazioni": {"senza_lucro": true}
    });
    let items = form.summary(&data);
    let sections: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            SummaryItem::Section { title, .. } => Some(title.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        sections,
        ["Dati del richiedente", "L'evento", "Dichiarazioni"]
    );
    assert!(
        !sections.contains(&"Organizzazione rappresentata"),
        "empty section left out"
    );
    let answer = |ptr: &str| {
        items.iter().find_map(|i| match i {
            SummaryItem::Answer { pointer, value, .. } if pointer == ptr => Some(value.clone()),
            _ => None,
        })
    };
    assert_eq!(
        answer("/richiedente/qualita").as_deref(),
        Some("A titolo personale")
    );
    assert_eq!(answer("/evento/tipologia").as_deref(), Some("Sportivo"));
    assert_eq!(answer("/evento/data_fine").as_deref(), Some("22/06/2027"));
    assert_eq!(
        answer("/evento/partecipanti_previsti").as_deref(),
        Some("500")
    );
    assert_eq!(
        answer("/dichiarazioni/senza_lucro").as_deref(),
        Some("Sì, dichiaro")
    );
    assert_eq!(
        answer("/richiedente/telefono"),
        None,
        "unanswered field left out"
    );
    let order: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            SummaryItem::Answer { pointer, .. } => Some(pointer.as_str()),
            _ => None,
        })
        .take(3)
        .collect();
    assert_eq!(
        order,
        [
            "/richiedente/nome",
            "/richiedente/cognome",
            "/richiedente/codice_fiscale"
        ]
    );
}

#[test]
fn italian_formats_are_checked_in_the_real_forms() {
    let catalog = load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../forms")).unwrap();
    let form = catalog.get("concorso").unwrap();
    let mut data: serde_json::Value = serde_json::json!({
        "residenza": {"indirizzo": "Via Roma 1", "cap": "001", "comune": "Roma", "provincia": "RM"},
        "recapiti": {"email": "a@b.it", "telefono": "12-34"}
    });
    let errors = form.validate(&data).unwrap_err();
    let message = |p: &str| {
        errors
            .iter()
            .find(|e| e.pointer == p)
            .map(|e| e.message.clone())
    };
    assert_eq!(
        message("/residenza/cap").as_deref(),
        Some("Il CAP è fatto di 5 cifre.")
    );
    assert!(message("/recapiti/telefono").is_some());
    data["residenza"]["cap"] = "00100".into();
    let errors = form.validate(&data).unwrap_err();
    assert!(!errors.iter().any(|e| e.pointer == "/residenza/cap"));
}
