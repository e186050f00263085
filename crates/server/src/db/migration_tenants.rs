//! Every row that belongs to an administration says which one: an `administration` column
//! (its IPA code) on sessions, login requests, submissions, filings, attachments and their
//! chunks, drafts and notifications, with an index led by it.
//!
//! Rows written before this migration belong to the installation's own administration: the
//! column starts empty and [`super::adopt`] gives them its code at start, because the code is
//! configuration, which a frozen migration cannot know.
//!
//! On PostgreSQL the same scoping is enforced a second time by row-level security (see
//! [`super::rls`]), so that a query that forgets the scope finds nothing.

use sea_orm_migration::prelude::*;

/// The tables whose rows belong to an administration.
pub(crate) const TABLES: [&str; 8] = [
    "sessions",
    "authn_requests",
    "submissions",
    "outbox",
    "attachments",
    "attachment_chunks",
    "drafts",
    "notifications",
];

pub(super) struct Tenants;

impl MigrationName for Tenants {
    fn name(&self) -> &str {
        "m20261202_000009_administration_on_every_row"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Tenants {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .add_column(
                        ColumnDef::new(Alias::new("administration"))
                            .string()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name(format!("ix_{table}_administration"))
                    .table(Alias::new(table))
                    .col(Alias::new("administration"))
                    .to_owned(),
            )
            .await?;
        }
        // One draft per citizen and form within each administration: the same citizen may
        // keep a draft of the same form id at two administrations.
        m.drop_index(
            Index::drop()
                .name("drafts_owner_form")
                .table(Alias::new("drafts"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("drafts_administration_owner_form")
                .table(Alias::new("drafts"))
                .col(Alias::new("administration"))
                .col(Alias::new("owner"))
                .col(Alias::new("form_id"))
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("drafts_administration_owner_form")
                .table(Alias::new("drafts"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("drafts_owner_form")
                .table(Alias::new("drafts"))
                .col(Alias::new("owner"))
                .col(Alias::new("form_id"))
                .unique()
                .to_owned(),
        )
        .await?;
        for table in TABLES {
            m.drop_index(
                Index::drop()
                    .name(format!("ix_{table}_administration"))
                    .table(Alias::new(table))
                    .to_owned(),
            )
            .await?;
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new("administration"))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
