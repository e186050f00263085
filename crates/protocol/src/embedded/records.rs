//! Reading the register, annulling a registration (art. 54) and verifying the hash chain.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, SqlErr, TransactionTrait};

use super::{annulment, annulment_chain, chain, entry, EmbeddedRegister, ATTEMPTS};
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
        // Concurrent annulments race for the same chain head: the unique index on `prev_hash`
        // lets one win, and the other links to it on its next turn.
        for _ in 0..ATTEMPTS {
            let txn = self.db.begin().await?;
            let mut record = annulment::Model {
                id: 0,
                entry_id: e.id,
                authorising_act: a.authorising_act.trim().to_owned(),
                operator: a.operator.trim().to_owned(),
                reason: a.reason.trim().to_owned(),
                annulled_at: now.trunc_subsecs(6),
                prev_hash: annulment_chain::head(&txn).await?,
                annulment_hash: String::new(),
            };
            record.annulment_hash = annulment_chain::annulment_hash(&record, &e.entry_hash);
            let mut row = annulment::ActiveModel::from(record).reset_all();
            row.id = sea_orm::ActiveValue::NotSet;
            match annulment::Entity::insert(row)
                .exec_with_returning(&txn)
                .await
            {
                Ok(m) => {
                    txn.commit().await?;
                    return Ok(m);
                }
                Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    txn.rollback().await?;
                    if self
                        .entry(year, number)
                        .await?
                        .is_some_and(|(_, x)| x.is_some())
                    {
                        return Err(ProtocolError::AlreadyAnnulled);
                    }
                }
                Err(err) => return Err(err.into()),
            }
        }
        Err(ProtocolError::Busy)
    }

    /// Verifies the hash chain of every register and year of this AOO (each AOO of an
    /// installation keeps its own registers, and is verified on its own).
    pub async fn verify(&self) -> Result<std::result::Result<usize, chain::Inconsistency>> {
        Ok(chain::verify(&self.db, &self.id.aoo).await?)
    }
}
