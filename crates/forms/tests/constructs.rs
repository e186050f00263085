//! Tests of the JSON Schema constructs a form designer needs beyond plain fields: repeatable
//! groups, conditional sections (`if`/`then`/`else`, `dependentSchemas`, `oneOf`), date-time
//! and web address fields, and translations.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use istanze_forms::{Form, FormError, Lang, RenderItem, Widget};
use serde_json::{json, Value};

fn form(schema: Value, extra: Value) -> Result<Form, FormError> {
    let mut def = json!({"id": "prova", "version": "1", "title": "Prova", "description": "Modulo di prova",
        "office": "Ufficio", "classification": "1", "min_level": "SpidL1", "subject_template": "x",
        "schema": schema});
    if let (Value::Object(d), Value::Object(e)) = (&mut def, extra) {
        d.extend(e);
    }
    Form::from_json("prova.json", &def.to_string())
}

/// People to invite (a group of 1 to 3) and a "person or organisation" applicant.
fn evento() -> Form {
    form(
        json!({
            "type": "object",
            "required": ["richiedente"],
            "properties": {
                "richiedente": {
                    "type": "object", "title": "Richiedente",
                    "required": ["tipo"],
                    "unevaluatedProperties": false,
                    "properties": {
                        "tipo": {"type": "string", "title": "Chi presenta la domanda", "oneOf": [
                            {"const": "persona", "title": "Una persona"},
                            {"const": "ente", "title": "Un ente"}]}
                    },
                    "oneOf": [
                        {"properties": {"tipo": {"const": "persona"},
                                        "cognome": {"type": "string", "title": "Cognome", "minLength": 1}},
                         "required": ["cognome"]},
                        {"properties": {"tipo": {"const": "ente"},
                                        "denominazione": {"type": "string", "title": "Denominazione", "minLength": 1},
                                        "partita_iva": {"type": "string", "title": "Partita IVA", "format": "partita-iva"}},
                         "required": ["denominazione"]}
                    ]
                },
                "ospiti": {
                    "type": "array", "title": "Ospite", "minItems": 1, "maxItems": 3,
                    "items": {"type": "object", "required": ["nome"], "properties": {
                        "nome": {"type": "string", "title": "Nome", "minLength": 1},
                        "arrivo": {"type": "string", "title": "Arrivo", "format": "date-time"}}}
                },
                "servizi": {
                    "type": "object", "title": "Servizi",
                    "properties": {
                        "assistenza": {"type": "boolean", "title": "Serve assistenza"},
                        "sito": {"type": "string", "title": "Sito", "format": "uri"}
                    },
                    "dependentSchemas": {
                        "assistenza": {"properties": {"dettagli": {"type": "string", "title": "Quale assistenza", "minLength": 1}},
                                       "required": ["dettagli"]}
                    }
                }
            }
        }),
        json!({"translations": {"en": {"Richiedente": "Applicant", "Una persona": "A person", "Nome": "First name"}}}),
    )
    .expect("the test form loads")
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn field_names(items: &[RenderItem]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| i.field().map(|f| f.name.clone()))
        .collect()
}

#[test]
fn groups_render_rows_with_add_and_remove_buttons_within_bounds() {
    let f = evento();
    let none = BTreeSet::new();
    let view = f.render(&json!({}), &[], &none);
    // One empty row to fill in, no remove button at the minimum, an add button.
    let rows: Vec<_> = view
        .items
        .iter()
        .filter_map(RenderItem::start)
        .filter(|s| s.pointer.starts_with("/ospiti/"))
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].legend, "Ospite n. 1");
    assert!(rows[0].remove.is_none());
    let add = view.items.iter().find_map(RenderItem::group_end).unwrap();
    assert_eq!(add.add.as_ref().unwrap().action, "aggiungi:/ospiti");
    assert_eq!(add.add.as_ref().unwrap().label, "Aggiungi Ospite");

    let full = json!({"ospiti": [{"nome": "A"}, {"nome": "B"}, {"nome": "C"}]});
    let view = f.render(&full, &[], &none);
    assert!(view
        .items
        .iter()
        .find_map(RenderItem::group_end)
        .unwrap()
        .add
        .is_none());
    let removes: Vec<String> = view
        .items
        .iter()
        .filter_map(RenderItem::start)
        .filter_map(|s| s.remove.as_ref().map(|b| b.action.clone()))
        .collect();
    assert_eq!(
        removes,
        [
            "rimuovi:/ospiti/0",
            "rimuovi:/ospiti/1",
            "rimuovi:/ospiti/2"
        ]
    );
    assert!(field_names(&view.items).contains(&"/ospiti/2/nome".to_string()));
}

