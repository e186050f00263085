//! [`SessionStore`] over sea-orm: the `sessions` table, scoped to one administration.

use chrono::{DateTime, Utc};
use istanze_auth::saml::logout::SamlSession;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::sessions::{SessionStore, StoredSession};
use super::StoreError;
use crate::db::scope::Scoped;
use crate::db::session;

impl SessionStore for Scoped {
    async fn open(&self, s: StoredSession) -> Result<(), StoreError> {
        let saml = s.saml.as_ref();
        session::Entity::insert(session::ActiveModel {
            id: Set(s.id),
            administration: Set(self.admin().to_owned()),
            identity: Set(s.principal),
            csrf: Set(s.csrf),
            saml_idp: Set(saml.map(|x| x.idp.clone())),
            saml_name_id: Set(saml.map(|x| x.name_id.clone())),
            saml_name_qualifier: Set(saml.map(|x| x.name_qualifier.clone())),
            saml_session_index: Set(saml.and_then(|x| x.session_index.clone())),
            created_at: Set(s.created_at),
            expires_at: Set(s.expires_at),
        })
        .exec_without_returning(self)
        .await?;
        Ok(())
    }

    async fn live(
        &self,
        id: &str,
        now: DateTime<Utc>,
        started_after: DateTime<Utc>,
    ) -> Result<Option<StoredSession>, StoreError> {
        let row = session::Entity::find_by_id(id)
            .filter(session::Column::Administration.eq(self.admin()))
            .filter(session::Column::ExpiresAt.gt(now))
            .filter(session::Column::CreatedAt.gt(started_after))
            .one(self)
            .await?;
        Ok(row.map(|r| StoredSession {
            saml: match (r.saml_idp, r.saml_name_id) {
                (Some(idp), Some(name_id)) => Some(SamlSession {
                    idp,
                    name_id,
                    name_qualifier: r.saml_name_qualifier.unwrap_or_default(),
                    session_index: r.saml_session_index,
                }),
                _ => None,
            },
            id: r.id,
            principal: r.identity,
            csrf: r.csrf,
            created_at: r.created_at,
            expires_at: r.expires_at,
        }))
    }

    async fn extend(&self, id: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
        session::Entity::update_many()
            .col_expr(session::Column::ExpiresAt, Expr::value(until))
            .filter(session::Column::Id.eq(id))
            .filter(session::Column::Administration.eq(self.admin()))
            .exec(self)
            .await?;
        Ok(())
    }

    async fn close(&self, id: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(id)
            .filter(session::Column::Administration.eq(self.admin()))
            .exec(self)
            .await?;
        Ok(())
    }

    async fn close_saml(
        &self,
        idp: &str,
        name_id: &str,
        session_index: Option<&str>,
    ) -> Result<u64, StoreError> {
        let mut query = session::Entity::delete_many()
            .filter(session::Column::Administration.eq(self.admin()))
            .filter(session::Column::SamlIdp.eq(idp))
            .filter(session::Column::SamlNameId.eq(name_id));
        if let Some(index) = session_index {
            query = query.filter(session::Column::SamlSessionIndex.eq(index));
        }
        Ok(query.exec(self).await?.rows_affected)
    }

    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(session::Entity::delete_many()
            .filter(session::Column::Administration.eq(self.admin()))
            .filter(session::Column::ExpiresAt.lt(now))
            .exec(self)
            .await?
            .rows_affected)
    }
}
