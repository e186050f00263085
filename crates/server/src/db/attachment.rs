//! Entity: a file a citizen uploaded for a file field, before and after it becomes part of a
//! submitted application (`submission_id`), and the queries on it. The bytes are in
//! `attachment_chunks` (database storage; see `db::content`) or in the file named `path` under
//! the attachments directory. Files stored before chunks existed have them in the column
//! `content`, left out of the entity so that listing files never loads their bytes.

use chrono::{DateTime, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{QueryOrder, QuerySelect};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    /// `att-<uuid>`: the value of the file field in the application data.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    /// The key (`Principal::owner`) of the citizen who uploaded it.
    pub owner: String,
    pub form_id: String,
    /// JSON pointer of the file field.
    pub field: String,
    /// The name the citizen's file had, cleaned for display and for the register.
    pub file_name: String,
    /// Recognised from the bytes.
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub path: Option<String>,
    pub submission_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The files of submission `submission_id`, oldest first.
pub async fn of_submission(
    db: &impl ConnectionTrait,
    admin: &str,
    submission_id: &str,
) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Administration.eq(admin))
        .filter(Column::SubmissionId.eq(submission_id))
        .order_by_asc(Column::CreatedAt)
        .all(db)
        .await
}

/// Files uploaded before `before` and not part of an application: (id, owner, path).
pub async fn unlinked_before(
    db: &impl ConnectionTrait,
    admin: &str,
    before: DateTime<Utc>,
) -> Result<Vec<(String, String, Option<String>)>, DbErr> {
    Entity::find()
        .filter(Column::Administration.eq(admin))
        .select_only()
        .column(Column::Id)
        .column(Column::Owner)
        .column(Column::Path)
        .filter(Column::SubmissionId.is_null())
        .filter(Column::CreatedAt.lt(before))
        .into_tuple()
        .all(db)
        .await
}

/// Deletes file `id` with its chunks, on condition that it is still not part of an
/// application: true if it went.
pub async fn delete_unlinked(db: &super::scope::Scoped, id: &str) -> Result<bool, DbErr> {
    let admin = db.admin();
    let txn = db.begin().await?;
    let deleted = Entity::delete_many()
        .filter(Column::Administration.eq(admin))
        .filter(Column::Id.eq(id))
        .filter(Column::SubmissionId.is_null())
        .exec(&txn)
        .await?;
    let gone = deleted.rows_affected == 1;
    if gone {
        super::content::delete_chunks(&txn, admin, id).await?;
    }
    txn.commit().await?;
    Ok(gone)
}

/// Marks `ids` as part of submission `submission_id` where they are not part of one yet:
/// returns how many were.
pub async fn link(
    txn: &impl ConnectionTrait,
    admin: &str,
    ids: &[String],
    submission_id: &str,
) -> Result<u64, DbErr> {
    let linked = Entity::update_many()
        .col_expr(
            Column::SubmissionId,
            Expr::value(Some(submission_id.to_owned())),
        )
        .filter(Column::Administration.eq(admin))
        .filter(Column::Id.is_in(ids.iter().cloned()))
        .filter(Column::SubmissionId.is_null())
        .exec(txn)
        .await?;
    Ok(linked.rows_affected)
}