#[test]
fn group_actions_change_rows_and_refuse_what_is_out_of_bounds() {
    let f = evento();
    // The page showed one empty row; "add" keeps it and adds a second.
    let mut data = f.data_from_fields(&fields(&[("/ospiti/0/nome", "")]));
    assert_eq!(data, json!({"ospiti": [{}]}));
    assert_eq!(
        f.apply_group_action(&mut data, "aggiungi:/ospiti")
            .as_deref(),
        Some("/ospiti/1")
    );
    assert_eq!(data["ospiti"].as_array().unwrap().len(), 2);
    let view = f.render_focused(&data, &[], &BTreeSet::new(), Some("/ospiti/1"));
    let focused: Vec<_> = view
        .items
        .iter()
        .filter_map(RenderItem::field)
        .filter(|x| x.focus)
        .map(|x| x.name.clone())
        .collect();
    assert_eq!(focused, ["/ospiti/1/nome"]);

    // A row is kept by its own (empty) field even when none of its answers is sent.
    let rows = f.data_from_fields(&fields(&[("/ospiti/0", ""), ("/ospiti/1", "")]));
    assert_eq!(rows, json!({"ospiti": [{}, {}]}));
    // A forged value for a row is no row: validation says so, nothing breaks.
    let forged = f.data_from_fields(&fields(&[("/ospiti/0", "x")]));
    assert!(f.validate(&forged).is_err());
    let _ = f.render(&forged, &[], &BTreeSet::new());

    let mut data = json!({"ospiti": [{"nome": "A"}, {"nome": "B"}, {"nome": "C"}]});
    let before = data.clone();
    assert!(f
        .apply_group_action(&mut data, "aggiungi:/ospiti")
        .is_none());
    assert!(f
        .apply_group_action(&mut data, "rimuovi:/ospiti/7")
        .is_none());
    assert!(f
        .apply_group_action(&mut data, "aggiungi:/servizi")
        .is_none());
    assert!(f
        .apply_group_action(&mut data, "rimuovi:/richiedente/0")
        .is_none());
    assert_eq!(data, before, "a refused action changes nothing");
    assert_eq!(
        f.apply_group_action(&mut data, "rimuovi:/ospiti/1")
            .as_deref(),
        Some("/ospiti")
    );
    assert_eq!(data, json!({"ospiti": [{"nome": "A"}, {"nome": "C"}]}));
    let mut one = json!({"ospiti": [{"nome": "A"}]});
    assert!(
        f.apply_group_action(&mut one, "rimuovi:/ospiti/0")
            .is_none(),
        "minItems 1"
    );
}

#[test]
fn rows_are_read_checked_and_pruned_with_their_own_pointers() {
    let f = evento();
    let mut data = f.data_from_fields(&fields(&[
        ("/richiedente/tipo", "persona"),
        ("/richiedente/cognome", "Rossi"),
        ("/ospiti/0/nome", "Ada"),
        ("/ospiti/1/nome", ""),
        ("/ospiti/2/nome", ""),
        ("/ospiti/2/arrivo", "2027-07-01T18:30"),
        // A hostile index is ignored rather than allocated.
        ("/ospiti/99999/nome", "x"),
    ]));
    f.prune(&mut data);
    assert_eq!(
        data["ospiti"],
        json!([{"nome": "Ada"}, {"arrivo": "2027-07-01T18:30:00+02:00"}])
    );
    let errors = f.validate(&data).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].pointer, "/ospiti/1/nome");
    assert_eq!(errors[0].message, "Questo campo è obbligatorio.");
    let view = f.render(&data, &errors, &BTreeSet::new());
    let arrivo = view
        .items
        .iter()
        .filter_map(RenderItem::field)
        .find(|x| x.name == "/ospiti/1/arrivo")
        .unwrap();
    assert_eq!(arrivo.widget, Widget::DateTime);
    assert_eq!(arrivo.input_type(), "datetime-local");
    assert_eq!(arrivo.value, "2027-07-01T18:30");
    let summary = format!("{:?}", f.summary(&data));
    assert!(summary.contains("Ospite n. 2"), "{summary}");
    assert!(summary.contains("01/07/2027 18:30"), "{summary}");
}

