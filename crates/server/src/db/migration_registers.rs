//! The registers under row-level security: the protocol crate's tables know AOOs and
//! idempotency keys, not administrations, so the policies reach the administration through
//! them. `register_aoos` says which administration each AOO's register belongs to (claimed at
//! start from the configuration, see [`super::registers`]); the numbering and the entries are
//! visible to the administration of their AOO, an annulment to whoever sees its entry, and the
//! filing state of the PEC and DOCAREA adapters to whoever sees the application it files (the
//! idempotency key is the submission id).
//!
//! The register connections carry their administration for the whole session (see
//! [`super::registers::connection`]), since the protocol crate opens its own transactions.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum RegisterAoos {
    Table,
    Aoo,
    Administration,
}

/// Each protected table and the rows its policy lets through.
const POLICIES: [(&str, &str); 5] = [
    ("protocol_sequences", AOO_OF_HERE),
    ("protocol_entries", AOO_OF_HERE),
    (
        "protocol_annulments",
        "entry_id IN (SELECT id FROM protocol_entries)",
    ),
    (
        "pec_messages",
        "idempotency_key IN (SELECT id FROM submissions)",
    ),
    (
        "docarea_filings",
        "idempotency_key IN (SELECT id FROM submissions)",
    ),
];

const AOO_OF_HERE: &str = "aoo IN (SELECT aoo FROM register_aoos \
     WHERE administration = current_setting('istanze.administration', true))";

pub(super) struct RegistersUnderPolicy;

impl MigrationName for RegistersUnderPolicy {
    fn name(&self) -> &str {
        "m20261203_000014_registers_under_policy"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for RegistersUnderPolicy {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RegisterAoos::Table)
                .col(
                    ColumnDef::new(RegisterAoos::Aoo)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(RegisterAoos::Administration)
                        .string()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for (table, rows) in POLICIES {
            db.execute_unprepared(&format!(
                "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
                 ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
                 CREATE POLICY one_administration ON {table} USING ({rows}) WITH CHECK ({rows})"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            for (table, _) in POLICIES {
                db.execute_unprepared(&format!(
                    "DROP POLICY IF EXISTS one_administration ON {table}; \
                     ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY; \
                     ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"
                ))
                .await?;
            }
        }
        m.drop_table(Table::drop().table(RegisterAoos::Table).to_owned())
            .await
    }
}
