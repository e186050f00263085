//! The document of a case event that goes into the register, as PDF/A-2b: the
//! administration's communications to the citizen (the notice of start of art. 8, the request
//! for integration of art. 2 c. 7, the notice of intended refusal of art. 10-bis, the
//! decisions, the closing, the tacit consent) and the letter that carries the citizen's reply
//! (integration, observations, withdrawal) with the digests of its files.
//!
//! Made by the filing worker from what the event froze when it was recorded (its message and
//! details) and from the application, never from what may have changed since, and dated by
//! the event: a second attempt after a lost answer makes the same bytes.

use istanze_domain::procedure::EventKind;
use istanze_protocol::pdf::{render_blocks, Block};
use istanze_protocol::rome;
use serde::{Deserialize, Serialize};

use crate::store::cases::CaseEvent;
use crate::store::submissions::Submission;

/// What an event froze when it was recorded, for its document and for the citizen's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    /// What the citizen is asked to send, one item each (integration request).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// The last day for the citizen's reply (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_by: Option<String>,
    /// The term of the procedure as it stood (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// The office in charge, as named then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office: Option<String>,
    /// Who recorded it (a member of staff's name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The procedure manager the notice of start names: its recorder when they hold that role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// The files of a reply: name and SHA-256.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<(String, String)>,
}

impl Details {
    pub fn of(event: &CaseEvent) -> Details {
        serde_json::from_value(event.details.clone()).unwrap_or_default()
    }
}

/// The title of the document of `kind` (also the registration's subject's start).
pub fn title(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Start => "Comunicazione di avvio del procedimento",
        EventKind::IntegrationRequest => "Richiesta di integrazione documentale",
        EventKind::IntegrationReceived => "Integrazione documentale",
        EventKind::NoticeOfRefusal => "Comunicazione dei motivi ostativi all'accoglimento",
        EventKind::ObservationsReceived => "Osservazioni al preavviso di rigetto",
        EventKind::Accept => "Provvedimento di accoglimento",
        EventKind::Refuse => "Provvedimento di rigetto",
        EventKind::Withdraw => "Rinuncia alla domanda",
        EventKind::Close => "Comunicazione di archiviazione",
        EventKind::TacitConsent => "Attestazione di accoglimento per silenzio-assenso",
        EventKind::Review => "Istruttoria",
    }
}

/// The document's file name.
pub fn file_name(sub: &Submission, event: &CaseEvent) -> String {
    format!(
        "{}-{}-{}.pdf",
        event.kind.code().replace('_', "-"),
        sub.id,
        event.id
    )
}

fn day(text: &str) -> String {
    text.parse::<chrono::NaiveDate>()
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| text.to_owned())
}

/// What the body says for `kind`, after the references.
fn body(kind: EventKind, d: &Details, message: &str, page: &str) -> Vec<Block> {
    let mut b = Vec::new();
    let text = |s: &str| Block::Text(s.to_owned());
    match kind {
        EventKind::Start => {
            b.push(text(
                "Ai sensi degli articoli 7 e 8 della legge 7 agosto 1990, n. 241, si comunica \
                 l'avvio del procedimento relativo alla domanda indicata.",
            ));
            b.push(Block::Label("Ufficio competente".into()));
            b.push(Block::Text(
                d.office
                    .clone()
                    .unwrap_or_else(|| "Ufficio competente per materia".into()),
            ));
            b.push(Block::Label("Responsabile del procedimento".into()));
            // Until one is named, the head of the competent unit is the manager (art. 5 c. 2).
            b.push(Block::Text(d.manager.clone().unwrap_or_else(|| {
                "Il responsabile dell'unità organizzativa competente (art. 5, comma 2, della \
                 legge 241/1990)"
                    .into()
            })));
            if let (Some(by), None) = (&d.by, &d.manager) {
                b.push(Block::Label("Avviato da".into()));
                b.push(Block::Text(by.clone()));
            }
            if let Some(due) = &d.due {
                b.push(Block::Label(
                    "Termine di conclusione del procedimento".into(),
                ));
                b.push(Block::Text(day(due)));
            }
            b.push(text(
                "Puoi prendere visione degli atti e seguire il procedimento nella tua area \
                 personale. In caso di inerzia puoi rivolgerti al titolare del potere \
                 sostitutivo (art. 2, comma 9-bis, della legge 241/1990).",
            ));
        }
        EventKind::IntegrationRequest => {
            b.push(text(
                "Ai sensi dell'articolo 2, comma 7, della legge 241/1990, per concludere \
                 l'istruttoria ti chiediamo di inviare quanto segue.",
            ));
            b.push(Block::Heading("Cosa inviare".into()));
            for (i, item) in d.items.iter().enumerate() {
                b.push(Block::Text(format!("{}. {item}", i + 1)));
            }
            if !message.is_empty() {
                b.push(Block::Label("Note dell'ufficio".into()));
                b.push(Block::Text(message.to_owned()));
            }
            if let Some(by) = &d.reply_by {
                b.push(Block::Label("Entro".into()));
                b.push(Block::Text(day(by)));
            }
            b.push(text(
                "Il termine del procedimento è sospeso dalla data di questa richiesta fino al \
                 ricevimento dell'integrazione, per non più di trenta giorni.",
            ));
        }
        EventKind::NoticeOfRefusal => {
            b.push(text(
                "Ai sensi dell'articolo 10-bis della legge 241/1990, si comunicano i motivi \
                 che ostano all'accoglimento della domanda.",
            ));
            b.push(Block::Heading("Motivi".into()));
            b.push(Block::Text(message.to_owned()));
            b.push(Block::Text(format!(
                "Entro dieci giorni dal ricevimento di questa comunicazione{} puoi presentare \
                 per iscritto le tue osservazioni, eventualmente corredate da documenti. Il \
                 termine del procedimento è sospeso fino alla loro presentazione o alla \
                 scadenza dei dieci giorni.",
                d.reply_by
                    .as_deref()
                    .map(|r| format!(" (entro il {})", day(r)))
                    .unwrap_or_default()
            )));
        }
        EventKind::Accept | EventKind::Refuse | EventKind::Close => {
            let intro = match kind {
                EventKind::Accept => "La domanda è accolta.",
                EventKind::Refuse => "La domanda è respinta per i motivi che seguono.",
                _ => "Il procedimento è archiviato.",
            };
            b.push(text(intro));
            if !message.is_empty() {
                b.push(Block::Heading("Motivazione".into()));
                b.push(Block::Text(message.to_owned()));
            }
            if kind == EventKind::Refuse {
                b.push(text(
                    "Contro questo provvedimento puoi presentare ricorso al Tribunale \
                     amministrativo regionale entro 60 giorni dal ricevimento, o ricorso \
                     straordinario al Presidente della Repubblica entro 120 giorni.",
                ));
            }
        }
        EventKind::TacitConsent => {
            b.push(text(
                "Ai sensi dell'articolo 20 della legge 241/1990, decorso il termine del \
                 procedimento senza un provvedimento espresso, la domanda si intende accolta.",
            ));
            if !message.is_empty() {
                b.push(Block::Text(message.to_owned()));
            }
        }
        EventKind::IntegrationReceived | EventKind::ObservationsReceived | EventKind::Withdraw => {
            if !message.is_empty() {
                b.push(Block::Heading("Testo".into()));
                b.push(Block::Text(message.to_owned()));
            }
            if !d.files.is_empty() {
                b.push(Block::Heading("Documenti allegati".into()));
                for (name, sha) in &d.files {
                    b.push(Block::Label(name.clone()));
                    b.push(Block::Mono(format!("SHA-256 {sha}")));
                }
            }
        }
        EventKind::Review => {}
    }
    b.push(Block::Gap);
    b.push(Block::Text(format!("Pagina della domanda: {page}")));
    b
}

