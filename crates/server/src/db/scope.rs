//! The administration a query runs for, as a connection: [`Scoped`].
//!
//! Every query on a table whose rows belong to an administration runs through a `Scoped`
//! connection (or a transaction it began). The queries filter by its administration
//! themselves; on PostgreSQL the connection also tells the database which administration it
//! acts for (`istanze.administration`, local to the transaction), and row-level security
//! (see [`super::rls`]) hides and refuses every other administration's rows, so that a query
//! that forgets its filter finds nothing rather than someone else's data.

use istanze_domain::AdministrationId;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement, TransactionTrait,
};

/// A connection acting for one administration.
#[derive(Debug, Clone)]
pub struct Scoped {
    db: DatabaseConnection,
    admin: AdministrationId,
}

impl Scoped {
    pub fn new(db: &DatabaseConnection, admin: &AdministrationId) -> Scoped {
        Scoped {
            db: db.clone(),
            admin: admin.clone(),
        }
    }

    /// The administration's IPA code, for the queries' own filters.
    pub fn admin(&self) -> &str {
        self.admin.as_str()
    }

    pub fn id(&self) -> &AdministrationId {
        &self.admin
    }

    /// A transaction acting for the administration.
    pub async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        let txn = self.db.begin().await?;
        act_for(&txn, &self.admin).await?;
        Ok(txn)
    }

    fn postgres(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Postgres
    }
}

/// Tells PostgreSQL, for the rest of the transaction, which administration it acts for.
pub async fn act_for(conn: &impl ConnectionTrait, admin: &AdministrationId) -> Result<(), DbErr> {
    if conn.get_database_backend() == DbBackend::Postgres {
        conn.execute(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT set_config('istanze.administration', $1, true)",
            [admin.as_str().into()],
        ))
        .await?;
    }
    Ok(())
}

// A statement outside a transaction of its own gets one on PostgreSQL, since the setting lives
// as long as the transaction; SQLite has no row-level security and runs it as it is.
#[async_trait::async_trait]
impl ConnectionTrait for Scoped {
    fn get_database_backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    async fn execute(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        if !self.postgres() {
            return self.db.execute(stmt).await;
        }
        let txn = self.begin().await?;
        let result = txn.execute(stmt).await?;
        txn.commit().await?;
        Ok(result)
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        if !self.postgres() {
            return self.db.execute_unprepared(sql).await;
        }
        let txn = self.begin().await?;
        let result = txn.execute_unprepared(sql).await?;
        txn.commit().await?;
        Ok(result)
    }

    async fn query_one(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        if !self.postgres() {
            return self.db.query_one(stmt).await;
        }
        let txn = self.begin().await?;
        let result = txn.query_one(stmt).await?;
        txn.commit().await?;
        Ok(result)
    }

    async fn query_all(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        if !self.postgres() {
            return self.db.query_all(stmt).await;
        }
        let txn = self.begin().await?;
        let result = txn.query_all(stmt).await?;
        txn.commit().await?;
        Ok(result)
    }

    fn support_returning(&self) -> bool {
        self.db.support_returning()
    }
}
