//! Storage: the connection (SQLite or PostgreSQL), the single migration history and the
//! server's entities.

pub mod attachment;
pub mod authn_request;
pub mod draft;
mod migration;
pub mod outbox;
pub mod session;
pub mod submission;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
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

/// Connects and brings the schema up to date.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or_default();
        if let Some(dir) = std::path::Path::new(file).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbErr::Custom(format!("{}: {e}", dir.display())))?;
            }
        }
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .sqlx_logging(false)
        // Several processes may share one SQLite file: a writer waits for the others instead of
        // failing a citizen's submit after sqlx's default 5 seconds.
        .map_sqlx_sqlite_opts(|o| o.busy_timeout(std::time::Duration::from_secs(30)));
    let db = Database::connect(options).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers go on while the worker writes; the pragma persists in the file.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
    }
    Migrator::up(&db, None).await?;
    Ok(db)
}