#[test]
fn one_of_shows_each_branch_under_its_choice_and_checks_the_chosen_one() {
    let f = evento();
    let view = f.render(
        &json!({"richiedente": {"tipo": "ente"}}),
        &[],
        &BTreeSet::new(),
    );
    let blocks: Vec<_> = view
        .items
        .iter()
        .filter_map(RenderItem::condition_start)
        .filter(|c| c.controller == "/richiedente/tipo")
        .collect();
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].values, "persona");
    assert!(!blocks[0].active);
    assert!(blocks[1].active);
    assert_eq!(
        blocks[1].note,
        "Da compilare solo se hai risposto «Un ente» a «Chi presenta la domanda»."
    );
    let names = field_names(&view.items);
    assert!(names.contains(&"/richiedente/cognome".into()));
    assert!(names.contains(&"/richiedente/denominazione".into()));

    // The chosen branch's own errors, not "choose an option".
    let data =
        json!({"richiedente": {"tipo": "ente", "partita_iva": "123"}, "ospiti": [{"nome": "A"}]});
    let errors = f.validate(&data).unwrap_err();
    let mut got: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
    got.sort();
    assert_eq!(
        got,
        ["/richiedente/denominazione", "/richiedente/partita_iva"]
    );

    let errors = f
        .validate(&json!({"richiedente": {}, "ospiti": [{"nome": "A"}]}))
        .unwrap_err();
    assert_eq!(errors[0].pointer, "/richiedente/tipo");

    // Answers to the branch no longer chosen are dropped before checking and filing.
    let mut data = json!({"richiedente": {"tipo": "persona", "cognome": "Rossi", "denominazione": "Pro Loco"},
                          "ospiti": [{"nome": "A"}]});
    f.prune(&mut data);
    assert_eq!(
        data["richiedente"],
        json!({"tipo": "persona", "cognome": "Rossi"})
    );
    assert!(f.validate(&data).is_ok());
}

#[test]
fn dependent_schemas_apply_when_their_field_is_answered() {
    let f = evento();
    let base =
        json!({"richiedente": {"tipo": "persona", "cognome": "R"}, "ospiti": [{"nome": "A"}]});
    let mut with = base.clone();
    with["servizi"] = json!({"assistenza": true});
    let errors = f.validate(&with).unwrap_err();
    assert_eq!(errors[0].pointer, "/servizi/dettagli");
    let view = f.render(&with, &errors, &BTreeSet::new());
    let block = view
        .items
        .iter()
        .filter_map(RenderItem::condition_start)
        .find(|c| c.controller == "/servizi/assistenza")
        .unwrap();
    assert!(block.active);
    assert_eq!(block.values, "");
    let field = view
        .items
        .iter()
        .filter_map(RenderItem::field)
        .find(|x| x.name == "/servizi/dettagli")
        .unwrap();
    assert!(field.required);
    assert_eq!(field.error.as_deref(), Some("Questo campo è obbligatorio."));

    let mut without = base.clone();
    without["servizi"] = json!({"dettagli": "rampa"});
    f.prune(&mut without);
    assert_eq!(without, base, "the details go with the question");
    let sito = f
        .render(&json!({}), &[], &BTreeSet::new())
        .items
        .into_iter()
        .filter_map(|i| i.field().cloned())
        .find(|x| x.name == "/servizi/sito")
        .unwrap();
    assert_eq!(sito.input_type(), "url");
}

