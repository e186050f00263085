//! [`LoginRequestStore`] over sea-orm: the `authn_requests` table, scoped to one
//! administration.

use chrono::{DateTime, Utc};
use istanze_domain::LevelOfAssurance as Level;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::login_requests::{LoginRequest, LoginRequestStore};
use super::StoreError;
use crate::db::authn_request as row;
use crate::db::scope::Scoped;

impl LoginRequestStore for Scoped {
    async fn remember(&self, r: LoginRequest) -> Result<(), StoreError> {
        row::Entity::insert(row::ActiveModel {
            id: Set(r.id),
            administration: Set(self.admin().to_owned()),
            idp: Set(r.provider),
            level: Set(i16::from(r.level.number())),
            next: Set(r.next),
            binding: Set(r.binding),
            created_at: Set(r.created_at),
            used_at: Set(None),
        })
        .exec_without_returning(self)
        .await?;
        Ok(())
    }

    async fn take(
        &self,
        id: &str,
        binding: &str,
        issued_after: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Option<LoginRequest>, StoreError> {
        // One statement decides: of two answers racing for the same request, one marks it.
        let taken = row::Entity::update_many()
            .col_expr(row::Column::UsedAt, Expr::value(Some(now)))
            .filter(row::Column::Id.eq(id))
            .filter(row::Column::Administration.eq(self.admin()))
            .filter(row::Column::UsedAt.is_null())
            .filter(row::Column::Binding.eq(binding))
            .filter(row::Column::CreatedAt.gt(issued_after))
            .exec(self)
            .await?;
        if taken.rows_affected != 1 {
            return Ok(None);
        }
        let Some(r) = row::Entity::find_by_id(id)
            .filter(row::Column::Administration.eq(self.admin()))
            .one(self)
            .await?
        else {
            return Ok(None);
        };
        let level = u8::try_from(r.level)
            .ok()
            .and_then(Level::from_number)
            .ok_or_else(|| StoreError::Corrupt {
                table: "authn_requests",
                why: format!("level {}", r.level),
            })?;
        Ok(Some(LoginRequest {
            id: r.id,
            provider: r.idp,
            level,
            next: r.next,
            binding: r.binding,
            created_at: r.created_at,
        }))
    }

    async fn purge_before(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(row::Entity::delete_many()
            .filter(row::Column::Administration.eq(self.admin()))
            .filter(row::Column::CreatedAt.lt(before))
            .exec(self)
            .await?
            .rows_affected)
    }
}
