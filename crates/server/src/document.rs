//! The application document: the frozen record of what the citizen submitted. The PDF/A-2b
//! rendering is the primary document of the registration; the JSON copy of the same content is
//! kept beside it for machines. Both are deterministic: the same submission gives the same
//! bytes, so their digests can be checked at any time.

use chrono::{DateTime, SecondsFormat, Utc};
use istanze_domain::{Principal, Subject};
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
    #[serde(skip_serializing_if = "Option::is_none")]
    codice_fiscale: Option<&'a str>,
    /// For a citizen of another country without an Italian fiscal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    identificativo_eidas: Option<&'a str>,
    nome: Option<&'a str>,
    cognome: Option<&'a str>,
    accesso: &'a str,
    livello: u8,
}

/// What the application documents are made from: the frozen submission.
pub(crate) struct Application<'a> {
    pub id: &'a str,
    pub form: &'a Form,
    pub administration: &'a str,
    pub principal: &'a Principal,
    /// How the citizen logged in, in words (scheme, level, provider).
    pub access: &'a str,
    pub data: &'a Value,
    pub files: &'a [crate::db::attachment::Model],
    pub submitted_at: DateTime<Utc>,
}

/// The JSON copy of the application.
pub(crate) fn render(a: &Application<'_>) -> Result<String, serde_json::Error> {
    let Application {
        id,
        form,
        administration,
        principal,
        data,
        submitted_at,
        ..
    } = *a;
    let person = &principal.person;
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
            codice_fiscale: person.subject.fiscal_code().map(|cf| cf.as_str()),
            identificativo_eidas: match &person.subject {
                Subject::Eidas(id) => Some(id.as_str()),
                Subject::FiscalCode(_) => None,
            },
            nome: person.name.as_deref(),
            cognome: person.family_name.as_deref(),
            accesso: &principal.login.provider,
            livello: principal.login.level.number(),
        },
        dati: data,
    };
    serde_json::to_string_pretty(&doc)
}

/// The application document as PDF/A-2b, dated `submitted_at`.
pub(crate) fn render_pdf(a: &Application<'_>) -> Result<Vec<u8>, istanze_protocol::ProtocolError> {
    let Application {
        id,
        form,
        administration,
        principal,
        access,
        data,
        files,
        submitted_at,
    } = *a;
    let person = &principal.person;
    let local = istanze_protocol::rome::local(submitted_at);
    let field = |label: &str, value: String| [Block::Label(label.to_owned()), Block::Text(value)];
    let name = [person.name.as_deref(), person.family_name.as_deref()]
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
    blocks.extend(match &person.subject {
        Subject::FiscalCode(cf) => field("Codice fiscale", cf.to_string()),
        Subject::Eidas(id) => field("Identificativo eIDAS", id.as_str().to_owned()),
    });
    blocks.extend(field("Identità verificata con", access.to_owned()));
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
