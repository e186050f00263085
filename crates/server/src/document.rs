//! The application document: the frozen record of what the citizen submitted. The PDF/A-2b
//! rendering is the primary document of the registration; the JSON copy of the same content is
//! kept beside it for machines. Both are deterministic: the same submission gives the same
//! bytes, so their digests can be checked at any time.

use chrono::{DateTime, SecondsFormat, Utc};
use istanze_auth::Identity;
use istanze_forms::Form;
use istanze_forms::SummaryItem;
use istanze_protocol::pdf::{render_blocks, Block};
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

/// How the citizen logged in, in words.
fn access(identity: &Identity) -> String {
    let scheme = if identity.provider.contains("cie") || identity.provider.contains("CIE") {
        "CIE"
    } else if identity.provider.contains("eidas") || identity.provider.contains("EIDAS") {
        "eIDAS"
    } else {
        "SPID"
    };
    format!(
        "{scheme} livello {} ({})",
        identity.level.number(),
        identity.provider
    )
}

/// The application document as PDF/A-2b, dated `submitted_at`.
pub(crate) fn render_pdf(
    id: &str,
    form: &Form,
    administration: &str,
    identity: &Identity,
    data: &Value,
    files: &[crate::db::attachment::Model],
    submitted_at: DateTime<Utc>,
) -> Result<Vec<u8>, istanze_protocol::ProtocolError> {
    let local = istanze_protocol::rome::local(submitted_at);
    let field = |label: &str, value: String| [Block::Label(label.to_owned()), Block::Text(value)];
    let name = [identity.name.as_deref(), identity.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let mut blocks = vec![
        Block::Text(administration.to_owned()),
        Block::Title(form.title.clone()),
        Block::Text(format!("Domanda all'{}", form.office)),
        Block::Gap,
    ];
    blocks.extend(field(
        "Presentata il",
        format!("{} (ora italiana)", local.format("%d/%m/%Y alle %H:%M:%S")),
    ));
    blocks.extend(field("Codice della domanda", id.to_owned()));
    blocks.extend(field(
        "Modulo",
        format!("{} versione {}", form.id, form.version),
    ));
    blocks.push(Block::Heading("Richiedente".into()));
    if !name.is_empty() {
        blocks.extend(field("Nome e cognome", name));
    }
    blocks.extend(field("Codice fiscale", identity.fiscal_number.clone()));
    blocks.extend(field("Identità verificata con", access(identity)));
    blocks.push(Block::Heading("Dati della domanda".into()));
    for item in form.summary(data) {
        match item {
            SummaryItem::Section { title, .. } => blocks.push(Block::Heading(title)),
            SummaryItem::Answer { label, value, .. } => {
                // A file field holds the file's id: the document names the file instead.
                let value = files
                    .iter()
                    .find(|f| f.id == value)
                    .map(|f| format!("{} (allegato)", f.file_name))
                    .unwrap_or(value);
                blocks.extend(field(&label, value));
            }
        }
    }
    blocks.push(Block::Heading("Allegati".into()));
    if files.is_empty() {
        blocks.push(Block::Text("Nessun allegato.".into()));
    }
    for (i, f) in files.iter().enumerate() {
        blocks.push(Block::Label(format!("{}. {}", i + 1, f.file_name)));
        blocks.push(Block::Text(format!(
            "{}, {} byte, impronta SHA-256:",
            f.media_type, f.size
        )));
        blocks.push(Block::Mono(f.sha256.clone()));
    }
    render_blocks(
        &format!("{} - {id}", form.title),
        &blocks,
        &format!("{administration} - Domanda {id}"),
        submitted_at,
    )
}
