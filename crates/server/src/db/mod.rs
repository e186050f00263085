//! Storage: the connection (SQLite or PostgreSQL), the single migration history and the
//! server's entities.

pub mod attachment;
pub mod attachment_chunk;
pub mod authn_request;
pub mod content;
pub mod draft;
mod migration;
mod migration_uploads;
pub mod outbox;
pub mod quota;
pub mod session;
pub mod submission;
pub mod upload_owner;
pub mod upload_reservation;

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