/// The document of `event` of application `sub`, issued by `administration` and filed in
/// case file `case_file`; `page` is the application's page in the citizen's area.
pub fn render(
    sub: &Submission,
    event: &CaseEvent,
    administration: &str,
    case_file: &istanze_protocol::CaseFile,
    citizen: &str,
    page: &str,
) -> Result<Vec<u8>, istanze_protocol::ProtocolError> {
    let d = Details::of(event);
    let title = title(event.kind);
    let field = |label: &str, value: String| [Block::Label(label.to_owned()), Block::Text(value)];
    let mut blocks = vec![
        Block::Text(administration.to_owned()),
        Block::Title(title.to_owned()),
        Block::Gap,
    ];
    let (from, to) = if event.kind.is_incoming() {
        (citizen.to_owned(), administration.to_owned())
    } else {
        (administration.to_owned(), citizen.to_owned())
    };
    blocks.extend(field("Mittente", from));
    blocks.extend(field("Destinatario", to));
    blocks.extend(field("Oggetto", format!("{title} - {}", sub.subject)));
    let reference = match (sub.protocol_number, sub.protocol_year, sub.protocol_at) {
        (Some(n), Some(y), Some(at)) => format!(
            "Domanda \"{}\", protocollo n. {n:07}/{y} del {}, codice {}",
            sub.form_title,
            rome::local(at).format("%d/%m/%Y"),
            sub.id
        ),
        _ => format!("Domanda \"{}\", codice {}", sub.form_title, sub.id),
    };
    blocks.extend(field("Riferimento", reference));
    blocks.extend(field(
        "Fascicolo",
        format!("{} ({})", case_file.code, case_file.name),
    ));
    blocks.extend(field(
        "Data",
        rome::local(event.at).format("%d/%m/%Y").to_string(),
    ));
    blocks.push(Block::Gap);
    blocks.extend(body(event.kind, &d, &event.message, page));
    render_blocks(
        &format!("{title} - {}", sub.id),
        &blocks,
        &format!("{administration} - {title} - domanda {}", sub.id),
        event.at,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_read_back_and_leave_out_what_is_empty() {
        let d = Details {
            items: vec!["Documento d'identità".into()],
            reply_by: Some("2026-12-31".into()),
            ..Details::default()
        };
        let json = serde_json::to_value(&d).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"items": ["Documento d'identità"], "reply_by": "2026-12-31"})
        );
        assert_eq!(serde_json::from_value::<Details>(json).ok(), Some(d));
        assert_eq!(day("2026-12-31"), "31/12/2026");
    }

    #[test]
    fn every_filed_kind_has_its_own_title() {
        let filed: Vec<EventKind> = EventKind::ALL
            .into_iter()
            .filter(|k| k.is_outgoing() || k.is_incoming())
            .collect();
        let titles: std::collections::HashSet<&str> = filed.iter().map(|k| title(*k)).collect();
        assert_eq!(titles.len(), filed.len());
    }
}
