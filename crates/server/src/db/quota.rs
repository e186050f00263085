//! The per-citizen quota of files not yet submitted (`max_pending_bytes_per_owner`), held by
//! the database so that it holds under parallel uploads and across server processes. Each
//! administration keeps its own: what a citizen holds at one neither counts nor waits at
//! another.
//!
//! An upload reserves bytes before its first byte is read, and the reservation becomes the
//! stored file (or is given back) when it ends. What counts is the stored files not part of an
//! application plus the live reservations. Each reservation and each settlement runs in a
//! transaction that first writes the citizen's `upload_owners` row: PostgreSQL then puts that
//! citizen's transactions one after the other on the row lock (and each later statement sees
//! what the earlier transaction committed, under READ COMMITTED), SQLite on its write lock.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
};

use super::{attachment, content, upload_owner, upload_reservation};

/// How long a reservation counts while its upload has not ended: far longer than an upload of
/// the largest file takes, short enough that a crash does not hold a citizen's quota for long.
pub const RESERVATION_TTL_MINUTES: i64 = 60;

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn as_u64(n: Option<Option<i64>>) -> u64 {
    n.flatten().map_or(0, |t| u64::try_from(t).unwrap_or(0))
}

/// Writes the citizen's row: from here to the commit, no other quota transaction of the same
/// citizen at the same administration runs.
async fn lock(txn: &impl ConnectionTrait, admin: &str, owner: &str) -> Result<(), DbErr> {
    upload_owner::Entity::insert(upload_owner::ActiveModel {
        administration: Set(admin.to_owned()),
        owner: Set(owner.to_owned()),
        serial: Set(0),
    })
    .on_conflict(
        OnConflict::columns([
            upload_owner::Column::Administration,
            upload_owner::Column::Owner,
        ])
        .value(
            upload_owner::Column::Serial,
            Expr::col((upload_owner::Entity, upload_owner::Column::Serial)).add(1),
        )
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// What counts against `owner`'s quota at `now`: the files not yet part of an application
/// that the citizen keeps at administration `admin`, and their uploads to it in flight.
async fn pending(
    conn: &impl ConnectionTrait,
    admin: &str,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    // Cast: PostgreSQL sums a BIGINT column as NUMERIC.
    let stored: Option<Option<i64>> = attachment::Entity::find()
        .select_only()
        .column_as(
            Expr::col(attachment::Column::Size)
                .sum()
                .cast_as(Alias::new("BIGINT")),
            "total",
        )
        .filter(attachment::Column::Administration.eq(admin))
        .filter(attachment::Column::Owner.eq(owner))
        .filter(attachment::Column::SubmissionId.is_null())
        .into_tuple()
        .one(conn)
        .await?;
    let held: Option<Option<i64>> = upload_reservation::Entity::find()
        .select_only()
        .column_as(
            Expr::col(upload_reservation::Column::Bytes)
                .sum()
                .cast_as(Alias::new("BIGINT")),
            "total",
        )
        .filter(upload_reservation::Column::Administration.eq(admin))
        .filter(upload_reservation::Column::Owner.eq(owner))
        .filter(upload_reservation::Column::ExpiresAt.gt(now))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(as_u64(stored).saturating_add(as_u64(held)))
}

/// Reserves up to `want` bytes of `owner`'s `quota` for upload `id`: returns how many it got
/// (what was left, if less; 0 is no reservation at all).
pub async fn reserve(
    db: &super::scope::Scoped,
    id: &str,
    owner: &str,
    want: u64,
    quota: u64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    lock(&txn, db.admin(), owner).await?;
    let room = quota.saturating_sub(pending(&txn, db.admin(), owner, now).await?);
    let bytes = want.min(room);
    if bytes > 0 {
        upload_reservation::Entity::insert(upload_reservation::ActiveModel {
            id: Set(id.to_owned()),
            administration: Set(db.admin().to_owned()),
            owner: Set(owner.to_owned()),
            bytes: Set(as_i64(bytes)),
            expires_at: Set(now + Duration::minutes(RESERVATION_TTL_MINUTES)),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(bytes)
}

/// How an upload's reservation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Stored,
    /// The reservation expired and was cleaned away while the upload went on.
    Lapsed,
    /// The reservation had expired and the file no longer fits.
    OverQuota,
}

/// Turns the reservation of `file.id` into the stored `file`, in one transaction. When it is
/// not [`Settled::Stored`], nothing is stored and the chunks written under the id are deleted.
pub async fn settle(
    db: &super::scope::Scoped,
    file: attachment::Model,
    quota: u64,
    now: DateTime<Utc>,
) -> Result<Settled, DbErr> {
    let txn = db.begin().await?;
    lock(&txn, db.admin(), &file.owner).await?;
    let held = upload_reservation::Entity::delete_many()
        .filter(upload_reservation::Column::Administration.eq(db.admin()))
        .filter(upload_reservation::Column::Id.eq(&file.id))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    // A live reservation always fits (everyone else counted it); an expired one may not.
    let size = u64::try_from(file.size).unwrap_or(u64::MAX);
    let settled = if !held {
        Settled::Lapsed
    } else if pending(&txn, db.admin(), &file.owner, now)
        .await?
        .saturating_add(size)
        > quota
    {
        Settled::OverQuota
    } else {
        Settled::Stored
    };
    if settled == Settled::Stored {
        attachment::Entity::insert(attachment::ActiveModel::from(file))
            .exec_without_returning(&txn)
            .await?;
    } else {
        content::delete_chunks(&txn, &file.administration, &file.id).await?;
    }
    txn.commit().await?;
    Ok(settled)
}

/// Gives back the reservation of upload `id` and deletes what it wrote (a refused or failed
/// upload).
pub async fn release(db: &super::scope::Scoped, id: &str) -> Result<(), DbErr> {
    let admin = db.admin();
    let txn = db.begin().await?;
    upload_reservation::Entity::delete_many()
        .filter(upload_reservation::Column::Administration.eq(admin))
        .filter(upload_reservation::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    content::delete_chunks(&txn, admin, id).await?;
    txn.commit().await
}

/// Deletes the reservations of administration `db` expired before `now`, with the chunks their
/// uploads wrote, and the per-citizen rows no reservation needs. Returns how many reservations
/// went.
pub async fn purge_expired(db: &super::scope::Scoped, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let admin = db.admin();
    let expired: Vec<String> = upload_reservation::Entity::find()
        .select_only()
        .column(upload_reservation::Column::Id)
        .filter(upload_reservation::Column::Administration.eq(admin))
        .filter(upload_reservation::Column::ExpiresAt.lte(now))
        .into_tuple()
        .all(db)
        .await?;
    let mut gone = 0;
    for id in expired {
        // The chunks go only with the reservation: if the upload settled meanwhile, its
        // reservation is no longer there to delete and the file keeps its bytes.
        let txn = db.begin().await?;
        let deleted = upload_reservation::Entity::delete_many()
            .filter(upload_reservation::Column::Administration.eq(admin))
            .filter(upload_reservation::Column::Id.eq(&id))
            .filter(upload_reservation::Column::ExpiresAt.lte(now))
            .exec(&txn)
            .await?;
        if deleted.rows_affected == 1 {
            content::delete_chunks(&txn, admin, &id).await?;
            gone += 1;
        }
        txn.commit().await?;
    }
    upload_owner::Entity::delete_many()
        .filter(upload_owner::Column::Administration.eq(admin))
        .filter(
            upload_owner::Column::Owner.not_in_subquery(
                Query::select()
                    .column(upload_reservation::Column::Owner)
                    .from(upload_reservation::Entity)
                    .and_where(Expr::col(upload_reservation::Column::Administration).eq(admin))
                    .to_owned(),
            ),
        )
        .exec(db)
        .await?;
    Ok(gone)
}
