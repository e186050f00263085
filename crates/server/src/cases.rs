//! The procedure of filed applications as staff move it: who may see a case (their grants'
//! reach), who may record which event (decisions are the procedure manager's), and whether
//! the procedure allows it now (the rules of [`istanze_domain::procedure`], over the case's
//! recorded events). Nothing here knows HTTP; the back office and the API call the same
//! functions and get the same refusals.

use chrono::{DateTime, NaiveDate, Utc};
use istanze_domain::procedure::{Case, EventKind, ProcedureError};
use istanze_domain::{Reach, Role};

use crate::store::cases::{CaseEvent, CaseRow, CaseStore, NewEvent};
use crate::store::staff::Grant;
use crate::store::StoreError;

/// Why an event was not recorded (nothing was).
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    /// No such case here, or one the member's grants do not reach (told apart nowhere, so
    /// that staff of one office learn nothing of another's cases).
    #[error("no such case")]
    NotFound,
    /// The member's roles do not include one that records this event.
    #[error("{event} needs the role {}", needed.code())]
    Role { event: EventKind, needed: Role },
    /// The citizen's events come from the citizen.
    #[error("{0} is the citizen's to send")]
    CitizensEvent(EventKind),
    #[error("{0}")]
    Procedure(#[from] ProcedureError),
    /// A communication that must give its reasons, or say what is missing, came without.
    #[error("{0} needs a message for the citizen")]
    MessageRequired(EventKind),
    /// A request for integration must name what is missing, item by item.
    #[error("an integration request needs the items asked for")]
    ItemsRequired,
    /// The citizen's deadline must fall after today and within the 30 days the term may be
    /// suspended for (art. 2 c. 7).
    #[error("the deadline for the reply is out of bounds")]
    ReplyBy,
    /// A citizen's reply with neither words nor files.
    #[error("an empty reply")]
    EmptyReply,
    /// Another member of staff moved the case meanwhile.
    #[error("the case changed meanwhile")]
    Concurrent,
}

/// The message id of `state`'s name (pages and exports say it in the reader's language).
pub fn state_message(state: istanze_domain::procedure::CaseState) -> &'static str {
    use istanze_domain::procedure::CaseState as S;
    match state {
        S::Received => "stato-ricevuta",
        S::InCharge => "stato-presa-in-carico",
        S::InReview => "stato-in-istruttoria",
        S::AwaitingIntegration => "stato-attesa-integrazione",
        S::IntegrationReceived => "stato-integrazione-ricevuta",
        S::AwaitingObservations => "stato-attesa-osservazioni",
        S::ObservationsReceived => "stato-osservazioni-ricevute",
        S::Accepted => "stato-accolta",
        S::Refused => "stato-respinta",
        S::Withdrawn => "stato-ritirata",
        S::Closed => "stato-archiviata",
        S::TacitlyAccepted => "stato-silenzio-assenso",
    }
}

/// The roles that may read cases at all (a form designer's work needs no applicant's data).
const READERS: [Role; 5] = [
    Role::Administrator,
    Role::Operator,
    Role::ProcedureManager,
    Role::RecordsManager,
    Role::Auditor,
];

/// The offices whose cases `grants` reach: `None` for the whole administration, an empty
/// list for none.
pub fn offices(grants: &[Grant]) -> Option<Vec<String>> {
    let readers = grants.iter().filter(|g| READERS.contains(&g.role));
    let mut offices = Vec::new();
    for g in readers {
        match &g.reach {
            Reach::Administration => return None,
            Reach::Office(o) => offices.push(o.as_str().to_owned()),
        }
    }
    Some(offices)
}

/// Whether `grants` reach `case` (an unassigned case only the whole administration's staff).
pub fn may_see(grants: &[Grant], case: &CaseRow) -> bool {
    match offices(grants) {
        None => true,
        Some(list) => case.office.as_ref().is_some_and(|o| list.contains(o)),
    }
}

/// The role that records `event`: decisions are the procedure manager's (L. 241/1990 art. 6),
/// the rest of the procedure the office operator's or the manager's.
pub fn role_for(event: EventKind) -> Role {
    match event {
        EventKind::Accept | EventKind::Refuse | EventKind::TacitConsent => Role::ProcedureManager,
        _ => Role::Operator,
    }
}

pub(crate) fn holds(grants: &[Grant], case: &CaseRow, role: Role) -> bool {
    grants.iter().any(|g| {
        // A procedure manager may do what an operator does.
        let fits = g.role == role || (role == Role::Operator && g.role == Role::ProcedureManager);
        fits && match &g.reach {
            Reach::Administration => true,
            Reach::Office(o) => case.office.as_deref() == Some(o.as_str()),
        }
    })
}

