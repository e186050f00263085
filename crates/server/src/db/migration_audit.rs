//! The audit log (issue 12): `audit_log`, every staff action and every view of a citizen's
//! personal data, hash-chained per administration, and `audit_heads`, each chain's end. Both
//! under row-level security; entries cannot be changed or deleted (triggers on both
//! databases), so that only someone who drops the triggers can, and `istanze audit verify`
//! then names the entry.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    Administration,
    Seq,
    At,
    Actor,
    Action,
    Object,
    Origin,
    Details,
    PrevHash,
    EntryHash,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditHeads {
    Table,
    Administration,
    LastSeq,
    LastHash,
}

pub(super) struct AuditLogTables;

impl MigrationName for AuditLogTables {
    fn name(&self) -> &str {
        "m20261204_000018_audit_log"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for AuditLogTables {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let text = |c: AuditLog| ColumnDef::new(c).string().not_null().to_owned();
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(
                    ColumnDef::new(AuditLog::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(text(AuditLog::Administration))
                .col(ColumnDef::new(AuditLog::Seq).big_integer().not_null())
                .col(
                    ColumnDef::new(AuditLog::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(text(AuditLog::Actor))
                .col(text(AuditLog::Action))
                .col(text(AuditLog::Object))
                .col(text(AuditLog::Origin))
                .col(ColumnDef::new(AuditLog::Details).text().not_null())
                .col(text(AuditLog::PrevHash))
                .col(text(AuditLog::EntryHash))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("audit_log_seq")
                .table(AuditLog::Table)
                .col(AuditLog::Administration)
                .col(AuditLog::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuditHeads::Table)
                .col(
                    ColumnDef::new(AuditHeads::Administration)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(AuditHeads::LastSeq).big_integer().not_null())
                .col(ColumnDef::new(AuditHeads::LastHash).string().not_null())
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION 'audit log entries are never changed or deleted'; END $$; \
                 CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
                   FOR EACH ROW EXECUTE FUNCTION audit_log_immutable(); \
                 CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
                   FOR EACH STATEMENT EXECUTE FUNCTION audit_log_immutable()",
            )
            .await?;
        } else {
            for event in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER audit_log_no_{} BEFORE {event} ON audit_log \
                     BEGIN SELECT RAISE(ABORT, 'audit log entries are never changed or deleted'); END",
                    event.to_lowercase()
                ))
                .await?;
            }
        }
        super::rls::enable(db, "audit_log").await?;
        super::rls::enable(db, "audit_heads").await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration("the audit log is never dropped".into()))
    }
}
