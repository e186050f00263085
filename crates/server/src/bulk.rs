//! Bulk actions on applications chosen in a queue: assign them, label or unlabel them, or
//! record the same event on each (take them in charge, close them, ...). Each application is
//! done on its own, with the same rules and reach as on its own page, so one that the
//! procedure or the member's roles refuse is reported with its reason and the others go on;
//! each is recorded in the audit log under its own id before it is touched.

use chrono::{DateTime, NaiveDate, Utc};
use istanze_domain::procedure::EventKind;

use crate::audit::AuditError;
use crate::cases::{CaseError, StaffEvent};
use crate::desk::DeskError;
use crate::store::audit::{AuditStore, NewEntry};
use crate::store::cases::CaseStore;
use crate::store::desk::DeskStore;
use crate::store::staff::{Grant, StaffStore};

/// The most applications one bulk action takes (a queue's page is 50; the API allows more).
pub const MAX_SELECTION: usize = 200;

/// What to do to each application chosen.
#[derive(Debug, Clone)]
pub enum Action {
    Assign {
        office: Option<String>,
        person: Option<String>,
    },
    Label {
        label: String,
        add: bool,
    },
    Event {
        kind: EventKind,
        message: String,
        items: Vec<String>,
        reply_by: Option<NaiveDate>,
    },
}

impl Action {
    /// Its name in the audit log and the API.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Assign { .. } => "assign",
            Action::Label { add: true, .. } => "label",
            Action::Label { add: false, .. } => "unlabel",
            Action::Event { .. } => "event",
        }
    }
}

/// Who acts, as the audit log and the communications name them.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// The fiscal code.
    pub actor: &'a str,
    /// "Name Surname", for the communications.
    pub by: &'a str,
    pub grants: &'a [Grant],
    /// The client address the request came from.
    pub origin: &'a str,
}

/// Why a bulk action did nothing at all.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    #[error("no application chosen")]
    Empty,
    #[error("more than {MAX_SELECTION} applications chosen")]
    TooMany,
    /// The audit log could not record an application: it and the ones after it were not
    /// touched (the ones before were, and are recorded).
    #[error("{0}")]
    Audit(#[from] AuditError),
}

/// What happened to one application.
pub type Outcome = Result<(), DeskError>;

/// Does `action` to each of `ids` (repeated ones once, in the order given), for `member`.
pub async fn run(
    store: &(impl CaseStore + StaffStore + DeskStore + AuditStore),
    member: Member<'_>,
    ids: &[String],
    action: &Action,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(String, Outcome)>, BulkError> {
    let chosen = selection(ids)?;
    let mut out = Vec::with_capacity(chosen.len());
    for id in chosen {
        let (id, valid) = (&id.0, id.1);
        // An id that is no application's is refused as not found, unread.
        if !valid {
            out.push((id.clone(), Err(DeskError::Case(CaseError::NotFound))));
            continue;
        }
        crate::audit::record(
            store,
            NewEntry {
                actor: member.actor,
                action: &format!("bulk {}", action.name()),
                object: id,
                origin: member.origin,
                details: serde_json::json!({ "action": action.name() }),
            },
            now,
        )
        .await?;
        let outcome = one(store, member, id, action, today, now).await;
        out.push((id.clone(), outcome));
    }
    Ok(out)
}

/// `ids` in their order, each once, an application's id in its canonical form (lower-case,
/// hyphenated) with `true`, anything else as given with `false`.
pub fn selection(ids: &[String]) -> Result<Vec<(String, bool)>, BulkError> {
    // Refused before any work: a long list costs nothing.
    if ids.len() > MAX_SELECTION * 2 {
        return Err(BulkError::TooMany);
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for id in ids {
        let (id, valid) = match uuid::Uuid::parse_str(id.trim()) {
            Ok(u) if id.trim().len() == 36 => (u.hyphenated().to_string(), true),
            _ => (id.clone(), false),
        };
        if seen.insert(id.clone()) {
            out.push((id, valid));
        }
    }
    if out.is_empty() {
        return Err(BulkError::Empty);
    }
    if out.len() > MAX_SELECTION {
        return Err(BulkError::TooMany);
    }
    Ok(out)
}

async fn one(
    store: &(impl CaseStore + StaffStore + DeskStore),
    member: Member<'_>,
    id: &str,
    action: &Action,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Outcome {
    match action {
        Action::Assign { office, person } => {
            crate::desk::assign(
                store,
                member.grants,
                id,
                office.as_deref(),
                person.as_deref(),
                now,
            )
            .await
        }
        Action::Label { label, add } => {
            crate::desk::label(store, member.grants, id, label, *add).await
        }
        Action::Event {
            kind,
            message,
            items,
            reply_by,
        } => {
            let event = StaffEvent {
                kind: *kind,
                message,
                items: items.clone(),
                reply_by: *reply_by,
                by: member.by,
            };
            crate::cases::record(store, member.actor, member.grants, id, event, today, now)
                .await
                .map(|_| ())
                .map_err(DeskError::from)
        }
    }
}
