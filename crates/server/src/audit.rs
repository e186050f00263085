//! The audit log of staff work (issue 12, and the GDPR's accountability, art. 5(2) and 30):
//! every staff request in the back office and every command that changes roles is recorded
//! before it is served (who, what, on what, when, from where) in an append-only log chained by
//! hashes like the register; [`verify`] walks the chain and names the first entry that is not
//! as it was written, and [`export`] gives the data protection officer the entries of a period,
//! optionally only those about one citizen's applications.

use chrono::{DateTime, Utc};

use crate::store::audit::{entry_hash, AuditStore, Entry, NewEntry, GENESIS};
use crate::store::submissions::SubmissionStore;
use crate::store::StoreError;

/// Why the log could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("audit log: {0}")]
    Store(#[from] StoreError),
}

/// Records `entry` at `at`. A request whose entry cannot be written is not served.
pub async fn record(
    store: &impl AuditStore,
    entry: NewEntry<'_>,
    at: DateTime<Utc>,
) -> Result<Entry, AuditError> {
    Ok(store.append(entry, at).await?)
}

/// The first entry that is not as it was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit log entry {seq}: {problem}")]
pub struct Broken {
    pub seq: i64,
    pub problem: String,
}

const PAGE: u64 = 1000;

/// Checks one administration's chain: numbers from 1 without gaps, each entry's hash, each
/// link, and the head against the last entry. `Ok(Ok(n))`: `n` entries verified.
pub async fn verify(store: &impl AuditStore) -> Result<Result<u64, Broken>, AuditError> {
    let mut expected_seq = 1;
    let mut previous = GENESIS.to_owned();
    let mut count = 0;
    loop {
        let page = store.entries_after(expected_seq - 1, PAGE).await?;
        let len = page.len() as u64;
        for e in page {
            let broken = |problem: &str| Broken {
                seq: e.seq,
                problem: problem.to_owned(),
            };
            if e.seq != expected_seq {
                return Ok(Err(Broken {
                    seq: expected_seq,
                    problem: format!("missing (the next entry is {})", e.seq),
                }));
            }
            if e.prev_hash != previous {
                return Ok(Err(broken("the link to the previous entry is broken")));
            }
            if entry_hash(&e) != e.entry_hash {
                return Ok(Err(broken("it does not match its hash: it was altered")));
            }
            previous = e.entry_hash;
            expected_seq += 1;
            count += 1;
        }
        if len < PAGE {
            break;
        }
    }
    let last = expected_seq - 1;
    match store.head().await? {
        None if last == 0 => Ok(Ok(0)),
        Some((seq, hash)) if seq == last && hash == previous => Ok(Ok(count)),
        Some((seq, _)) if seq > last => Ok(Err(Broken {
            seq: last + 1,
            problem: format!("missing: the log ends at {last}, its head at {seq}"),
        })),
        _ => Ok(Err(Broken {
            seq: last,
            problem: "the log's head does not match its last entry".into(),
        })),
    }
}

/// The entries from `from` to `to` (inclusive); with `citizen` (an owner key, the fiscal code),
/// only those about that citizen or one of their applications.
pub async fn export(
    store: &(impl AuditStore + SubmissionStore),
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    citizen: Option<&str>,
) -> Result<Vec<Entry>, AuditError> {
    let theirs: Option<Vec<String>> = match citizen {
        Some(owner) => {
            let mut ids: Vec<String> = store
                .submitted_by(owner)
                .await?
                .into_iter()
                .map(|s| s.id)
                .collect();
            ids.push(owner.to_owned());
            Some(ids)
        }
        None => None,
    };
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = store.entries_after(after, PAGE).await?;
        let len = page.len() as u64;
        for e in page {
            after = e.seq;
            let in_time = e.at >= from && e.at <= to;
            let about = theirs.as_ref().is_none_or(|ids| ids.contains(&e.object));
            if in_time && about {
                out.push(e);
            }
        }
        if len < PAGE {
            break;
        }
    }
    Ok(out)
}
