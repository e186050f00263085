//! [`TokenStore`] over sea-orm: `api_tokens`, scoped to one administration.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

use super::tokens::{Credential, TokenStore};
use super::StoreError;
use crate::db::api_token;
use crate::db::scope::Scoped;

impl TokenStore for Scoped {
    async fn add_credential(&self, mut credential: Credential) -> Result<(), StoreError> {
        credential.administration = self.admin().to_owned();
        credential
            .into_active_model()
            .reset_all()
            .insert(self)
            .await?;
        Ok(())
    }

    async fn credential(&self, id: &str) -> Result<Option<Credential>, StoreError> {
        Ok(api_token::Entity::find_by_id(id)
            .filter(api_token::Column::Administration.eq(self.admin()))
            .one(self)
            .await?)
    }

    async fn credentials_of(&self, person: &str) -> Result<Vec<Credential>, StoreError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::Administration.eq(self.admin()))
            .filter(api_token::Column::Person.eq(person))
            .filter(api_token::Column::Kind.ne("access"))
            .order_by_desc(api_token::Column::CreatedAt)
            .all(self)
            .await?)
    }

    async fn revoke_credential(
        &self,
        person: &str,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.begin().await?;
        let revoked = api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(at))
            .filter(api_token::Column::Administration.eq(self.admin()))
            .filter(api_token::Column::Person.eq(person))
            .filter(api_token::Column::RevokedAt.is_null())
            .filter(
                Condition::any()
                    .add(api_token::Column::Id.eq(id))
                    .add(api_token::Column::Parent.eq(id)),
            )
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(revoked.rows_affected > 0)
    }
}
