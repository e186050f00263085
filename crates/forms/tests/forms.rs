//! Tests of the forms crate on the real forms shipped in `forms/` and on broken definitions.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use istanze_forms::{load_dir, Form, FormError, PrefillAttributes, RenderItem, Widget};
use serde_json::{json, Value};

fn catalog() -> istanze_forms::FormCatalog {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../forms")).expect("real forms load")
}

fn valid_patrocinio() -> Value {
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

fn pointers(errors: &[istanze_forms::FieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.pointer.as_str()).collect()
}

#[test]
fn real_forms_load_in_title_order() {
    let c = catalog();
    let ids: Vec<&str> = c.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, vec!["concorso", "patrocinio"]);
}

#[test]
fn valid_patrocinio_passes_and_builds_subject() {
    let c = catalog();
    let form = c.get("patrocinio").unwrap();
    form.validate(&valid_patrocinio()).unwrap();
    assert_eq!(
        form.subject(&valid_patrocinio()),
        "Richiesta di patrocinio per l'evento \"Festa della musica\" del 2027-06-21"
    );
}

#[test]
fn missing_and_wrong_fields_get_italian_messages_by_pointer() {
    let c = catalog();
    let form = c.get("patrocinio").unwrap();
    let mut data = valid_patrocinio();
    data["richiedente"]["codice_fiscale"] = json!("RSSMRA85T10A562T");
    data["richiedente"]["email"] = json!("non-una-mail");
    data["evento"].as_object_mut().unwrap().remove("titolo");
    data["evento"]["partecipanti_previsti"] = json!(0);
    data["dichiarazioni"]["privacy"] = json!(false);
    let errors = form.validate(&data).unwrap_err();
    let find = |p: &str| {
        errors
            .iter()
            .find(|e| e.pointer == p)
            .map(|e| e.message.as_str())
    };
    assert_eq!(
        find("/richiedente/codice_fiscale"),
        Some("Il codice fiscale non è valido: controllare i 16 caratteri.")
    );
    assert_eq!(
        find("/richiedente/email"),
        Some("Inserire un indirizzo e-mail valido, ad esempio nome@esempio.it.")
    );
    assert_eq!(find("/evento/titolo"), Some("Questo campo è obbligatorio."));
    assert_eq!(
        find("/evento/partecipanti_previsti"),
        Some("Il valore minimo è 1.")
    );
    assert!(find("/dichiarazioni/privacy")
        .unwrap()
        .contains("dichiarazione è obbligatoria"));
    assert_eq!(errors.len(), 5, "one message per field: {errors:?}");
    data["dichiarazioni"]
        .as_object_mut()
        .unwrap()
        .remove("privacy");
    let errors = form.validate(&data).unwrap_err();
    let privacy = errors
        .iter()
        .find(|e| e.pointer == "/dichiarazioni/privacy")
        .unwrap();
    assert!(
        privacy.message.contains("dichiarazione è obbligatoria"),
        "an unticked box is a declaration"
    );
}

#[test]
fn control_characters_are_refused_with_a_message() {
    let c = catalog();
    let form = c.get("patrocinio").unwrap();
    let mut data = valid_patrocinio();
    data["evento"]["titolo"] = json!("Festa\u{0001}della musica");
    data["evento"]["descrizione"] = json!("Riga uno\nriga due\tcon tabulazione, abbastanza lunga.");
    let errors = form.validate(&data).unwrap_err();
    assert_eq!(pointers(&errors), vec!["/evento/titolo"]);
    assert!(errors[0].message.contains("caratteri non ammessi"));
}

