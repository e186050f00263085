//! The procedure of an application as its citizen sees it, on the application's page and in
//! the API: the state, the term with its suspensions, every event with its registration and
//! document, and, when the office waits for the citizen, exactly what it asks and by when.

use chrono::NaiveDate;
use istanze_domain::procedure::{CaseState, EventKind};

use crate::communication::Details;
use crate::store::cases::{CaseEvent, CaseRow};
use crate::web::office::views::{event_label, state_label};

/// One event as the citizen's page lists it.
#[derive(Debug, Clone)]
pub struct EventLine {
    pub id: i64,
    pub kind: String,
    pub on: String,
    pub message: String,
    pub items: Vec<String>,
    /// "Protocollo 0000012/2026", once filed.
    pub registration: Option<String>,
    /// Whether the event's document can be downloaded.
    pub document: bool,
    /// Whether the citizen sent it.
    pub mine: bool,
    /// The files of the citizen's reply.
    pub files: Vec<String>,
}

/// What the office waits for from the citizen.
#[derive(Debug, Clone)]
pub struct Awaited {
    /// `integrazione` or `osservazioni`: the reply's `tipo`.
    pub tipo: &'static str,
    pub items: Vec<String>,
    pub message: String,
    pub reply_by: Option<String>,
}

/// The case for the citizen's page.
#[derive(Debug, Clone)]
pub struct CitizenCase {
    pub state: String,
    pub due: String,
    pub days_left: Option<String>,
    pub suspended: bool,
    pub events: Vec<EventLine>,
    pub awaited: Option<Awaited>,
    /// Whether the citizen may still withdraw the application.
    pub may_withdraw: bool,
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn reply_by(details: &Details) -> Option<String> {
    details
        .reply_by
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .map(day)
}

/// The last request the case now waits on (the integration request or the notice).
fn awaited(case: &CaseRow, events: &[CaseEvent]) -> Option<Awaited> {
    let (tipo, asked) = match case.state {
        CaseState::AwaitingIntegration => ("integrazione", EventKind::IntegrationRequest),
        CaseState::AwaitingObservations => ("osservazioni", EventKind::NoticeOfRefusal),
        _ => return None,
    };
    let request = events.iter().rev().find(|e| e.kind == asked)?;
    let details = Details::of(request);
    Some(Awaited {
        tipo,
        reply_by: reply_by(&details),
        items: details.items,
        message: request.message.clone(),
    })
}

/// The case of an application, as of `today`.
pub fn build(case: &CaseRow, events: &[CaseEvent], today: NaiveDate) -> CitizenCase {
    let procedure = crate::cases::replay(case, events).ok();
    let term = procedure.as_ref().map(|p| p.term(today));
    CitizenCase {
        state: state_label(case.state),
        due: day(term.as_ref().map_or(case.due_on, |t| t.due)),
        days_left: term
            .as_ref()
            .and_then(|t| t.days_left)
            .map(|d| crate::i18n::trn("uff-giorni-rimanenti", "count", d.max(0))),
        suspended: term.as_ref().is_some_and(|t| t.suspended),
        events: events
            .iter()
            // The office's internal steps are not communications.
            .filter(|e| e.is_filed())
            .map(|e| {
                let details = Details::of(e);
                EventLine {
                    id: e.id,
                    kind: event_label(e.kind),
                    on: day(e.on),
                    message: e.message.clone(),
                    items: details.items,
                    registration: e
                        .registration
                        .as_ref()
                        .map(|(_, year, n, _)| format!("{n:07}/{year}")),
                    document: e.document.is_some(),
                    mine: e.kind.is_incoming(),
                    files: details.files.into_iter().map(|(name, _)| name).collect(),
                }
            })
            .collect(),
        awaited: awaited(case, events),
        may_withdraw: case.state.after(EventKind::Withdraw).is_some(),
    }
}
