//! Staff's own work on a case (issue 12): private notes (`case_notes`) and labels
//! (`case_labels`), both belonging to an application and under row-level security.

use sea_orm_migration::prelude::*;

use super::migration_cases::of_submission;

#[derive(DeriveIden, Clone, Copy)]
enum CaseNotes {
    Table,
    Id,
    Administration,
    SubmissionId,
    Author,
    At,
    Text,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseLabels {
    Table,
    Administration,
    SubmissionId,
    Label,
}

pub(super) struct NotesAndLabels;

impl MigrationName for NotesAndLabels {
    fn name(&self) -> &str {
        "m20261204_000019_case_notes_and_labels"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for NotesAndLabels {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CaseNotes::Table)
                .col(
                    ColumnDef::new(CaseNotes::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(CaseNotes::Administration)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(CaseNotes::SubmissionId).string().not_null())
                .col(ColumnDef::new(CaseNotes::Author).string().not_null())
                .col(
                    ColumnDef::new(CaseNotes::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(CaseNotes::Text).text().not_null())
                .foreign_key(&mut of_submission(
                    CaseNotes::Table,
                    CaseNotes::SubmissionId,
                    "case_notes_submission",
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CaseLabels::Table)
                .col(
                    ColumnDef::new(CaseLabels::Administration)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(CaseLabels::SubmissionId).string().not_null())
                .col(ColumnDef::new(CaseLabels::Label).string().not_null())
                .primary_key(
                    Index::create()
                        .col(CaseLabels::Administration)
                        .col(CaseLabels::SubmissionId)
                        .col(CaseLabels::Label),
                )
                .foreign_key(&mut of_submission(
                    CaseLabels::Table,
                    CaseLabels::SubmissionId,
                    "case_labels_submission",
                ))
                .to_owned(),
        )
        .await?;
        // Finding a label's cases.
        m.create_index(
            Index::create()
                .name("case_labels_by_label")
                .table(CaseLabels::Table)
                .col(CaseLabels::Administration)
                .col(CaseLabels::Label)
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        super::rls::enable(db, "case_notes").await?;
        super::rls::enable(db, "case_labels").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CaseLabels::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(CaseNotes::Table).to_owned())
            .await
    }
}
