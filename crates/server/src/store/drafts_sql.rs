//! [`DraftStore`] over sea-orm: the `drafts` table, scoped to one administration.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::drafts::{Draft, DraftContent, DraftStore};
use super::StoreError;
use crate::db::draft;
use crate::db::scope::Scoped;
use istanze_domain::AdministrationId;

fn to_draft(m: draft::Model) -> Draft {
    Draft {
        id: m.id,
        owner: m.owner,
        form_id: m.form_id,
        form_version: m.form_version,
        form_version_id: m.form_version_id,
        data: m.data,
        email: m.email,
        created_at: m.created_at,
        updated_at: m.updated_at,
        expires_at: m.expires_at,
        warned_at: m.warned_at,
    }
}

/// [`DraftStore::discard`] inside the caller's transaction (the submit's, so that the draft
/// goes with the same commit that stores the application).
pub async fn discard_in(
    conn: &impl ConnectionTrait,
    admin: &AdministrationId,
    owner: &str,
    form_id: &str,
) -> Result<u64, StoreError> {
    Ok(draft::Entity::delete_many()
        .filter(draft::Column::Administration.eq(admin.as_str()))
        .filter(draft::Column::Owner.eq(owner))
        .filter(draft::Column::FormId.eq(form_id))
        .exec(conn)
        .await?
        .rows_affected)
}

impl DraftStore for Scoped {
    async fn save(&self, c: DraftContent<'_>, now: DateTime<Utc>) -> Result<Draft, StoreError> {
        draft::Entity::insert(draft::ActiveModel {
            id: Set(c.new_id),
            administration: Set(self.admin().to_owned()),
            owner: Set(c.owner.to_owned()),
            form_id: Set(c.form_id.to_owned()),
            form_version: Set(c.form_version.to_owned()),
            form_version_id: Set(c.form_version_id.to_owned()),
            data: Set(c.data),
            email: Set(c.email),
            created_at: Set(now),
            updated_at: Set(now),
            expires_at: Set(c.expires_at),
            warned_at: Set(None),
        })
        .on_conflict(
            OnConflict::columns([
                draft::Column::Administration,
                draft::Column::Owner,
                draft::Column::FormId,
            ])
            .update_columns([
                draft::Column::FormVersion,
                draft::Column::FormVersionId,
                draft::Column::Data,
                draft::Column::Email,
                draft::Column::UpdatedAt,
                draft::Column::ExpiresAt,
                draft::Column::WarnedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(self)
        .await?;
        self.find(c.owner, c.form_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                table: "drafts",
                why: "a saved draft is not there".into(),
            })
    }

    async fn find(&self, owner: &str, form_id: &str) -> Result<Option<Draft>, StoreError> {
        Ok(draft::Entity::find()
            .filter(draft::Column::Administration.eq(self.admin()))
            .filter(draft::Column::Owner.eq(owner))
            .filter(draft::Column::FormId.eq(form_id))
            .one(self)
            .await?
            .map(to_draft))
    }

    async fn drafts_of(&self, owner: &str) -> Result<Vec<Draft>, StoreError> {
        Ok(draft::Entity::find()
            .filter(draft::Column::Administration.eq(self.admin()))
            .filter(draft::Column::Owner.eq(owner))
            .all(self)
            .await?
            .into_iter()
            .map(to_draft)
            .collect())
    }

    async fn all_drafts(&self) -> Result<Vec<Draft>, StoreError> {
        Ok(draft::Entity::find()
            .filter(draft::Column::Administration.eq(self.admin()))
            .all(self)
            .await?
            .into_iter()
            .map(to_draft)
            .collect())
    }

    async fn discard(&self, owner: &str, form_id: &str) -> Result<u64, StoreError> {
        discard_in(self, self.id(), owner, form_id).await
    }

    async fn to_warn(
        &self,
        now: DateTime<Utc>,
        by: DateTime<Utc>,
    ) -> Result<Vec<Draft>, StoreError> {
        Ok(draft::Entity::find()
            .filter(draft::Column::Administration.eq(self.admin()))
            .filter(draft::Column::WarnedAt.is_null())
            .filter(draft::Column::ExpiresAt.lte(by))
            .filter(draft::Column::ExpiresAt.gt(now))
            .filter(draft::Column::Email.is_not_null())
            .all(self)
            .await?
            .into_iter()
            .map(to_draft)
            .collect())
    }

    async fn claim_warning(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let claimed = draft::Entity::update_many()
            .col_expr(draft::Column::WarnedAt, Expr::value(Some(now)))
            .filter(draft::Column::Id.eq(id))
            .filter(draft::Column::Administration.eq(self.admin()))
            .filter(draft::Column::WarnedAt.is_null())
            .exec(self)
            .await?;
        Ok(claimed.rows_affected == 1)
    }

    async fn release_warning(&self, id: &str) -> Result<(), StoreError> {
        draft::Entity::update_many()
            .col_expr(
                draft::Column::WarnedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(draft::Column::Id.eq(id))
            .filter(draft::Column::Administration.eq(self.admin()))
            .exec(self)
            .await?;
        Ok(())
    }

    async fn delete_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(draft::Entity::delete_many()
            .filter(draft::Column::Administration.eq(self.admin()))
            .filter(draft::Column::ExpiresAt.lte(now))
            .exec(self)
            .await?
            .rows_affected)
    }
}
