//! The upload quota per administration: an upload in flight (`upload_reservations`) and the
//! per-citizen lock row (`upload_owners`) say which administration they are for, so that a
//! citizen's uploads at one administration neither count against nor wait for their uploads at
//! another, and row-level security covers them like every other row of an administration.
//!
//! Both tables hold only what is in flight (a reservation lives at most
//! `RESERVATION_TTL_MINUTES`): they are made again empty. An upload streaming during the
//! upgrade finds its reservation gone and is refused, to be sent again; no stored file is
//! touched (the chunks of such an upload are the housekeeping's, as after a crash).

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum UploadReservations {
    Table,
    Id,
    Administration,
    Owner,
    Bytes,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum UploadOwners {
    Table,
    Administration,
    Owner,
    Serial,
}

pub(super) struct QuotaPerAdministration;

impl MigrationName for QuotaPerAdministration {
    fn name(&self) -> &str {
        "m20261203_000013_quota_per_administration"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for QuotaPerAdministration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(UploadReservations::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(UploadOwners::Table).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(UploadReservations::Table)
                .col(
                    ColumnDef::new(UploadReservations::Id)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(UploadReservations::Administration)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(UploadReservations::Owner)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(UploadReservations::Bytes)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(UploadReservations::ExpiresAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("upload_reservations_by_owner")
                .table(UploadReservations::Table)
                .col(UploadReservations::Administration)
                .col(UploadReservations::Owner)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(UploadOwners::Table)
                .col(
                    ColumnDef::new(UploadOwners::Administration)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(UploadOwners::Owner).string().not_null())
                .col(
                    ColumnDef::new(UploadOwners::Serial)
                        .big_integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(UploadOwners::Administration)
                        .col(UploadOwners::Owner),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        super::rls::enable(db, "upload_reservations").await?;
        super::rls::enable(db, "upload_owners").await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the quota tables are not taken back to one installation-wide quota".into(),
        ))
    }
}
