//! Storage behind traits, one per capability, each implemented once over sea-orm on a
//! [`Scoped`](crate::db::scope::Scoped) connection (so every implementation acts for one
//! administration, and PostgreSQL's row-level security repeats the scoping). Services take a
//! trait, never a table: a test can give them a fake, and the staff side adds its stores
//! beside these.
//!
//! Built so far: [`jobs::JobQueue`], [`drafts::DraftStore`], [`sessions::SessionStore`],
//! [`submissions::SubmissionStore`], [`attachments::AttachmentStore`],
//! [`login_requests::LoginRequestStore`], [`forms::FormStore`], [`staff::StaffStore`] and
//! [`cases::CaseStore`]. The
//! bytes of files and the quota are still reached through [`crate::db`] by
//! [`crate::attachments`].

pub mod attachments;
mod attachments_sql;
pub mod audit;
mod audit_sql;
pub mod cases;
mod cases_sql;
pub mod desk;
mod desk_sql;
pub mod drafts;
mod drafts_sql;
pub mod forms;
mod forms_sql;
pub mod jobs;
mod jobs_sql;
pub mod login_requests;
mod login_requests_sql;
pub mod sessions;
mod sessions_sql;
pub mod staff;
mod staff_sql;
pub mod submissions;
mod submissions_sql;
pub mod tokens;
mod tokens_sql;

/// A storage failure, whatever the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A row the storage wrote itself reads back as something it never writes.
    #[error("corrupt row in {table}: {why}")]
    Corrupt { table: &'static str, why: String },
}
