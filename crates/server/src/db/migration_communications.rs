//! The communications of a procedure (issue 12): each event that is filed in the register (the
//! administration's communications, the citizen's replies) gets its document, kept whole in
//! `case_documents` (apart from `case_events`, so that reading a timeline never loads PDFs),
//! and a job of its own: `jobs` gains `event_id` (0 for a job about the application itself),
//! and the unique index that lets a job be queued once becomes one per kind, application and
//! event (`jobs_one_per_event`, replacing `jobs_one_of_each_kind`). Citizens' reply files are
//! attachments of the application (their `field` names the reply), so they need no table.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveIden, Clone, Copy)]
enum Jobs {
    Table,
    Administration,
    Kind,
    SubmissionId,
    EventId,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseEvents {
    Table,
    DocumentName,
    DocumentSha256,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseDocuments {
    Table,
    EventId,
    Administration,
    SubmissionId,
    Content,
}

pub(super) struct Communications;

impl MigrationName for Communications {
    fn name(&self) -> &str {
        "m20261204_000017_case_communications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Communications {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Jobs::Table)
                .add_column(
                    ColumnDef::new(Jobs::EventId)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        // A new name rather than the old one again: SQLite's pooled connections each cache the
        // schema, and one that missed the drop would find the name taken.
        m.create_index(
            Index::create()
                .name("jobs_one_per_event")
                .table(Jobs::Table)
                .col(Jobs::Administration)
                .col(Jobs::Kind)
                .col(Jobs::SubmissionId)
                .col(Jobs::EventId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("DROP INDEX jobs_one_of_each_kind")
            .await?;
        for c in [CaseEvents::DocumentName, CaseEvents::DocumentSha256] {
            m.alter_table(
                Table::alter()
                    .table(CaseEvents::Table)
                    .add_column(ColumnDef::new(c).string().null())
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(CaseDocuments::Table)
                .col(
                    ColumnDef::new(CaseDocuments::EventId)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(CaseDocuments::Administration)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(CaseDocuments::SubmissionId)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(CaseDocuments::Content).binary().not_null())
                .foreign_key(
                    ForeignKey::create()
                        .name("case_documents_event")
                        .from(CaseDocuments::Table, CaseDocuments::EventId)
                        .to(Alias::new("case_events"), Alias::new("id"))
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        super::rls::enable(m.get_connection(), "case_documents").await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the documents of filed communications are never dropped by a migration".into(),
        ))
    }
}
