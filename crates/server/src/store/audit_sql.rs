//! [`AuditStore`] over sea-orm: `audit_log` and `audit_heads`, scoped to one administration.
//! An append takes the head's row first (a write, so SQLite takes its lock at once and
//! PostgreSQL queues concurrent appends on the row): numbers stay gapless and the chain never
//! forks.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::audit::{entry_hash, AuditStore, Entry, NewEntry, GENESIS};
use super::StoreError;
use crate::db::scope::Scoped;
use crate::db::{audit_entry, audit_head};

impl AuditStore for Scoped {
    async fn append(&self, e: NewEntry<'_>, at: DateTime<Utc>) -> Result<Entry, StoreError> {
        let txn = self.begin().await?;
        audit_head::Entity::insert(audit_head::ActiveModel {
            administration: Set(self.admin().to_owned()),
            last_seq: Set(0),
            last_hash: Set(GENESIS.to_owned()),
        })
        .on_conflict(
            OnConflict::column(audit_head::Column::Administration)
                .do_nothing()
                .to_owned(),
        )
        .do_nothing()
        .exec(&txn)
        .await?;
        let head = audit_head::Entity::update_many()
            .col_expr(
                audit_head::Column::LastSeq,
                Expr::col(audit_head::Column::LastSeq).add(1),
            )
            .filter(audit_head::Column::Administration.eq(self.admin()))
            .exec_with_returning(&txn)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::Corrupt {
                table: "audit_heads",
                why: "no head after its insert".into(),
            })?;
        let mut entry = Entry {
            id: 0,
            administration: self.admin().to_owned(),
            seq: head.last_seq,
            at: at.trunc_subsecs(6),
            actor: e.actor.to_owned(),
            action: e.action.to_owned(),
            object: e.object.to_owned(),
            origin: e.origin.to_owned(),
            details: e.details.to_string(),
            prev_hash: head.last_hash,
            entry_hash: String::new(),
        };
        entry.entry_hash = entry_hash(&entry);
        let mut row = audit_entry::ActiveModel::from(entry.clone()).reset_all();
        row.id = sea_orm::ActiveValue::NotSet;
        let stored = audit_entry::Entity::insert(row)
            .exec_with_returning(&txn)
            .await?;
        audit_head::Entity::update_many()
            .col_expr(
                audit_head::Column::LastHash,
                Expr::value(entry.entry_hash.clone()),
            )
            .filter(audit_head::Column::Administration.eq(self.admin()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(stored)
    }

    async fn entries_after(&self, after: i64, limit: u64) -> Result<Vec<Entry>, StoreError> {
        Ok(audit_entry::Entity::find()
            .filter(audit_entry::Column::Administration.eq(self.admin()))
            .filter(audit_entry::Column::Seq.gt(after))
            .order_by_asc(audit_entry::Column::Seq)
            .limit(limit)
            .all(self)
            .await?)
    }

    async fn head(&self) -> Result<Option<(i64, String)>, StoreError> {
        Ok(audit_head::Entity::find_by_id(self.admin())
            .one(self)
            .await?
            .map(|h| (h.last_seq, h.last_hash)))
    }
}
