//! The staff's grants: `staff_grants` holds each role granted to a person at an
//! administration, for the whole administration or for one office, under row-level security
//! like every other row of an administration.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum StaffGrants {
    Table,
    Administration,
    FiscalCode,
    Role,
    Office,
    GrantedBy,
    GrantedAt,
}

pub(super) struct StaffGrantsTable;

impl MigrationName for StaffGrantsTable {
    fn name(&self) -> &str {
        "m20261203_000015_staff_grants"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for StaffGrantsTable {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let text = |c: StaffGrants| ColumnDef::new(c).string().not_null().to_owned();
        m.create_table(
            Table::create()
                .table(StaffGrants::Table)
                .col(text(StaffGrants::Administration))
                .col(text(StaffGrants::FiscalCode))
                .col(text(StaffGrants::Role))
                .col(text(StaffGrants::Office))
                .col(text(StaffGrants::GrantedBy))
                .col(
                    ColumnDef::new(StaffGrants::GrantedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(StaffGrants::Administration)
                        .col(StaffGrants::FiscalCode)
                        .col(StaffGrants::Role)
                        .col(StaffGrants::Office),
                )
                .to_owned(),
        )
        .await?;
        super::rls::enable(m.get_connection(), "staff_grants").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(StaffGrants::Table).to_owned())
            .await
    }
}