#[test]
fn a_file_field_in_a_conditional_section_is_a_file_field() {
    let f = form(
        json!({"type": "object", "properties": {
            "ausili": {"type": "boolean", "title": "Ausili"}},
          "if": {"properties": {"ausili": {"const": true}}, "required": ["ausili"]},
          "then": {"properties": {"certificato": {"type": "string", "title": "Certificato", "format": "allegato",
                   "x-accept": ["application/pdf"], "x-max-bytes": 1000}}, "required": ["certificato"]}}),
        json!({}),
    )
    .unwrap();
    let fields = f.file_fields();
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].pointer, "/certificato");
    assert!(f.file_field("/certificato").is_some());
}

#[test]
fn if_then_else_on_a_nested_answer() {
    let f = form(
        json!({"type": "object", "properties": {
            "a": {"type": "object", "title": "A", "properties": {
                "q": {"type": "string", "title": "Q", "enum": ["x", "y"]}}},
            "b": {"type": "string", "title": "B"}},
          "if": {"properties": {"a": {"properties": {"q": {"const": "x"}}, "required": ["q"]}}, "required": ["a"]},
          "then": {"required": ["b"]},
          "else": {"properties": {"c": {"type": "string", "title": "C"}}}}),
        json!({}),
    )
    .unwrap();
    let view = f.render(&json!({"a": {"q": "y"}}), &[], &BTreeSet::new());
    let blocks: Vec<_> = view
        .items
        .iter()
        .filter_map(RenderItem::condition_start)
        .collect();
    assert_eq!(blocks.len(), 2);
    assert_eq!(
        (
            blocks[0].controller.as_str(),
            blocks[0].negate,
            blocks[0].active
        ),
        ("/a/q", false, false)
    );
    assert_eq!(
        (blocks[1].negate, blocks[1].active, blocks[1].when_empty),
        (true, true, false)
    );
    assert_eq!(
        f.validate(&json!({"a": {"q": "x"}})).unwrap_err()[0].pointer,
        "/b"
    );
    let mut data = json!({"a": {"q": "x"}, "b": "1", "c": "2"});
    f.prune(&mut data);
    assert_eq!(data, json!({"a": {"q": "x"}, "b": "1"}));
}

#[test]
fn forms_speak_english_where_translated_and_italian_elsewhere() {
    let f = evento();
    let en = f.in_lang(Lang::EN);
    let view = en.render(&json!({}), &[], &BTreeSet::new());
    let legends: Vec<_> = view
        .items
        .iter()
        .filter_map(RenderItem::start)
        .map(|s| s.legend.clone())
        .collect();
    assert!(legends.contains(&"Applicant".to_string()), "{legends:?}");
    assert!(
        legends.contains(&"Ospite no. 1".to_string()),
        "untranslated text stays: {legends:?}"
    );
    let tipo = view
        .items
        .iter()
        .filter_map(RenderItem::field)
        .find(|x| x.name == "/richiedente/tipo")
        .unwrap();
    assert_eq!(tipo.options[0].label, "A person");
    let errors = en
        .validate(&json!({"richiedente": {"tipo": "persona"}, "ospiti": [{}]}))
        .unwrap_err();
    assert!(
        errors
            .iter()
            .all(|e| e.message == "This field is required."),
        "{errors:?}"
    );
    assert_eq!(
        en.in_lang(Lang::IT)
            .render(&json!({}), &[], &BTreeSet::new())
            .items
            .iter()
            .filter_map(RenderItem::start)
            .next()
            .unwrap()
            .legend,
        "Richiedente",
        "back to Italian from English"
    );
    // The Italian form is untouched.
    assert_eq!(
        f.render(&json!({}), &[], &BTreeSet::new())
            .items
            .iter()
            .filter_map(RenderItem::start)
            .next()
            .unwrap()
            .legend,
        "Richiedente"
    );
}