/// The case as the procedure sees it: its recorded events applied in order.
pub fn replay(case: &CaseRow, events: &[CaseEvent]) -> Result<Case, ProcedureError> {
    let mut c = Case::received(case.received_on, case.rules);
    for e in events {
        c.apply(e.kind, e.on)?;
    }
    Ok(c)
}

/// A case that `grants` reach, with its events.
pub async fn open(
    store: &impl CaseStore,
    grants: &[Grant],
    id: &str,
) -> Result<(CaseRow, Vec<CaseEvent>), CaseError> {
    let case = store
        .case(id)
        .await?
        .filter(|c| may_see(grants, c))
        .ok_or(CaseError::NotFound)?;
    let events = store.events(id).await?;
    Ok((case, events))
}

/// What a member of staff asks to record.
#[derive(Debug, Clone)]
pub struct StaffEvent<'a> {
    pub kind: EventKind,
    pub message: &'a str,
    /// What an integration request asks for, one item each (blank ones are dropped).
    pub items: Vec<String>,
    /// The citizen's deadline for an integration (default: the 30 days of art. 2 c. 7).
    pub reply_by: Option<NaiveDate>,
    /// The member's name, as the communications name them.
    pub by: &'a str,
}

/// The citizen's deadline for the reply that `kind` asks for, if any.
fn reply_by(
    kind: EventKind,
    asked: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, CaseError> {
    use istanze_domain::procedure::{INTEGRATION_SUSPENSION_DAYS, OBSERVATION_DAYS};
    match kind {
        EventKind::IntegrationRequest => {
            let latest = today + chrono::Duration::days(INTEGRATION_SUSPENSION_DAYS);
            match asked {
                None => Ok(Some(latest)),
                Some(d) if d > today && d <= latest => Ok(Some(d)),
                Some(_) => Err(CaseError::ReplyBy),
            }
        }
        EventKind::NoticeOfRefusal => Ok(Some(today + chrono::Duration::days(OBSERVATION_DAYS))),
        _ => Ok(None),
    }
}

/// Records a staff event on case `id` for the member `actor` (their fiscal code) holding
/// `grants`, on `today` (the administration's calendar) at `now`.
pub async fn record(
    store: &impl CaseStore,
    actor: &str,
    grants: &[Grant],
    id: &str,
    event: StaffEvent<'_>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CaseEvent, CaseError> {
    if event.kind.actor() == istanze_domain::procedure::Actor::Citizen {
        return Err(CaseError::CitizensEvent(event.kind));
    }
    let (case, events) = open(store, grants, id).await?;
    let needed = role_for(event.kind);
    if !holds(grants, &case, needed) {
        return Err(CaseError::Role {
            event: event.kind,
            needed,
        });
    }
    // Reasons are the law's (art. 3, art. 10-bis): a refusal and its notice give them.
    let needs_words = matches!(event.kind, EventKind::NoticeOfRefusal | EventKind::Refuse);
    if needs_words && event.message.trim().is_empty() {
        return Err(CaseError::MessageRequired(event.kind));
    }
    let items: Vec<String> = event
        .items
        .iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect();
    if event.kind == EventKind::IntegrationRequest && items.is_empty() {
        return Err(CaseError::ItemsRequired);
    }
    let mut procedure = replay(&case, &events)?;
    let from = procedure.state;
    procedure.apply(event.kind, today)?;
    let due = procedure.term(today).due;
    let details = crate::communication::Details {
        items: if event.kind == EventKind::IntegrationRequest {
            items
        } else {
            Vec::new()
        },
        reply_by: reply_by(event.kind, event.reply_by, today)?.map(|d| d.to_string()),
        due: Some(due.to_string()),
        office: case.office.clone(),
        by: Some(event.by.trim().to_owned()).filter(|b| !b.is_empty()),
        manager: Some(event.by.trim().to_owned())
            .filter(|b| !b.is_empty() && holds(grants, &case, Role::ProcedureManager)),
        files: Vec::new(),
    };
    store
        .record(
            id,
            from,
            procedure.state,
            due,
            NewEvent {
                kind: event.kind,
                actor,
                on: today,
                at: now,
                message: event.message.trim(),
                details: serde_json::to_value(&details).unwrap_or_default(),
                files: &[],
            },
        )
        .await?
        .ok_or(CaseError::Concurrent)
}
