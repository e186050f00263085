//! Uploads in flight and files in chunks (see `db::quota` and `db::attachment_chunk`): the
//! reservation each upload makes before its bytes stream in, the per-citizen row that puts
//! reservations one after the other, the chunks that hold the bytes of files kept in the
//! database, and an index for the per-citizen sum of pending files.
//!
//! Files stored before this migration keep their bytes whole in `attachments.content`, where
//! the reader still finds them: copying them into chunks here would make an upgrade wait for
//! every stored byte.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum UploadReservations {
    Table,
    Id,
    Owner,
    Bytes,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum UploadOwners {
    Table,
    Owner,
    Serial,
}

#[derive(DeriveIden)]
enum AttachmentChunks {
    Table,
    AttachmentId,
    Seq,
    Data,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Owner,
    SubmissionId,
}

pub(super) struct UploadsInChunks;

impl MigrationName for UploadsInChunks {
    fn name(&self) -> &str {
        "m20261201_000008_upload_reservations_and_chunks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for UploadsInChunks {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
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
                .name("upload_reservations_owner")
                .table(UploadReservations::Table)
                .col(UploadReservations::Owner)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(UploadOwners::Table)
                .col(
                    ColumnDef::new(UploadOwners::Owner)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(UploadOwners::Serial)
                        .big_integer()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AttachmentChunks::Table)
                .col(
                    ColumnDef::new(AttachmentChunks::AttachmentId)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(AttachmentChunks::Seq).integer().not_null())
                .col(ColumnDef::new(AttachmentChunks::Data).binary().not_null())
                .primary_key(
                    Index::create()
                        .col(AttachmentChunks::AttachmentId)
                        .col(AttachmentChunks::Seq),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("attachments_owner_pending")
                .table(Attachments::Table)
                .col(Attachments::Owner)
                .col(Attachments::SubmissionId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the bytes of stored files are never dropped by a migration".into(),
        ))
    }
}