#[test]
fn the_loader_refuses_what_it_cannot_show() {
    let fault = |schema: Value, extra: Value| match form(schema, extra) {
        Err(FormError::Invalid {
            pointer, message, ..
        }) => (pointer, message),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let group = |extra: Value| {
        let mut g = json!({"type": "array", "title": "G", "items": {"type": "object", "properties": {"n": {"type": "string", "title": "N"}}}});
        if let (Value::Object(m), Value::Object(e)) = (&mut g, extra) {
            m.extend(e);
        }
        json!({"type": "object", "properties": {"g": g}})
    };
    assert_eq!(
        fault(group(json!({})), json!({})).0,
        "/schema/properties/g/maxItems"
    );
    assert_eq!(
        fault(group(json!({"maxItems": 1000})), json!({})).0,
        "/schema/properties/g/maxItems"
    );
    assert!(form(group(json!({"maxItems": 5})), json!({})).is_ok());
    let (p, _) = fault(
        json!({"type": "object", "properties": {"g": {"type": "array", "title": "G", "maxItems": 2, "items": {"type": "string"}}}}),
        json!({}),
    );
    assert_eq!(p, "/schema/properties/g/items");
    let (p, m) = fault(
        json!({"type": "object", "properties": {"a": {"type": "string", "title": "A"}},
               "if": {"properties": {"a": {"minLength": 3}}}, "then": {"required": ["a"]}}),
        json!({}),
    );
    assert_eq!(p, "/schema/if");
    assert!(m.contains("const"), "{m}");
    let (p, _) = fault(
        json!({"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string", "title": "A", "enum": ["x"]}},
               "if": {"properties": {"a": {"const": "x"}}}, "then": {"properties": {"b": {"type": "string", "title": "B"}}}}),
        json!({}),
    );
    assert_eq!(p, "/schema/additionalProperties");
    let (p, _) = fault(
        json!({"type": "object", "properties": {"a": {"type": "object", "title": "A", "properties": {"k": {"type": "string", "title": "K"}},
               "oneOf": [{"properties": {"x": {"type": "string", "title": "X"}}}, {"properties": {"y": {"type": "string", "title": "Y"}}}]}}}),
        json!({}),
    );
    assert_eq!(p, "/schema/properties/a/oneOf");
    let (p, _) = fault(
        json!({"type": "object", "properties": {"a": {"type": "string", "title": "A"}}}),
        json!({"translations": {"en": {"Nome": "Name"}}}),
    );
    assert_eq!(p, "/translations/en/Nome");
    let (p, m) = fault(
        group(
            json!({"maxItems": 3, "items": {"type": "object", "properties": {
            "f": {"type": "string", "title": "F", "format": "allegato", "x-accept": ["application/pdf"], "x-max-bytes": 1000}}}}),
        ),
        json!({}),
    );
    assert_eq!(p, "/schema/properties/g/items/properties/f");
    assert!(m.contains("repeatable group"), "{m}");
    let (p, _) = fault(
        json!({"type": "object", "properties": {"12": {"type": "string", "title": "A"}}}),
        json!({}),
    );
    assert_eq!(p, "/schema/properties/12");
}

#[test]
fn a_block_whose_question_was_dropped_is_dropped_too() {
    // B applies when a = "x"; C (inside B's answers' reach) decides D.
    let f = form(
        json!({"type": "object", "properties": {
          "a": {"type": "string", "title": "A", "enum": ["x", "y"]}},
        "allOf": [
          {"if": {"properties": {"a": {"const": "x"}}, "required": ["a"]},
           "then": {"properties": {"c": {"type": "string", "title": "C", "enum": ["si", "no"]}}}},
          {"if": {"properties": {"c": {"const": "si"}}, "required": ["c"]},
           "then": {"properties": {"d": {"type": "string", "title": "D"}}}}
        ]}),
        json!({}),
    )
    .unwrap();
    let mut data = json!({"a": "y", "c": "si", "d": "risposta"});
    f.prune(&mut data);
    assert_eq!(data, json!({"a": "y"}));
    let mut kept = json!({"a": "x", "c": "si", "d": "risposta"});
    f.prune(&mut kept);
    assert_eq!(kept, json!({"a": "x", "c": "si", "d": "risposta"}));
}

