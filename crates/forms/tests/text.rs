//! The character rule on real forms: answers with characters XML cannot carry (controls,
//! non-characters) are refused on their field, at any depth, in Italian and in English.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use istanze_forms::{load_dir, FieldError, Form, Lang};
use serde_json::{json, Value};

const IT: &str =
    "Il testo contiene caratteri non ammessi (ad esempio caratteri di controllo): eliminali e riprova.";
const EN: &str =
    "The text contains characters that are not allowed (such as control characters): remove them and try again.";

fn form(id: &str) -> Form {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../forms"))
        .expect("real forms load")
        .get(id)
        .expect("form")
        .clone()
}

fn patrocinio() -> Value {
    json!({
        "richiedente": {"nome": "Maria", "cognome": "Rossi", "codice_fiscale": "RSSMRA85T10A562S",
                        "email": "maria.rossi@example.it", "qualita": "persona"},
        "evento": {"titolo": "Festa della musica", "tipologia": "culturale", "data_inizio": "2027-06-21",
                   "data_fine": "2027-06-21", "luogo": "Piazza del Popolo, Roma",
                   "descrizione": "Concerti gratuiti di band locali in piazza per tutta la giornata.",
                   "partecipanti_previsti": 500, "ingresso": "gratuito"},
        "dichiarazioni": {"senza_lucro": true, "logo_conforme": true, "responsabilita": true, "privacy": true}
    })
}

fn errors_with(pointer: &str, value: Value) -> Vec<FieldError> {
    let mut data = patrocinio();
    *data.pointer_mut(pointer).expect("field exists") = value;
    form("patrocinio").validate(&data).unwrap_err()
}

fn only_text_error(errors: &[FieldError], pointer: &str) {
    assert_eq!(
        errors,
        &[FieldError {
            pointer: pointer.into(),
            message: IT.into()
        }],
        "exactly the character rule, on the field"
    );
}

#[test]
fn a_control_character_in_a_text_field_is_refused_on_that_field() {
    let errors = errors_with("/evento/titolo", json!("Festa\u{1}della musica"));
    only_text_error(&errors, "/evento/titolo");
}

#[test]
fn non_characters_are_refused_like_controls() {
    for c in ['\u{FFFF}', '\u{FFFE}', '\u{FDD0}', '\u{1FFFF}'] {
        let errors = errors_with("/evento/luogo", json!(format!("Piazza{c} del Popolo")));
        only_text_error(&errors, "/evento/luogo");
    }
}

#[test]
fn the_rule_wins_over_the_field_s_own_checks() {
    // A control character in an e-mail field is said as such, not as a bad address.
    let errors = errors_with("/richiedente/email", json!("maria\u{7}@example.it"));
    only_text_error(&errors, "/richiedente/email");
}

#[test]
fn a_field_of_a_repeatable_group_is_refused_at_its_row() {
    let mut data = patrocinio();
    data["altri_soggetti"] = json!([
        {"denominazione": "Pro Loco", "ruolo": "Co-organizzatore"},
        {"denominazione": "Banda\u{1B}[31m", "ruolo": "Musica"}
    ]);
    let errors = form("patrocinio").validate(&data).unwrap_err();
    only_text_error(&errors, "/altri_soggetti/1/denominazione");
}

#[test]
fn an_object_key_with_such_characters_is_refused_as_the_key() {
    let mut data = patrocinio();
    data["evento"]["note\u{0}"] = json!("x");
    let errors = form("patrocinio").validate(&data).unwrap_err();
    only_text_error(&errors, "/evento/note\u{0}");
}

#[test]
fn tabs_and_line_breaks_are_text() {
    let mut data = patrocinio();
    data["evento"]["descrizione"] =
        json!("Riga uno\r\nriga due\tcon tabulazione, e un'altra riga ancora.\n");
    form("patrocinio").validate(&data).unwrap();
}

#[test]
fn the_message_is_in_english_for_an_english_form() {
    let mut data = patrocinio();
    data["evento"]["titolo"] = json!("Festa\u{FFFF}");
    let errors = form("patrocinio")
        .in_lang(Lang::EN)
        .validate(&data)
        .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].pointer, "/evento/titolo");
    assert_eq!(errors[0].message, EN);
    assert_eq!(
        istanze_forms::text::message(&istanze_forms::Words::shipped(), Lang::EN),
        EN
    );
}

#[test]
fn a_step_of_a_multi_step_form_refuses_them_too() {
    let concorso = form("concorso");
    let data = json!({"concorso": {"codice": "IST\u{2}AMM"}});
    let errors = concorso.validate(&data).unwrap_err();
    let step = concorso.page_errors(&errors, 0);
    assert_eq!(
        step.iter()
            .find(|e| e.pointer == "/concorso/codice")
            .map(|e| e.message.as_str()),
        Some(IT)
    );
}

#[test]
fn a_lone_surrogate_escape_is_refused_on_its_field() {
    let body = serde_json::to_string(&patrocinio())
        .unwrap()
        .replace("Festa della musica", "Festa \\ud800 della musica");
    assert!(serde_json::from_str::<Value>(&body).is_err());
    let data: Value =
        serde_json::from_str(&istanze_forms::text::mark_lone_surrogates(&body)).unwrap();
    let errors = form("patrocinio").validate(&data).unwrap_err();
    only_text_error(&errors, "/evento/titolo");
}
