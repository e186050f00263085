//! The hash chain over annulments: each annulment's hash covers its fields, the hash of the
//! entry it annuls and the previous annulment's hash, so that an annulment inserted, changed or
//! removed in the middle, even directly in the database, is evident. Annulments recorded before
//! the chain existed carry empty hashes and may only precede the chained ones.

use chrono::SecondsFormat;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::chain::{Inconsistency, GENESIS};
use super::{annulment, entry};

#[derive(Serialize)]
struct Canonical<'a> {
    prev_hash: &'a str,
    entry_id: i64,
    entry_hash: &'a str,
    authorising_act: &'a str,
    operator: &'a str,
    reason: &'a str,
    annulled_at: String,
}

/// The hash of annulment `a` of the entry whose hash is `entry_hash`.
pub fn annulment_hash(a: &annulment::Model, entry_hash: &str) -> String {
    let canonical = Canonical {
        prev_hash: &a.prev_hash,
        entry_id: a.entry_id,
        entry_hash,
        authorising_act: &a.authorising_act,
        operator: &a.operator,
        reason: &a.reason,
        annulled_at: a.annulled_at.to_rfc3339_opts(SecondsFormat::Micros, true),
    };
    let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hash the next annulment links to.
pub async fn head(db: &impl ConnectionTrait) -> Result<String, DbErr> {
    Ok(annulment::Entity::find()
        .order_by_desc(annulment::Column::Id)
        .one(db)
        .await?
        .map(|a| a.annulment_hash)
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| GENESIS.to_owned()))
}

/// Checks every annulment against `entries` (all the register's entries).
pub async fn check(
    db: &impl ConnectionTrait,
    entries: &[entry::Model],
) -> Result<Result<(), Inconsistency>, DbErr> {
    let annulments = annulment::Entity::find()
        .order_by_asc(annulment::Column::Id)
        .all(db)
        .await?;
    let mut expected_prev = GENESIS.to_owned();
    let mut chained = false;
    for a in &annulments {
        let e = entries.iter().find(|e| e.id == a.entry_id);
        let fail = |problem: &str| Inconsistency {
            register: e.map(|e| e.register.clone()).unwrap_or_default(),
            year: e.map(|e| e.year).unwrap_or_default(),
            number: e.map(|e| e.number).unwrap_or_default(),
            problem: format!("annulment {}: {problem}", a.id),
        };
        let Some(e) = e else {
            return Ok(Err(fail("it annuls an entry that does not exist")));
        };
        if a.annulment_hash.is_empty() && a.prev_hash.is_empty() && !chained {
            continue;
        }
        chained = true;
        if a.prev_hash != expected_prev {
            return Ok(Err(fail(
                "the link to the previous annulment is broken: one was added or removed",
            )));
        }
        if annulment_hash(a, &e.entry_hash) != a.annulment_hash {
            return Ok(Err(fail("it does not match its hash: it was altered")));
        }
        expected_prev = a.annulment_hash.clone();
    }
    Ok(Ok(()))
}
