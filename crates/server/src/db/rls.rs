//! PostgreSQL row-level security: the second line of the isolation between administrations.
//!
//! Every table whose rows belong to an administration gets a policy that shows and accepts only
//! the rows of the administration the transaction acts for (`istanze.administration`, set by
//! [`super::scope::Scoped`]); with no administration set, nothing. `FORCE` makes the policy
//! bind the tables' owner too. Superusers and roles with `BYPASSRLS` are above any policy, so
//! when the configured database user is one of them (a development or CI set-up) the server
//! still serves through a role without those powers: `istanze_app`, made here, granted the
//! tables, and taken by every pooled connection at start ([`needs_app_role`]).

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use sea_orm_migration::prelude::*;

use super::migration_tenants::TABLES;

/// The role the server acts through when its database user would pass over the policies.
pub const APP_ROLE: &str = "istanze_app";

pub(super) struct RowLevelSecurity;

impl MigrationName for RowLevelSecurity {
    fn name(&self) -> &str {
        "m20261202_000010_row_level_security"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for RowLevelSecurity {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for table in TABLES {
            enable(db, table).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        for table in TABLES {
            db.execute_unprepared(&format!(
                "DROP POLICY IF EXISTS one_administration ON {table}; \
                 ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY; \
                 ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"
            ))
            .await?;
        }
        Ok(())
    }
}

/// Puts `table` (with an `administration` column) under the policy; PostgreSQL only. Later
/// tables of an administration's rows call it from their own migration.
pub(super) async fn enable(db: &impl ConnectionTrait, table: &str) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_unprepared(&format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY; \
         CREATE POLICY one_administration ON {table} \
           USING (administration = current_setting('istanze.administration', true)) \
           WITH CHECK (administration = current_setting('istanze.administration', true))"
    ))
    .await?;
    Ok(())
}

/// Whether the connected user passes over row-level security (a superuser, or `BYPASSRLS`):
/// then [`APP_ROLE`] is made ready and the server's connections take it.
pub async fn needs_app_role(db: &DatabaseConnection) -> Result<bool, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(false);
    }
    let row = db
        .query_one(Statement::from_string(
            DbBackend::Postgres,
            "SELECT (rolsuper OR rolbypassrls) AS above FROM pg_roles WHERE rolname = current_user",
        ))
        .await?;
    let above = row.map(|r| r.try_get::<bool>("", "above")).transpose()?;
    if above != Some(true) {
        return Ok(false);
    }
    // Roles belong to the whole cluster: another database's server may be making it at the
    // same moment, and whoever comes second finds it there.
    db.execute_unprepared(&format!(
        "DO $$ BEGIN \
           CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; \
         END $$"
    ))
    .await?;
    // The connections take the role at start ("role" option), which needs membership; a
    // superuser has it anyway, a BYPASSRLS user gets it here.
    db.execute_unprepared(&format!(
        "GRANT {APP_ROLE} TO CURRENT_USER; \
         GRANT USAGE ON SCHEMA public TO {APP_ROLE}; \
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}; \
         GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}"
    ))
    .await?;
    Ok(true)
}
