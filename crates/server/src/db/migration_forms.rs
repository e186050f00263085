//! Form definitions as data: every version of every administration's forms, content-addressed
//! and never changed once stored (`form_versions`), and the version each submission and draft
//! was made with (`form_version_id`; empty for those made before versions were kept).

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum FormVersions {
    Table,
    Id,
    Administration,
    FormId,
    VersionId,
    DeclaredVersion,
    Definition,
    Source,
    ImportedAt,
}

pub(super) struct FormVersionsTable;

impl MigrationName for FormVersionsTable {
    fn name(&self) -> &str {
        "m20261202_000011_form_versions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for FormVersionsTable {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let text = |c: FormVersions| ColumnDef::new(c).text().not_null().to_owned();
        let string = |c: FormVersions| ColumnDef::new(c).string().not_null().to_owned();
        m.create_table(
            Table::create()
                .table(FormVersions::Table)
                .col(
                    ColumnDef::new(FormVersions::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(string(FormVersions::Administration))
                .col(string(FormVersions::FormId))
                .col(string(FormVersions::VersionId))
                .col(string(FormVersions::DeclaredVersion))
                .col(text(FormVersions::Definition))
                .col(string(FormVersions::Source))
                .col(
                    ColumnDef::new(FormVersions::ImportedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("form_versions_one_each")
                .table(FormVersions::Table)
                .col(FormVersions::Administration)
                .col(FormVersions::FormId)
                .col(FormVersions::VersionId)
                .unique()
                .to_owned(),
        )
        .await?;
        for table in ["submissions", "drafts"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .add_column(
                        ColumnDef::new(Alias::new("form_version_id"))
                            .string()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        }
        super::rls::enable(m.get_connection(), "form_versions").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["submissions", "drafts"] {
            m.alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new("form_version_id"))
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(FormVersions::Table).to_owned())
            .await
    }
}
