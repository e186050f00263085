//! Cases as storage: the procedure of each filed application (its state, assignment and
//! term) and its events in order. A case is opened in the filing's transaction; an event is
//! recorded together with the state it leads to, on condition that the case is still in the
//! state the event was decided from, so two members of staff acting at once cannot both move
//! it.

use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use istanze_domain::procedure::{CaseState, EventKind, Rules};

use super::StoreError;

/// A filed application's procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub submission_id: String,
    pub form_id: String,
    pub state: CaseState,
    /// An office code, once assigned to one.
    pub office: Option<String>,
    /// The fiscal code of the member of staff it is assigned to.
    pub assignee: Option<String>,
    pub rules: Rules,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseEvent {
    pub id: i64,
    pub kind: EventKind,
    /// A member of staff's fiscal code, or `citizen`.
    pub actor: String,
    pub on: NaiveDate,
    pub at: DateTime<Utc>,
    pub message: String,
    pub details: serde_json::Value,
    /// The registration of its communication, once filed: register, year, number, time.
    pub registration: Option<(String, i32, i64, DateTime<Utc>)>,
    /// The filed document's name and SHA-256 digest, once filed.
    pub document: Option<(String, String)>,
}

impl CaseEvent {
    /// Whether the event's document is filed in the register (the administration's
    /// communications outgoing, the citizen's replies incoming).
    pub fn is_filed(&self) -> bool {
        self.kind.is_outgoing() || self.kind.is_incoming()
    }
}

/// An event to record.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub kind: EventKind,
    pub actor: &'a str,
    pub on: NaiveDate,
    pub at: DateTime<Utc>,
    pub message: &'a str,
    pub details: serde_json::Value,
    /// The citizen's files that come with a reply (attachment ids, checked as theirs and not
    /// part of the application yet): they become part of it with the event.
    pub files: &'a [String],
}

/// Which cases a queue of the back office shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Queue {
    /// Received, not yet taken in charge.
    ToTake,
    /// Assigned to this member of staff and not decided.
    Mine(String),
    /// Waiting for the citizen's integration or observations.
    WaitingForCitizen,
    /// Not decided, with the term ending on or before this day.
    Expiring(NaiveDate),
    /// Decided, withdrawn or closed.
    Decided,
    /// Every case, whatever its state (a selection is narrowed by its ids).
    Any,
}

/// A page of a queue, narrowed by the filters.
#[derive(Debug, Clone)]
pub struct CaseQuery {
    pub queue: Queue,
    pub form_id: Option<String>,
    pub state: Option<CaseState>,
    /// Only the cases with this label.
    pub label: Option<String>,
    /// Only the cases assigned to this office, or to this person (a fiscal code).
    pub office: Option<String>,
    pub assignee: Option<String>,
    /// Only the cases received on or after, and on or before, these days.
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// The offices whose cases the member of staff may see; `None`: the whole administration.
    pub offices: Option<Vec<String>>,
    /// Only these applications (a selection of the queue's), when given.
    pub ids: Option<Vec<String>>,
    pub page: u64,
    pub per_page: u64,
}

/// The cases of one administration.
pub trait CaseStore {
    fn case(&self, id: &str) -> impl Future<Output = Result<Option<CaseRow>, StoreError>> + Send;

    /// The case's events, oldest first.
    fn events(&self, id: &str) -> impl Future<Output = Result<Vec<CaseEvent>, StoreError>> + Send;

    /// One page of the cases `query` asks for (by term, the nearest first), and how many
    /// there are in all.
    fn list(
        &self,
        query: &CaseQuery,
    ) -> impl Future<Output = Result<(Vec<CaseRow>, u64), StoreError>> + Send;

    /// One event of the case.
    fn event(
        &self,
        id: &str,
        event_id: i64,
    ) -> impl Future<Output = Result<Option<CaseEvent>, StoreError>> + Send;

    /// The filed document of event `event_id` of case `id`.
    fn document(
        &self,
        id: &str,
        event_id: i64,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;

    /// Records `event`, moving the case from `from` to `to` with its term now ending on
    /// `due_on`; `None` when the case is no longer in state `from` (someone else moved it),
    /// and then nothing is recorded. An event whose document is filed queues its filing in
    /// the same transaction, and a reply's files become part of the application with it.
    fn record(
        &self,
        id: &str,
        from: CaseState,
        to: CaseState,
        due_on: NaiveDate,
        event: NewEvent<'_>,
    ) -> impl Future<Output = Result<Option<CaseEvent>, StoreError>> + Send;

    /// Assigns the case to an office and a member of staff (either may be none).
    fn assign(
        &self,
        id: &str,
        office: Option<&str>,
        assignee: Option<&str>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

pub use super::cases_sql::{open_in, record_filed_in, REPLY_FIELD};
