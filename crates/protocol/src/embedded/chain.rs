//! The hash chain over the register's entries: each entry's hash covers every registration
//! field and the previous entry's hash, so that changing, removing or inserting an entry, even
//! directly in the database, breaks the chain at that point.

use chrono::SecondsFormat;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{entry, sequence};

/// The hash before the first entry of a register and year.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Serialize)]
struct Canonical<'a> {
    prev_hash: &'a str,
    aoo: &'a str,
    register: &'a str,
    year: i32,
    number: i64,
    registered_at: String,
    direction: &'a str,
    subject: &'a str,
    classification: &'a str,
    correspondent: &'a str,
    primary_name: &'a str,
    primary_mime: &'a str,
    primary_sha256: &'a str,
    primary_size: i64,
    attachments: &'a str,
    attachment_count: i32,
    idempotency_key: &'a str,
    segnatura: &'a str,
    // Absent from the hash when empty, so that entries made before case files keep theirs.
    #[serde(skip_serializing_if = "str::is_empty")]
    case_file_code: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    case_file_name: &'a str,
}

/// The hash of an entry (its `entry_hash` field is not part of it).
pub fn entry_hash(e: &entry::Model) -> String {
    let canonical = Canonical {
        prev_hash: &e.prev_hash,
        aoo: &e.aoo,
        register: &e.register,
        year: e.year,
        number: e.number,
        registered_at: e.registered_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        direction: &e.direction,
        subject: &e.subject,
        classification: &e.classification,
        correspondent: &e.correspondent,
        primary_name: &e.primary_name,
        primary_mime: &e.primary_mime,
        primary_sha256: &e.primary_sha256,
        primary_size: e.primary_size,
        attachments: &e.attachments,
        attachment_count: e.attachment_count,
        idempotency_key: &e.idempotency_key,
        segnatura: &e.segnatura,
        case_file_code: &e.case_file_code,
        case_file_name: &e.case_file_name,
    };
    let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first inconsistency found, named so that an auditor can find it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{register} {year} n. {number:07}: {problem}")]
pub struct Inconsistency {
    pub register: String,
    pub year: i32,
    pub number: i64,
    pub problem: String,
}

/// Checks every register and year of AOO `aoo`: numbers from 1 without gaps, each entry's hash, each link,
/// and that the sequence's last number and hash match the last entry. Returns how many entries
/// were verified.
pub async fn verify(
    db: &impl ConnectionTrait,
    aoo: &str,
) -> Result<Result<usize, Inconsistency>, DbErr> {
    let entries = entry::Entity::find()
        .filter(entry::Column::Aoo.eq(aoo))
        .order_by_asc(entry::Column::Aoo)
        .order_by_asc(entry::Column::Register)
        .order_by_asc(entry::Column::Year)
        .order_by_asc(entry::Column::Number)
        .all(db)
        .await?;
    let sequences = sequence::Entity::find()
        .filter(sequence::Column::Aoo.eq(aoo))
        .all(db)
        .await?;
    let mut previous: Option<&entry::Model> = None;
    for e in &entries {
        let same_run = previous
            .is_some_and(|p| p.aoo == e.aoo && p.register == e.register && p.year == e.year);
        let (expected_number, expected_prev) = match previous {
            Some(p) if same_run => (p.number + 1, p.entry_hash.as_str()),
            _ => (1, GENESIS),
        };
        if !same_run {
            if let Some(p) = previous {
                if let Err(i) = check_sequence(&sequences, p) {
                    return Ok(Err(i));
                }
            }
        }
        let fail = |problem: String| Inconsistency {
            register: e.register.clone(),
            year: e.year,
            number: e.number,
            problem,
        };
        if e.number != expected_number {
            return Ok(Err(fail(format!(
                "expected number {expected_number:07}: a registration is missing or was added"
            ))));
        }
        if e.prev_hash != expected_prev {
            return Ok(Err(fail("the link to the previous entry is broken".into())));
        }
        if entry_hash(e) != e.entry_hash {
            return Ok(Err(fail(
                "the entry does not match its hash: it was altered".into(),
            )));
        }
        previous = Some(e);
    }
    if let Some(p) = previous {
        if let Err(i) = check_sequence(&sequences, p) {
            return Ok(Err(i));
        }
    }
    // A register and year whose every entry was removed leaves only its sequence behind.
    for s in sequences.iter().filter(|s| s.last_number > 0) {
        let present = entries
            .iter()
            .any(|e| e.aoo == s.aoo && e.register == s.register && e.year == s.year);
        if !present {
            return Ok(Err(Inconsistency {
                register: s.register.clone(),
                year: s.year,
                number: s.last_number,
                problem: "every entry of this register and year was removed".into(),
            }));
        }
    }
    if let Err(i) = super::annulment_chain::check(db, &entries).await? {
        return Ok(Err(i));
    }
    Ok(Ok(entries.len()))
}

fn check_sequence(sequences: &[sequence::Model], last: &entry::Model) -> Result<(), Inconsistency> {
    let fail = |problem: &str| Inconsistency {
        register: last.register.clone(),
        year: last.year,
        number: last.number,
        problem: problem.to_owned(),
    };
    let s = sequences
        .iter()
        .find(|s| s.aoo == last.aoo && s.register == last.register && s.year == last.year)
        .ok_or_else(|| fail("no sequence for this register and year"))?;
    if s.last_number != last.number || s.last_hash != last.entry_hash {
        return Err(fail("the last entries of the register were removed"));
    }
    Ok(())
}
