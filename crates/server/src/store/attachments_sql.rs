//! [`AttachmentStore`] over sea-orm: the `attachments` table (and its chunks), scoped to one
//! administration.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::attachments::{Attachment, AttachmentStore, Unlinked};
use super::StoreError;
use crate::db::attachment::{Column, Entity};
use crate::db::scope::Scoped;

impl AttachmentStore for Scoped {
    async fn owned_file(&self, owner: &str, id: &str) -> Result<Option<Attachment>, StoreError> {
        Ok(Entity::find_by_id(id)
            .filter(Column::Administration.eq(self.admin()))
            .filter(Column::Owner.eq(owner))
            .one(self)
            .await?)
    }

    async fn owned_files(
        &self,
        owner: &str,
        ids: Vec<String>,
    ) -> Result<Vec<Attachment>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(Entity::find()
            .filter(Column::Administration.eq(self.admin()))
            .filter(Column::Owner.eq(owner))
            .filter(Column::Id.is_in(ids))
            .all(self)
            .await?)
    }

    async fn of_submission(&self, submission_id: &str) -> Result<Vec<Attachment>, StoreError> {
        Ok(Entity::find()
            .filter(Column::Administration.eq(self.admin()))
            .filter(Column::SubmissionId.eq(submission_id))
            .order_by_asc(Column::CreatedAt)
            .all(self)
            .await?)
    }

    async fn unlinked_before(&self, before: DateTime<Utc>) -> Result<Vec<Unlinked>, StoreError> {
        let rows: Vec<(String, String, Option<String>)> = Entity::find()
            .filter(Column::Administration.eq(self.admin()))
            .select_only()
            .column(Column::Id)
            .column(Column::Owner)
            .column(Column::Path)
            .filter(Column::SubmissionId.is_null())
            .filter(Column::CreatedAt.lt(before))
            .into_tuple()
            .all(self)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, owner, path)| Unlinked { id, owner, path })
            .collect())
    }

    async fn delete_unlinked(&self, id: &str) -> Result<bool, StoreError> {
        let admin = self.admin();
        let txn = self.begin().await?;
        let deleted = Entity::delete_many()
            .filter(Column::Administration.eq(admin))
            .filter(Column::Id.eq(id))
            .filter(Column::SubmissionId.is_null())
            .exec(&txn)
            .await?;
        let gone = deleted.rows_affected == 1;
        if gone {
            crate::db::content::delete_chunks(&txn, admin, id).await?;
        }
        txn.commit().await?;
        Ok(gone)
    }
}

/// Marks `ids` as part of submission `submission_id` where they are not part of one yet,
/// inside the submit's transaction `txn`: returns how many were.
pub async fn link_in(
    txn: &impl ConnectionTrait,
    admin: &istanze_domain::AdministrationId,
    ids: &[String],
    submission_id: &str,
) -> Result<u64, StoreError> {
    let linked = Entity::update_many()
        .col_expr(
            Column::SubmissionId,
            Expr::value(Some(submission_id.to_owned())),
        )
        .filter(Column::Administration.eq(admin.as_str()))
        .filter(Column::Id.is_in(ids.iter().cloned()))
        .filter(Column::SubmissionId.is_null())
        .exec(txn)
        .await?;
    Ok(linked.rows_affected)
}
