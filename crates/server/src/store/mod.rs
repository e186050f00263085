//! Storage behind traits, one per capability, each implemented once over sea-orm on a
//! [`Scoped`](crate::db::scope::Scoped) connection (so every implementation acts for one
//! administration, and PostgreSQL's row-level security repeats the scoping). Services take a
//! trait, never a table: a test can give them a fake, and the staff side adds its stores
//! beside these.
//!
//! Built so far: [`jobs::JobQueue`], [`drafts::DraftStore`], [`sessions::SessionStore`] and
//! [`submissions::SubmissionStore`]. The other capabilities (login requests, attachments,
//! forms) are still reached through the entities in
//! [`crate::db`] by the service modules; they move here one by one.

pub mod drafts;
mod drafts_sql;
pub mod jobs;
mod jobs_sql;
pub mod sessions;
mod sessions_sql;
pub mod submissions;
mod submissions_sql;

/// A storage failure, whatever the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A row the storage wrote itself reads back as something it never writes.
    #[error("corrupt row in {table}: {why}")]
    Corrupt { table: &'static str, why: String },
}
