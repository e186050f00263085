//! Storage: the connection (SQLite or PostgreSQL), the single migration history and the
//! server's entities. Rows of an administration are reached through [`scope::Scoped`].

pub mod api_token;
pub mod attachment;
pub mod attachment_chunk;
pub mod audit_entry;
pub mod audit_head;
pub mod authn_request;
pub mod case;
pub mod case_document;
pub mod case_event;
pub mod case_label;
pub mod case_note;
pub mod content;
pub mod draft;
pub mod form_version;
pub mod job;
mod migration;
mod migration_audit;
mod migration_cases;
mod migration_communications;
mod migration_desk;
mod migration_forms;
mod migration_jobs;
mod migration_quota;
mod migration_registers;
mod migration_staff;
mod migration_tenants;
mod migration_tokens;
mod migration_uploads;
pub mod quota;
pub mod registers;
pub mod rls;
pub mod scope;
pub mod session;
pub mod staff_grant;
pub mod submission;
pub mod upload_owner;
pub mod upload_reservation;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr,
    TransactionTrait,
};
use sea_orm_migration::{MigrationTrait, MigratorTrait};

/// The one migration history: the register's tables, then the server's.
#[derive(Debug)]
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = istanze_protocol::migration::migrations();
        all.extend(migration::migrations());
        all
    }
}

/// Connects and brings the schema up to date; rows from before administrations existed go to
/// `default` (see [`adopt`]). On PostgreSQL, when the configured user would pass over
/// row-level security, the connections returned act through [`rls::APP_ROLE`].
pub async fn connect(
    url: &str,
    max_connections: u32,
    default: Option<&istanze_domain::AdministrationId>,
) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = std::path::Path::new(path.split('?').next().unwrap_or_default());
        let io =
            |p: &std::path::Path, e: std::io::Error| DbErr::Custom(format!("{}: {e}", p.display()));
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::secure_files::create_private_dir(dir).map_err(|e| io(dir, e))?;
        }
        // Made here, private, rather than by SQLite with the umask's mode; its -wal and -shm
        // files take the database file's mode.
        let read_only = path.contains("mode=ro");
        if !read_only && !file.as_os_str().is_empty() && file != std::path::Path::new(":memory:") {
            crate::secure_files::create_private_file_if_missing(file).map_err(|e| io(file, e))?;
        }
    }
    let db = open(url, max_connections, None).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers go on while the worker writes; the pragma persists in the file.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
    }
    Migrator::up(&db, None).await?;
    if let Some(default) = default {
        adopt(&db, default).await?;
    }
    if rls::needs_app_role(&db).await? {
        db.close().await?;
        return open(url, max_connections, Some(rls::APP_ROLE)).await;
    }
    Ok(db)
}

async fn open(
    url: &str,
    max_connections: u32,
    role: Option<&'static str>,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .sqlx_logging(false)
        // Several processes may share one SQLite file: a writer waits for the others instead of
        // failing a citizen's submit after sqlx's default 5 seconds.
        .map_sqlx_sqlite_opts(|o| o.busy_timeout(std::time::Duration::from_secs(30)));
    if let Some(role) = role {
        options.map_sqlx_postgres_opts(move |o| o.options([("role", role)]));
    }
    Database::connect(options).await
}

/// The tables that had rows before administrations existed, as they are now (the filings and
/// notifications of then are jobs now).
const ADOPTED: [&str; 7] = [
    "sessions",
    "authn_requests",
    "submissions",
    "jobs",
    "attachments",
    "attachment_chunks",
    "drafts",
];

/// Gives the rows written before administrations existed (an empty `administration`) to the
/// installation's own administration. Idempotent: a start after the first finds none.
///
/// On PostgreSQL the row-level security policies hide those rows from everyone but a
/// superuser, the tables' owner included (`FORCE`): they are looked for as the administration
/// `''`, and where there are some the table's owner adopts them with the policy lifted for the
/// length of one transaction.
pub async fn adopt(
    db: &DatabaseConnection,
    default: &istanze_domain::AdministrationId,
) -> Result<(), DbErr> {
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    for table in ADOPTED {
        let txn = db.begin().await?;
        if postgres {
            txn.execute_unprepared("SELECT set_config('istanze.administration', '', true)")
                .await?;
            let orphans = txn
                .query_one(sea_orm::Statement::from_string(
                    DbBackend::Postgres,
                    format!(
                        "SELECT EXISTS (SELECT 1 FROM {table} WHERE administration = '') AS any"
                    ),
                ))
                .await?
                .map(|r| r.try_get::<bool>("", "any"))
                .transpose()?
                .unwrap_or(false);
            if !orphans {
                txn.commit().await?;
                continue;
            }
            txn.execute_unprepared(&format!("ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY"))
                .await?;
        }
        let adopted = txn
            .execute(sea_orm::Statement::from_sql_and_values(
                db.get_database_backend(),
                if postgres {
                    format!("UPDATE {table} SET administration = $1 WHERE administration = ''")
                } else {
                    format!("UPDATE {table} SET administration = ? WHERE administration = ''")
                },
                [default.as_str().into()],
            ))
            .await?
            .rows_affected();
        if postgres {
            txn.execute_unprepared(&format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
                .await?;
        }
        txn.commit().await?;
        if adopted > 0 {
            tracing::info!(table, adopted, administration = %default, "rows adopted by the default administration");
        }
    }
    Ok(())
}
