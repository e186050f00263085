//! The register's tables, as migrations for the database's single migration history.
//!
//! The application that owns the database lists [`migrations`] in its own `MigratorTrait`, so
//! that there is one history; the register does not migrate on its own.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

/// The register's migrations, oldest first.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(CreateRegister),
        Box::new(CreatePecMessages),
        Box::new(CreateDocareaFilings),
        Box::new(ChainAnnulments),
        Box::new(CaseFiles),
    ]
}

#[derive(DeriveIden)]
enum ProtocolEntries {
    Table,
    Id,
    Aoo,
    Register,
    Year,
    Number,
    RegisteredAt,
    Direction,
    Subject,
    Classification,
    Correspondent,
    PrimaryName,
    PrimaryMime,
    PrimarySha256,
    PrimarySize,
    Attachments,
    AttachmentCount,
    IdempotencyKey,
    Segnatura,
    PrevHash,
    EntryHash,
}

#[derive(DeriveIden)]
enum ProtocolAnnulments {
    Table,
    Id,
    EntryId,
    AuthorisingAct,
    Operator,
    Reason,
    AnnulledAt,
}

#[derive(DeriveIden)]
enum ProtocolSequences {
    Table,
    Aoo,
    Register,
    Year,
    LastNumber,
    LastHash,
}

struct CreateRegister;

impl MigrationName for CreateRegister {
    fn name(&self) -> &str {
        "m20261123_000001_protocol_register"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateRegister {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProtocolSequences::Table)
                    .col(ColumnDef::new(ProtocolSequences::Aoo).string().not_null())
                    .col(
                        ColumnDef::new(ProtocolSequences::Register)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProtocolSequences::Year).integer().not_null())
                    .col(
                        ColumnDef::new(ProtocolSequences::LastNumber)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolSequences::LastHash)
                            .string()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ProtocolSequences::Aoo)
                            .col(ProtocolSequences::Register)
                            .col(ProtocolSequences::Year),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProtocolEntries::Table)
                    .col(
                        ColumnDef::new(ProtocolEntries::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ProtocolEntries::Aoo).string().not_null())
                    .col(
                        ColumnDef::new(ProtocolEntries::Register)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProtocolEntries::Year).integer().not_null())
                    .col(
                        ColumnDef::new(ProtocolEntries::Number)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::RegisteredAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::Direction)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProtocolEntries::Subject).text().not_null())
                    .col(
                        ColumnDef::new(ProtocolEntries::Classification)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::Correspondent)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::PrimaryName)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::PrimaryMime)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::PrimarySha256)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::PrimarySize)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::Attachments)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::AttachmentCount)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::IdempotencyKey)
                            .string()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(ProtocolEntries::Segnatura).text().not_null())
                    .col(
                        ColumnDef::new(ProtocolEntries::PrevHash)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolEntries::EntryHash)
                            .string()
                            .not_null(),
                    )
                    .index(
                        Index::create()
                            .name("protocol_entries_number")
                            .col(ProtocolEntries::Aoo)
                            .col(ProtocolEntries::Register)
                            .col(ProtocolEntries::Year)
                            .col(ProtocolEntries::Number)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProtocolAnnulments::Table)
                    .col(
                        ColumnDef::new(ProtocolAnnulments::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ProtocolAnnulments::EntryId)
                            .big_integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(
                        ColumnDef::new(ProtocolAnnulments::AuthorisingAct)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ProtocolAnnulments::Operator)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(ProtocolAnnulments::Reason).text().not_null())
                    .col(
                        ColumnDef::new(ProtocolAnnulments::AnnulledAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProtocolAnnulments::Table, ProtocolAnnulments::EntryId)
                            .to(ProtocolEntries::Table, ProtocolEntries::Id),
                    )
                    .to_owned(),
            )
            .await?;
        immutability(manager, "protocol_entries").await?;
        immutability(manager, "protocol_annulments").await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // A register is never dropped by a migration: that would destroy a legal record.
        Err(DbErr::Migration(
            "the protocol register cannot be rolled back".into(),
        ))
    }
}

/// Triggers that make the database itself refuse changes to registrations (art. 53: the
/// registration fields cannot be modified), whatever code runs against it.
async fn immutability(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            for (name, event) in [("no_update", "UPDATE"), ("no_delete", "DELETE")] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_{name} BEFORE {event} ON {table} \
                     BEGIN SELECT RAISE(ABORT, 'protocol entries are immutable'); END"
                ))
                .await?;
            }
        }
        DbBackend::Postgres => {
            db.execute_unprepared(
                "CREATE OR REPLACE FUNCTION protocol_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION 'protocol entries are immutable'; END; $$",
            )
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION protocol_entries_immutable()"
            ))
            .await?;
            // Row triggers do not see TRUNCATE.
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} \
                 FOR EACH STATEMENT EXECUTE FUNCTION protocol_entries_immutable()"
            ))
            .await?;
        }
        DbBackend::MySql => {
            return Err(DbErr::Migration("MySQL is not supported".into()));
        }
    }
    Ok(())
}