#[test]
fn organisation_is_required_only_on_behalf_of_an_organisation() {
    let c = catalog();
    let form = c.get("patrocinio").unwrap();
    let mut data = valid_patrocinio();
    data["richiedente"]["qualita"] = json!("ente");
    let errors = form.validate(&data).unwrap_err();
    assert_eq!(pointers(&errors), vec!["/organizzazione"]);
    // Without an answer to "qualita" only that answer is missing, not the organisation.
    let mut unanswered = valid_patrocinio();
    unanswered["richiedente"]
        .as_object_mut()
        .unwrap()
        .remove("qualita");
    let errors = form.validate(&unanswered).unwrap_err();
    assert_eq!(pointers(&errors), vec!["/richiedente/qualita"]);
    data["organizzazione"] = json!({"denominazione": "Pro Loco"});
    let errors = form.validate(&data).unwrap_err();
    assert_eq!(
        pointers(&errors),
        vec![
            "/organizzazione/codice_fiscale",
            "/organizzazione/ruolo",
            "/organizzazione/sede"
        ]
    );
}

#[test]
fn html_fields_become_typed_data() {
    let c = catalog();
    let form = c.get("patrocinio").unwrap();
    let fields: Vec<(String, String)> = [
        ("csrf", "x"),
        ("/evento/partecipanti_previsti", " 120 "),
        ("/evento/titolo", "  "),
        ("/dichiarazioni/privacy", "true"),
        ("/evento/luogo", "Via Roma 1"),
        ("/non/esiste", "x"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let data = form.data_from_fields(&fields);
    assert_eq!(
        data,
        json!({"evento": {"partecipanti_previsti": 120, "luogo": "Via Roma 1"},
               "dichiarazioni": {"privacy": true}})
    );
    let data = form.data_from_fields(&[("/evento/partecipanti_previsti".into(), "molti".into())]);
    let errors = form.validate(&data).unwrap_err();
    let e = errors
        .iter()
        .find(|e| e.pointer == "/evento/partecipanti_previsti")
        .unwrap();
    assert_eq!(e.message, "Inserire un numero intero.");
}

#[test]
fn prefill_overwrites_and_locks_verified_fields() {
    let c = catalog();
    let form = c.get("concorso").unwrap();
    let mut attrs = PrefillAttributes::new();
    attrs.insert("name".into(), "Maria".into());
    attrs.insert("family_name".into(), "Rossi".into());
    attrs.insert("fiscal_number".into(), "RSSMRA85T10A562S".into());
    attrs.insert("email".into(), "  ".into());
    let mut data = json!({"anagrafica": {"nome": "Falso"}});
    let locked = form.apply_prefill(&mut data, &attrs);
    assert_eq!(data["anagrafica"]["nome"], "Maria");
    assert_eq!(data["anagrafica"]["codice_fiscale"], "RSSMRA85T10A562S");
    assert!(locked.contains("/anagrafica/nome"));
    assert!(
        !locked.contains("/recapiti/email"),
        "an empty attribute leaves the field editable"
    );
}

#[test]
fn render_model_has_fieldsets_widgets_values_and_errors() {
    let c = catalog();
    let form = c.get("patrocinio").unwrap();
    let data = json!({"richiedente": {"nome": "Maria", "qualita": "ente"}});
    let errors = form.validate(&data).unwrap_err();
    let locked: BTreeSet<String> = ["/richiedente/nome".to_string()].into();
    let view = form.render(&data, &errors, &locked);
    let starts = view
        .items
        .iter()
        .filter(|i| matches!(i, RenderItem::FieldsetStart { .. }))
        .count();
    let ends = view
        .items
        .iter()
        .filter(|i| matches!(i, RenderItem::FieldsetEnd))
        .count();
    // Four sections and the first (empty) row of the other organisers.
    assert_eq!((starts, ends), (5, 5));
    let blocks: Vec<_> = view
        .items
        .iter()
        .filter_map(RenderItem::condition_start)
        .map(|c| (c.pointer.as_str(), c.controller.as_str(), c.active))
        .collect();
    assert_eq!(
        blocks,
        [
            ("/organizzazione", "/richiedente/qualita", true),
            ("/evento/prezzo", "/evento/ingresso", false)
        ]
    );
    let field = |name: &str| {
        view.items
            .iter()
            .find_map(|i| match i {
                RenderItem::Field(f) if f.name == name => Some(f.clone()),
                _ => None,
            })
            .unwrap()
    };
    let nome = field("/richiedente/nome");
    assert!(nome.verified && nome.required && nome.error.is_none());
    assert_eq!(nome.value, "Maria");
    assert_eq!(nome.html_id, "f-richiedente-nome");
    let qualita = field("/richiedente/qualita");
    assert_eq!(qualita.widget, Widget::Radio);
    assert_eq!(qualita.anchor(), "f-richiedente-qualita-0");
    assert!(qualita
        .options
        .iter()
        .any(|o| o.value == "ente" && o.selected));
    assert_eq!(field("/evento/tipologia").widget, Widget::Select);
    assert_eq!(field("/evento/data_inizio").widget, Widget::Date);
    assert_eq!(
        field("/evento/partecipanti_previsti").step.as_deref(),
        Some("1")
    );
    assert_eq!(field("/dichiarazioni/privacy").widget, Widget::Checkbox);
    assert_eq!(
        field("/evento/titolo").error.as_deref(),
        Some("Questo campo è obbligatorio.")
    );
    assert!(!field("/richiedente/telefono").required);
    assert!(
        !field("/altri_soggetti/0/denominazione").required,
        "an optional row left empty asks for nothing"
    );
    // The price's block comes right after the question that opens it.
    let ingresso = view
        .items
        .iter()
        .position(|i| i.field().is_some_and(|f| f.name == "/evento/ingresso"))
        .unwrap();
    assert_eq!(
        view.items[ingresso + 1]
            .condition_start()
            .map(|c| c.pointer.as_str()),
        Some("/evento/prezzo")
    );
}

fn broken(json: Value) -> FormError {
    Form::from_json("broken.json", &json.to_string()).unwrap_err()
}

fn minimal() -> Value {
    json!({"id": "prova", "version": "1", "title": "Prova", "description": "d", "office": "o",
           "classification": "1.1", "min_level": "SpidL1", "subject_template": "Prova {/nome}",
           "schema": {"type": "object", "properties": {"nome": {"type": "string", "title": "Nome"}}}})
}

fn fault(e: FormError) -> (String, String) {
    match e {
        FormError::Invalid { file, pointer, .. } => (file, pointer),
        other => panic!("expected Invalid, got {other}"),
    }
}

#[test]
fn broken_definitions_name_file_and_pointer() {
    Form::from_json("ok.json", &minimal().to_string()).unwrap();

    let mut d = minimal();
    d["schema"]["properties"]["nome"]
        .as_object_mut()
        .unwrap()
        .remove("title");
    assert_eq!(
        fault(broken(d)),
        ("broken.json".into(), "/schema/properties/nome".into())
    );

    let mut d = minimal();
    d["schema"]["properties"]["nome"]["minLength"] = json!("tre");
    assert_eq!(fault(broken(d)).1, "/schema/properties/nome/minLength");

    let mut d = minimal();
    d["prefill"] = json!({"/nome": "shoe_size"});
    assert_eq!(fault(broken(d)).1, "/prefill/~1nome");

    let mut d = minimal();
    d["ui"] = json!({"/cognome": {"widget": "text"}});
    assert_eq!(fault(broken(d)).1, "/ui/~1cognome");

    let mut d = minimal();
    d["subject_template"] = json!("Prova {/cognome}");
    assert_eq!(fault(broken(d)).1, "/subject_template");

    let mut d = minimal();
    d["id"] = json!("Prova Uno");
    assert_eq!(fault(broken(d)).1, "/id");

    let mut d = minimal();
    d["schema"]["properties"]["lista"] = json!({"type": "array", "title": "Lista"});
    assert_eq!(fault(broken(d)).1, "/schema/properties/lista/items");

    let mut d = minimal();
    d.as_object_mut().unwrap().remove("office");
    assert!(matches!(broken(d), FormError::Syntax { .. }));
    assert!(matches!(
        Form::from_json("x.json", "{not json").unwrap_err(),
        FormError::Syntax { .. }
    ));
}

#[test]
fn load_dir_refuses_file_name_mismatch_and_reports_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("altro.json"), minimal().to_string()).unwrap();
    let err = load_dir(dir.path()).unwrap_err();
    assert!(err.to_string().contains("altro.json"), "{err}");
    assert!(err.to_string().contains("/id"), "{err}");
}
