//! The application document: the frozen record of what the citizen submitted, filed as the
//! primary document of the registration. Deterministic: the same submission gives the same
//! bytes, so its digest can be checked at any time.
//!
//! It is a JSON document for now; the PDF/A rendering of the same content comes with the
//! document work (issue 5) and will replace it as the primary document.

use chrono::{DateTime, SecondsFormat, Utc};
use istanze_auth::Identity;
use istanze_forms::Form;
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct ApplicationDocument<'a> {
    tipo: &'static str,
    id: &'a str,
    modulo: Modulo<'a>,
    ente: &'a str,
    presentata_il: String,
    richiedente: Richiedente<'a>,
    dati: &'a Value,
}

#[derive(Serialize)]
struct Modulo<'a> {
    id: &'a str,
    versione: &'a str,
    titolo: &'a str,
    ufficio: &'a str,
}

#[derive(Serialize)]
struct Richiedente<'a> {
    codice_fiscale: &'a str,
    nome: Option<&'a str>,
    cognome: Option<&'a str>,
    accesso: &'a str,
    livello: u8,
}

/// The document bytes (UTF-8 JSON).
pub(crate) fn render(
    id: &str,
    form: &Form,
    administration: &str,
    identity: &Identity,
    data: &Value,
    submitted_at: DateTime<Utc>,
) -> Result<String, serde_json::Error> {
    let doc = ApplicationDocument {
        tipo: "istanza",
        id,
        modulo: Modulo {
            id: &form.id,
            versione: &form.version,
            titolo: &form.title,
            ufficio: &form.office,
        },
        ente: administration,
        presentata_il: submitted_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        richiedente: Richiedente {
            codice_fiscale: &identity.fiscal_number,
            nome: identity.name.as_deref(),
            cognome: identity.family_name.as_deref(),
            accesso: &identity.provider,
            livello: identity.level.number(),
        },
        dati: data,
    };
    serde_json::to_string_pretty(&doc)
}
