//! Entity: a notification to send (or sent) about a submission.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    pub submission_id: String,
    /// `email` or `app_io`.
    pub channel: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub done_at: Option<DateTimeUtc>,
    /// `sent`, `skipped: <why>`, or the last error while it is retried.
    pub outcome: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
