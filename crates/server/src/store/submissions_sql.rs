//! [`SubmissionStore`] over sea-orm: the `submissions` table, scoped to one administration.

use istanze_domain::AdministrationId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, SqlErr,
};

use super::submissions::{Filed, Inserted, Submission, SubmissionStatus, SubmissionStore};
use super::StoreError;
use crate::db::scope::Scoped;
use crate::db::submission;

/// Stores a new application inside the caller's transaction (the submit's, which also queues
/// its filing and links its files). A taken id writes nothing and says so; the caller rolls
/// back and looks at the first one.
pub async fn insert_in(
    conn: &impl ConnectionTrait,
    admin: &AdministrationId,
    mut row: Submission,
) -> Result<Inserted, StoreError> {
    row.administration = admin.to_string();
    row.status = SubmissionStatus::Filing.as_str().to_owned();
    match submission::Entity::insert(row.into_active_model())
        .exec_with_returning(conn)
        .await
    {
        Ok(m) => Ok(Inserted::New(Box::new(m))),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Ok(Inserted::Duplicate)
        }
        Err(e) => Err(e.into()),
    }
}

/// Records the protocol receipt on application `id` inside the caller's transaction (the
/// filing's, which also finishes its job). `false` when there is no such application here.
pub async fn record_filed_in(
    conn: &impl ConnectionTrait,
    admin: &AdministrationId,
    id: &str,
    filed: &Filed<'_>,
) -> Result<bool, StoreError> {
    let r = submission::Entity::update_many()
        .col_expr(
            submission::Column::Status,
            Expr::value(SubmissionStatus::Filed.as_str()),
        )
        .col_expr(
            submission::Column::ProtocolRegister,
            Expr::value(Some(filed.register)),
        )
        .col_expr(
            submission::Column::ProtocolYear,
            Expr::value(Some(filed.year)),
        )
        .col_expr(
            submission::Column::ProtocolNumber,
            Expr::value(Some(filed.number)),
        )
        .col_expr(submission::Column::ProtocolAt, Expr::value(Some(filed.at)))
        .col_expr(
            submission::Column::Segnatura,
            Expr::value(Some(filed.segnatura)),
        )
        .filter(submission::Column::Id.eq(id))
        .filter(submission::Column::Administration.eq(admin.as_str()))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

impl SubmissionStore for Scoped {
    async fn get(&self, id: &str) -> Result<Option<Submission>, StoreError> {
        Ok(submission::Entity::find_by_id(id)
            .filter(submission::Column::Administration.eq(self.admin()))
            .one(self)
            .await?)
    }

    async fn owned(&self, owner: &str, id: &str) -> Result<Option<Submission>, StoreError> {
        Ok(submission::Entity::find_by_id(id)
            .filter(submission::Column::Administration.eq(self.admin()))
            .filter(submission::Column::Owner.eq(owner))
            .one(self)
            .await?)
    }

    async fn submitted_by(&self, owner: &str) -> Result<Vec<Submission>, StoreError> {
        Ok(submission::Entity::find()
            .filter(submission::Column::Administration.eq(self.admin()))
            .filter(submission::Column::Owner.eq(owner))
            .order_by_desc(submission::Column::SubmittedAt)
            .all(self)
            .await?)
    }
}
