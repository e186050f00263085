//! Entity: a job of the one queue (see [`crate::store::jobs`]): filing a submission into the
//! register, or telling the citizen about it by e-mail or App IO. Written in the transaction
//! that makes it necessary; claimed with a lease; never deleted, so every job's outcome stays
//! visible to staff.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    /// What to do: `file`, `file_event`, `email`, `app_io` (see `JobKind`).
    pub kind: String,
    /// The submission the job is about.
    pub submission_id: String,
    /// The case event the job is about (its communication's filing or notification); 0 for
    /// a job about the application itself.
    pub event_id: i64,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    /// The last failure while the job is retried.
    pub last_error: Option<String>,
    /// How a finished job ended: `done`, or `skipped: <why>` when retrying could not help.
    pub outcome: Option<String>,
    pub created_at: DateTimeUtc,
    pub done_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
