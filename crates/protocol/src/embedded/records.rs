//! Reading the register, annulling a registration (art. 54) and verifying the hash chain.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, SqlErr};

use super::{annulment, chain, entry, EmbeddedRegister};
use crate::{ProtocolError, Result};

/// The authorisation and motivation of an annulment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annulment {
    /// Reference of the records manager's authorising act (e.g. "Provvedimento n. 12/2026").
    pub authorising_act: String,
    pub operator: String,
    pub reason: String,
}

impl EmbeddedRegister {
    /// The registration filed with `key`.
    pub async fn entry_by_key(&self, key: &str) -> Result<Option<entry::Model>> {
        Ok(entry::Entity::find()
            .filter(entry::Column::IdempotencyKey.eq(key))
            .one(&self.db)
            .await?)
    }

    /// The database the register lives in (adapters built on it keep their state there too).
    pub fn connection(&self) -> &sea_orm::DatabaseConnection {
        &self.db
    }

    /// A registration by year and number, with its annulment if any.
    pub async fn entry(
        &self,
        year: i32,
        number: i64,
    ) -> Result<Option<(entry::Model, Option<annulment::Model>)>> {
        let Some(e) = entry::Entity::find()
            .filter(entry::Column::Aoo.eq(&self.id.aoo))
            .filter(entry::Column::Register.eq(&self.id.register))
            .filter(entry::Column::Year.eq(year))
            .filter(entry::Column::Number.eq(number))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let a = annulment::Entity::find()
            .filter(annulment::Column::EntryId.eq(e.id))
            .one(&self.db)
            .await?;
        Ok(Some((e, a)))
    }

    /// Annuls a registration. The entry stays as it was; the annulment is recorded once.
    pub async fn annul(
        &self,
        year: i32,
        number: i64,
        a: &Annulment,
        now: DateTime<Utc>,
    ) -> Result<annulment::Model> {
        for (what, value) in [
            ("authorising act", &a.authorising_act),
            ("operator", &a.operator),
            ("reason", &a.reason),
        ] {
            if value.trim().is_empty() {
                return Err(ProtocolError::Invalid(format!("annulment without {what}")));
            }
        }
        let (e, existing) = self
            .entry(year, number)
            .await?
            .ok_or(ProtocolError::NotFound)?;
        if existing.is_some() {
            return Err(ProtocolError::AlreadyAnnulled);
        }
        let row = annulment::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            entry_id: Set(e.id),
            authorising_act: Set(a.authorising_act.trim().to_owned()),
            operator: Set(a.operator.trim().to_owned()),
            reason: Set(a.reason.trim().to_owned()),
            annulled_at: Set(now.trunc_subsecs(6)),
        };
        match annulment::Entity::insert(row)
            .exec_with_returning(&self.db)
            .await
        {
            Ok(m) => Ok(m),
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                Err(ProtocolError::AlreadyAnnulled)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Verifies the hash chain of every register and year in the database.
    pub async fn verify(&self) -> Result<std::result::Result<usize, chain::Inconsistency>> {
        Ok(chain::verify(&self.db).await?)
    }
}
