//! The embedded register: the protocol register kept in the platform's own database.
//!
//! Numbering: one row per (AOO, register, year) in `protocol_sequences` holds the last number.
//! A filing increments it and inserts the entry in the same transaction, so a number exists only
//! if its entry does (gapless) and concurrent filings queue on the row (unique). The first
//! statement of the transaction is a write, so that SQLite takes its write lock at once instead
//! of failing a read-to-write upgrade.

pub mod annulment;
pub mod annulment_chain;
pub mod chain;
pub mod daily;
mod daily_pdf;
pub mod entry;
mod records;
pub mod sequence;

pub use records::Annulment;

use chrono::{DateTime, Datelike, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    SqlErr, TransactionTrait,
};

use crate::{rome, Clock, ProtocolError, Receipt, Register, Registration, Result};

/// Identity of the register inside the administration.
#[derive(Debug, Clone)]
pub struct RegisterIdentity {
    /// IPA code of the administration (CodiceAmministrazione).
    pub ipa_code: String,
    /// IPA code of the AOO (CodiceAOO).
    pub aoo: String,
    /// Register code (CodiceRegistro), e.g. `PROT`.
    pub register: String,
}

/// The embedded register over a sea-orm connection (SQLite or PostgreSQL).
#[derive(Debug, Clone)]
pub struct EmbeddedRegister {
    db: DatabaseConnection,
    id: RegisterIdentity,
}

/// How many times a filing is retried when concurrent writers collide.
const ATTEMPTS: usize = 20;

impl EmbeddedRegister {
    /// The register on `db`, whose tables come from [`crate::migration`].
    pub fn new(db: DatabaseConnection, id: RegisterIdentity) -> EmbeddedRegister {
        EmbeddedRegister { db, id }
    }

    fn receipt(&self, e: &entry::Model) -> Receipt {
        Receipt {
            register: e.register.clone(),
            year: e.year,
            number: e.number,
            registered_at: e.registered_at,
            segnatura: e.segnatura.clone(),
        }
    }

    /// The segnatura (DPCM 3/12/2013 art. 9) as a line of text: administration, AOO, register,
    /// number and Italian date.
    fn segnatura(&self, number: i64, now: DateTime<Utc>) -> String {
        format!(
            "{} - {} - {} - Prot. N. {:07} del {}",
            self.id.ipa_code,
            self.id.aoo,
            self.id.register,
            number,
            rome::local(now).format("%d/%m/%Y")
        )
    }

    async fn try_file(&self, reg: &Registration, clock: &dyn Clock) -> Result<Receipt> {
        let year = rome::local(clock.now()).year();
        let txn = self.db.begin().await?;
        sequence::Entity::insert(sequence::ActiveModel {
            aoo: Set(self.id.aoo.clone()),
            register: Set(self.id.register.clone()),
            year: Set(year),
            last_number: Set(0),
            last_hash: Set(chain::GENESIS.to_owned()),
        })
        .on_conflict(
            OnConflict::columns([
                sequence::Column::Aoo,
                sequence::Column::Register,
                sequence::Column::Year,
            ])
            .do_nothing()
            .to_owned(),
        )
        .do_nothing()
        .exec(&txn)
        .await?;
        let updated = sequence::Entity::update_many()
            .col_expr(
                sequence::Column::LastNumber,
                Expr::col(sequence::Column::LastNumber).add(1),
            )
            .filter(sequence::Column::Aoo.eq(&self.id.aoo))
            .filter(sequence::Column::Register.eq(&self.id.register))
            .filter(sequence::Column::Year.eq(year))
            .exec_with_returning(&txn)
            .await?;
        let (number, prev_hash) = updated
            .first()
            .map(|s| (s.last_number, s.last_hash.clone()))
            .ok_or(ProtocolError::Busy)?;
        // The clock is read only now, holding the sequence row: times follow numbers. A
        // filing that waited across midnight of 31 December starts again in the new year.
        // Microseconds: what every supported database keeps, so the hash can be recomputed.
        let now = clock.now().trunc_subsecs(6);
        if rome::local(now).year() != year {
            txn.rollback().await?;
            return Err(ProtocolError::YearChanged);
        }
        let mut record = entry::Model {
            id: 0,
            aoo: self.id.aoo.clone(),
            register: self.id.register.clone(),
            year,
            number,
            registered_at: now,
            direction: reg.direction.code().to_owned(),
            subject: reg.subject.trim().to_owned(),
            classification: reg.classification.clone(),
            correspondent: json(&reg.correspondent)?,
            primary_name: reg.primary.file_name.clone(),
            primary_mime: reg.primary.mime_type.clone(),
            primary_sha256: reg.primary.sha256.clone(),
            primary_size: i64::try_from(reg.primary.size).unwrap_or(i64::MAX),
            attachments: json(&reg.attachments)?,
            attachment_count: i32::try_from(reg.attachments.len()).unwrap_or(i32::MAX),
            idempotency_key: reg.idempotency_key.clone(),
            segnatura: self.segnatura(number, now),
            case_file_code: reg
                .case_file
                .as_ref()
                .map(|f| f.code.trim().to_owned())
                .unwrap_or_default(),
            case_file_name: reg
                .case_file
                .as_ref()
                .map(|f| f.name.trim().to_owned())
                .unwrap_or_default(),
            prev_hash,
            entry_hash: String::new(),
        };
        record.entry_hash = chain::entry_hash(&record);
        let mut model = entry::ActiveModel::from(record.clone()).reset_all();
        model.id = sea_orm::ActiveValue::NotSet;
        let inserted = entry::Entity::insert(model)
            .exec_with_returning(&txn)
            .await?;
        sequence::Entity::update_many()
            .col_expr(
                sequence::Column::LastHash,
                Expr::value(record.entry_hash.clone()),
            )
            .filter(sequence::Column::Aoo.eq(&self.id.aoo))
            .filter(sequence::Column::Register.eq(&self.id.register))
            .filter(sequence::Column::Year.eq(year))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(self.receipt(&inserted))
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| ProtocolError::Invalid(e.to_string()))
}

fn is_retryable(e: &sea_orm::DbErr) -> bool {
    let text = e.to_string();
    // SQLite: another writer holds the lock past busy_timeout. PostgreSQL: serialization or
    // deadlock detected. Both leave nothing behind: the transaction was rolled back.
    text.contains("database is locked")
        || text.contains("SQLITE_BUSY")
        || text.contains("could not serialize")
        || text.contains("deadlock detected")
}

#[async_trait::async_trait]
impl Register for EmbeddedRegister {
    async fn file(&self, reg: &Registration, clock: &dyn Clock) -> Result<Receipt> {
        reg.check()?;
        for _ in 0..ATTEMPTS {
            if let Some(r) = self.lookup(&reg.idempotency_key).await? {
                return Ok(r);
            }
            match self.try_file(reg, clock).await {
                Ok(r) => return Ok(r),
                Err(ProtocolError::Storage(e))
                    if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
                {
                    // Another process filed the same key first: its receipt is ours.
                    continue;
                }
                Err(ProtocolError::Storage(e)) if is_retryable(&e) => continue,
                Err(ProtocolError::YearChanged) => continue,
                Err(other) => return Err(other),
            }
        }
        Err(ProtocolError::Busy)
    }

    async fn lookup(&self, key: &str) -> Result<Option<Receipt>> {
        Ok(entry::Entity::find()
            .filter(entry::Column::IdempotencyKey.eq(key))
            .one(&self.db)
            .await?
            .map(|e| self.receipt(&e)))
    }
}
