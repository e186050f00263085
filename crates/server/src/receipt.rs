//! The receipt (ricevuta) as PDF/A-2b: what was submitted, its digest, the protocol number
//! (or that filing is in progress) and what happens next. Made on request from the stored
//! submission, so it always says where the application stands; dated by the last event, so
//! the same state gives the same bytes.

use istanze_protocol::pdf::{render_blocks, Block};
use istanze_protocol::rome;

use crate::db::submission;

/// The receipt of `s`, issued by `administration`.
pub(crate) fn render(
    s: &submission::Model,
    administration: &str,
) -> Result<Vec<u8>, istanze_protocol::ProtocolError> {
    let field = |label: &str, value: String| [Block::Label(label.to_owned()), Block::Text(value)];
    let when = |t| rome::local(t).format("%d/%m/%Y alle %H:%M").to_string();
    let mut blocks = vec![
        Block::Text(administration.to_owned()),
        Block::Title("Ricevuta di presentazione della domanda".into()),
        Block::Gap,
    ];
    match (s.protocol_number, s.protocol_at, s.protocol_year) {
        (Some(n), Some(at), Some(year)) => {
            blocks.extend(field(
                "Protocollo",
                format!("Numero {n:07} del {} (anno {year})", when(at)),
            ));
            if let Some(seg) = &s.segnatura {
                blocks.extend(field("Segnatura", seg.clone()));
            }
        }
        _ => blocks.extend(field(
            "Protocollo",
            "Protocollazione in corso: la domanda è stata salvata e non andrà persa. Il numero \
             di protocollo comparirà nella ricevuta appena la registrazione sarà completata."
                .into(),
        )),
    }
    blocks.extend(field("Servizio", s.form_title.clone()));
    blocks.extend(field("Oggetto", s.subject.clone()));
    blocks.extend(field("Presentata il", when(s.submitted_at)));
    blocks.extend(field("Codice della domanda", s.id.clone()));
    let (_, name, _) = s.primary_document();
    blocks.extend(field("Documento della domanda", name));
    blocks.push(Block::Label("Impronta del documento (SHA-256)".into()));
    blocks.push(Block::Mono(s.document_sha256.clone()));
    blocks.push(Block::Heading("Cosa succede adesso".into()));
    blocks.push(Block::Text(
        "L'ufficio esamina la domanda e ti contatta se servono chiarimenti o documenti. Puoi \
         seguirne lo stato e scaricare i documenti nella sezione \"Le mie domande\"."
            .into(),
    ));
    render_blocks(
        &format!("Ricevuta {}", s.id),
        &blocks,
        &format!("{administration} - Ricevuta della domanda {}", s.id),
        s.protocol_at.unwrap_or(s.submitted_at),
    )
}