#[derive(DeriveIden)]
enum PecMessages {
    Table,
    IdempotencyKey,
    MessageId,
    Register,
    Year,
    Number,
    SegnaturaFormat,
    SentAt,
    RemoteRegister,
    RemoteNumber,
    RemoteDate,
    ConfirmedAt,
    Exception,
    ExceptionAt,
    RemoteAnnulment,
}

/// Applications sent to the AOO's PEC mailbox and the AOO's answers (see [`crate::pec`]).
struct CreatePecMessages;

impl MigrationName for CreatePecMessages {
    fn name(&self) -> &str {
        "m20261124_000001_pec_messages"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreatePecMessages {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let text = |c: PecMessages| ColumnDef::new(c).string().null().to_owned();
        let when = |c: PecMessages| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .null()
                .to_owned()
        };
        manager
            .create_table(
                Table::create()
                    .table(PecMessages::Table)
                    .col(
                        ColumnDef::new(PecMessages::IdempotencyKey)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PecMessages::MessageId).string().not_null())
                    .col(ColumnDef::new(PecMessages::Register).string().not_null())
                    .col(ColumnDef::new(PecMessages::Year).integer().not_null())
                    .col(ColumnDef::new(PecMessages::Number).big_integer().not_null())
                    .col(
                        ColumnDef::new(PecMessages::SegnaturaFormat)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(PecMessages::SentAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(text(PecMessages::RemoteRegister))
                    .col(text(PecMessages::RemoteNumber))
                    .col(text(PecMessages::RemoteDate))
                    .col(when(PecMessages::ConfirmedAt))
                    .col(ColumnDef::new(PecMessages::Exception).text().null())
                    .col(when(PecMessages::ExceptionAt))
                    .col(ColumnDef::new(PecMessages::RemoteAnnulment).text().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pec_messages_registration")
                    .table(PecMessages::Table)
                    .col(PecMessages::Register)
                    .col(PecMessages::Year)
                    .col(PecMessages::Number)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PecMessages::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DocareaFilings {
    Table,
    IdempotencyKey,
    AttemptStartedAt,
    Number,
    Year,
    RegisteredAt,
    DateText,
}

/// The DOCAREA adapter's filing state (see [`crate::docarea`]).
struct CreateDocareaFilings;

impl MigrationName for CreateDocareaFilings {
    fn name(&self) -> &str {
        "m20261124_000002_docarea_filings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDocareaFilings {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DocareaFilings::Table)
                    .col(
                        ColumnDef::new(DocareaFilings::IdempotencyKey)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(DocareaFilings::AttemptStartedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(DocareaFilings::Number).big_integer().null())
                    .col(ColumnDef::new(DocareaFilings::Year).integer().null())
                    .col(
                        ColumnDef::new(DocareaFilings::RegisteredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(DocareaFilings::DateText).string().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DocareaFilings::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum AnnulmentChain {
    PrevHash,
    AnnulmentHash,
}

/// Annulments join a hash chain of their own (see [`crate::embedded::annulment_chain`]);
/// earlier rows keep empty hashes. Adding columns is not an UPDATE: the triggers allow it.
struct ChainAnnulments;

impl MigrationName for ChainAnnulments {
    fn name(&self) -> &str {
        "m20261124_000003_chain_annulments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for ChainAnnulments {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [AnnulmentChain::PrevHash, AnnulmentChain::AnnulmentHash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ProtocolAnnulments::Table)
                        .add_column(ColumnDef::new(column).string().not_null().default(""))
                        .to_owned(),
                )
                .await?;
        }
        // One successor per annulment: concurrent annulments cannot fork the chain.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX protocol_annulments_chain ON protocol_annulments (prev_hash) \
                 WHERE prev_hash <> ''",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the protocol register cannot be rolled back".into(),
        ))
    }
}

#[derive(DeriveIden)]
enum EntryCaseFile {
    CaseFileCode,
    CaseFileName,
}

/// Entries name their case file (fascicolo); earlier entries keep none, and their hashes (an
/// empty case file is not part of the hash). Adding columns is not an UPDATE: the triggers
/// allow it.
struct CaseFiles;

impl MigrationName for CaseFiles {
    fn name(&self) -> &str {
        "m20261204_000004_case_files"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CaseFiles {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [EntryCaseFile::CaseFileCode, EntryCaseFile::CaseFileName] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ProtocolEntries::Table)
                        .add_column(ColumnDef::new(column).string().not_null().default(""))
                        .to_owned(),
                )
                .await?;
        }
        // The registrations of a case file, in order.
        manager
            .create_index(
                Index::create()
                    .name("protocol_entries_case_file")
                    .table(ProtocolEntries::Table)
                    .col(EntryCaseFile::CaseFileCode)
                    .col(ProtocolEntries::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "the protocol register cannot be rolled back".into(),
        ))
    }
}
