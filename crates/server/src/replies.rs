//! The citizen's replies in the procedure of their application: the integration asked for
//! (art. 2 c. 7 L. 241/1990), observations on a notice of intended refusal (art. 10-bis), or
//! the withdrawal of the application. A reply is a case event of the citizen, recorded with
//! its files in one transaction and filed in the register as an incoming registration of the
//! application's case file. Nothing here knows HTTP: the citizen's page and the API send
//! replies through [`send`].

use chrono::{DateTime, NaiveDate, Utc};
use istanze_domain::procedure::{Actor, EventKind};
use istanze_forms::FileField;

use crate::cases::{replay, CaseError};
use crate::store::attachments::Attachment;
use crate::store::cases::{CaseEvent, CaseStore, NewEvent};
use crate::store::submissions::SubmissionStore;

/// How many files one reply may bring.
pub const MAX_FILES: usize = 10;

/// What the files of a reply may be: documents and their scans, signed or not, each at most
/// 10 MB (the application's total bounds them together).
pub fn file_field(n: usize) -> FileField {
    FileField {
        pointer: format!("{}{n}", crate::store::cases::REPLY_FIELD),
        label: format!("Documento {n}"),
        accept: [
            "application/pdf",
            "application/pkcs7-mime",
            "image/jpeg",
            "image/png",
        ]
        .map(str::to_owned)
        .to_vec(),
        max_bytes: 10 * 1024 * 1024,
        required: false,
    }
}

/// The citizen's events and what they are called in requests: `integration`,
/// `observations`, `withdrawal`.
pub fn kind_of(name: &str) -> Option<EventKind> {
    match name {
        "integration" | "integrazione" => Some(EventKind::IntegrationReceived),
        "observations" | "osservazioni" => Some(EventKind::ObservationsReceived),
        "withdrawal" | "rinuncia" => Some(EventKind::Withdraw),
        _ => None,
    }
}

/// A reply as the citizen sent it.
#[derive(Debug, Clone)]
pub struct Reply<'a> {
    pub kind: EventKind,
    pub message: &'a str,
    /// The files received for it (stored, not yet part of the application).
    pub files: &'a [Attachment],
}

/// The citizen's reply that the case of application `id` waits for now, if any.
pub fn awaited(state: istanze_domain::procedure::CaseState) -> Option<EventKind> {
    use istanze_domain::procedure::CaseState;
    match state {
        CaseState::AwaitingIntegration => Some(EventKind::IntegrationReceived),
        CaseState::AwaitingObservations => Some(EventKind::ObservationsReceived),
        _ => None,
    }
}

/// Records the reply of the citizen `owner` to their application `id` on `today` (the
/// administration's calendar) at `now`.
pub async fn send(
    store: &(impl CaseStore + SubmissionStore),
    owner: &str,
    id: &str,
    reply: Reply<'_>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CaseEvent, CaseError> {
    if reply.kind.actor() != Actor::Citizen {
        return Err(CaseError::Role {
            event: reply.kind,
            needed: istanze_domain::Role::Operator,
        });
    }
    // Another's application is as missing as one that does not exist.
    store.owned(owner, id).await?.ok_or(CaseError::NotFound)?;
    let case = store.case(id).await?.ok_or(CaseError::NotFound)?;
    let message = reply.message.trim();
    if reply.kind != EventKind::Withdraw && message.is_empty() && reply.files.is_empty() {
        return Err(CaseError::EmptyReply);
    }
    let events = store.events(id).await?;
    let mut procedure = replay(&case, &events)?;
    let from = procedure.state;
    procedure.apply(reply.kind, today)?;
    let due = procedure.term(today).due;
    let details = crate::communication::Details {
        due: Some(due.to_string()),
        files: reply
            .files
            .iter()
            .map(|f| (f.file_name.clone(), f.sha256.clone()))
            .collect(),
        ..Default::default()
    };
    let ids: Vec<String> = reply.files.iter().map(|f| f.id.clone()).collect();
    store
        .record(
            id,
            from,
            procedure.state,
            due,
            NewEvent {
                kind: reply.kind,
                actor: "citizen",
                on: today,
                at: now,
                message,
                details: serde_json::to_value(&details).unwrap_or_default(),
                files: &ids,
            },
        )
        .await?
        .ok_or(CaseError::Concurrent)
}