#[test]
fn numeric_answers_meet_integer_conditions() {
    let f = form(
        json!({"type": "object", "properties": {
            "n": {"type": "number", "title": "N", "oneOf": [{"const": 1, "title": "Uno"}, {"const": 2, "title": "Due"}]}},
          "if": {"properties": {"n": {"const": 1}}, "required": ["n"]},
          "then": {"properties": {"extra": {"type": "string", "title": "Extra"}}, "required": ["extra"]}}),
        json!({}),
    )
    .unwrap();
    // The HTML form gives "1", read as the number 1.0.
    let mut data = f.data_from_fields(&fields(&[("/n", "1"), ("/extra", "sì")]));
    f.prune(&mut data);
    assert_eq!(data["extra"], "sì", "1.0 is the answer 1: {data}");
    let view = f.render(&data, &[], &BTreeSet::new());
    let n = view
        .items
        .iter()
        .filter_map(RenderItem::field)
        .find(|x| x.name == "/n")
        .unwrap();
    assert!(n.options[0].selected);
    assert!(view
        .items
        .iter()
        .filter_map(RenderItem::condition_start)
        .all(|c| c.active && c.scripted));
}

#[test]
fn hints_for_the_fields_of_a_group_are_keyed_without_the_row() {
    let f = form(
        json!({"type": "object", "properties": {"ospiti": {"type": "array", "title": "Ospite", "maxItems": 2,
            "minItems": 1,
            "items": {"type": "object", "properties": {"nome": {"type": "string", "title": "Nome"}}}}}}),
        json!({"ui": {"/ospiti/nome": {"label": "Nome dell'ospite", "autocomplete": "name"}}}),
    )
    .unwrap();
    let nome = f
        .render(&json!({}), &[], &BTreeSet::new())
        .items
        .into_iter()
        .filter_map(|i| i.field().cloned())
        .find(|x| x.name == "/ospiti/0/nome")
        .unwrap();
    assert_eq!(nome.label, "Nome dell'ospite");
    assert_eq!(nome.autocomplete.as_deref(), Some("name"));
}

#[test]
fn conditions_the_script_could_read_otherwise_are_refused() {
    let fault = |schema: Value| match form(schema, json!({})) {
        Err(FormError::Invalid { pointer, .. }) => pointer,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let base = |cond: Value| {
        json!({"type": "object", "properties": {"r": {"type": "object", "title": "R", "properties": {
            "q": {"type": "string", "title": "Q", "enum": ["x", "y"]}}}},
          "if": cond, "then": {"properties": {"z": {"type": "string", "title": "Z"}}}})
    };
    // Outer level optional, inner required: JSON Schema and a simple reading disagree.
    assert_eq!(
        fault(base(
            json!({"properties": {"r": {"properties": {"q": {"const": "x"}}, "required": ["q"]}}})
        )),
        "/schema/if"
    );
    // Other keywords in the test.
    assert_eq!(
        fault(base(
            json!({"properties": {"r": {"properties": {"q": {"const": "x", "minLength": 2}}}}})
        )),
        "/schema/if"
    );
    assert_eq!(
        fault(base(
            json!({"properties": {"r": {"properties": {"q": {"const": "x"}}}}, "not": {}})
        )),
        "/schema/if"
    );
    // All optional, or all required, are fine.
    assert!(form(
        base(json!({"properties": {"r": {"properties": {"q": {"const": "x"}}}}})),
        json!({})
    )
    .is_ok());
    assert!(form(
        base(json!({"required": ["r"], "properties": {"r": {"properties": {"q": {"const": "x"}}, "required": ["q"]}}})),
        json!({})
    )
    .is_ok());
    let group = json!({"type": "object", "properties": {"g": {"type": "array", "title": "G", "minItems": 5, "maxItems": 2,
        "items": {"type": "object", "properties": {"n": {"type": "string", "title": "N"}}}}}});
    assert_eq!(fault(group), "/schema/properties/g/minItems");
}
