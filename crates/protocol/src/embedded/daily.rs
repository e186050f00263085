//! The daily register (registro giornaliero di protocollo): the registrations of one Italian
//! calendar day, with their digests and the hash chain's head at the end of the day, for the
//! conservation system. Sent outside the database, it also anchors the hash chain: entries
//! rewritten later no longer match what was sent.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use super::{annulment, entry, EmbeddedRegister};
use crate::{rome, Result};

/// One registration in the daily register.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DailyEntry {
    pub year: i32,
    pub number: String,
    pub registered_at: String,
    pub direction: String,
    pub subject: String,
    pub classification: String,
    pub correspondent: serde_json::Value,
    pub primary_document: String,
    pub primary_sha256: String,
    pub attachments: usize,
    pub segnatura: String,
    pub entry_hash: String,
    /// Present when the registration was annulled (by the time the register was produced).
    pub annulled: Option<String>,
}

/// The daily register of one day.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DailyRegister {
    pub ipa_code: String,
    pub aoo: String,
    pub register: String,
    pub date: String,
    pub count: usize,
    pub entries: Vec<DailyEntry>,
    /// `entry_hash` of the day's last registration (empty on a day without registrations).
    pub chain_head: String,
    pub produced_at: String,
}

/// The UTC instant of midnight at the start of `date` in Italy.
pub fn italian_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_time(NaiveTime::MIN).and_utc();
    // Italy is UTC+1 or UTC+2; the right offset is the one that lands on local midnight.
    [1, 2]
        .into_iter()
        .map(|h| naive - Duration::hours(h))
        .find(|t| rome::local(*t).date_naive() == date && rome::local(*t).time() == NaiveTime::MIN)
        .unwrap_or(naive - Duration::hours(1))
}

impl EmbeddedRegister {
    /// The daily register of `date` (Italian calendar day).
    pub async fn daily_register(
        &self,
        date: NaiveDate,
        produced_at: DateTime<Utc>,
    ) -> Result<DailyRegister> {
        let from = italian_midnight(date);
        let to = italian_midnight(date.succ_opt().unwrap_or(date));
        let rows = entry::Entity::find()
            .filter(entry::Column::Aoo.eq(&self.id.aoo))
            .filter(entry::Column::Register.eq(&self.id.register))
            .filter(entry::Column::RegisteredAt.gte(from))
            .filter(entry::Column::RegisteredAt.lt(to))
            .order_by_asc(entry::Column::Year)
            .order_by_asc(entry::Column::Number)
            .all(&self.db)
            .await?;
        let annulments = annulment::Entity::find()
            .filter(annulment::Column::EntryId.is_in(rows.iter().map(|r| r.id)))
            .all(&self.db)
            .await?;
        let entries: Vec<DailyEntry> = rows
            .iter()
            .map(|e| DailyEntry {
                year: e.year,
                number: format!("{:07}", e.number),
                registered_at: e.registered_at.to_rfc3339_opts(SecondsFormat::Micros, true),
                direction: e.direction.clone(),
                subject: e.subject.clone(),
                classification: e.classification.clone(),
                correspondent: serde_json::from_str(&e.correspondent)
                    .unwrap_or(serde_json::Value::Null),
                primary_document: e.primary_name.clone(),
                primary_sha256: e.primary_sha256.clone(),
                attachments: usize::try_from(e.attachment_count).unwrap_or(0),
                segnatura: e.segnatura.clone(),
                entry_hash: e.entry_hash.clone(),
                annulled: annulments.iter().find(|a| a.entry_id == e.id).map(|a| {
                    format!(
                        "{} - {} ({})",
                        a.annulled_at.to_rfc3339_opts(SecondsFormat::Secs, true),
                        a.authorising_act,
                        a.reason
                    )
                }),
            })
            .collect();
        Ok(DailyRegister {
            ipa_code: self.id.ipa_code.clone(),
            aoo: self.id.aoo.clone(),
            register: self.id.register.clone(),
            date: date.format("%Y-%m-%d").to_string(),
            count: entries.len(),
            chain_head: rows
                .last()
                .map(|e| e.entry_hash.clone())
                .unwrap_or_default(),
            entries,
            produced_at: produced_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn italian_midnight_follows_summer_time() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            italian_midnight(d(2026, 1, 15)),
            Utc.with_ymd_and_hms(2026, 1, 14, 23, 0, 0).unwrap()
        );
        assert_eq!(
            italian_midnight(d(2026, 7, 15)),
            Utc.with_ymd_and_hms(2026, 7, 14, 22, 0, 0).unwrap()
        );
        // The day summer time starts (29 March 2026) begins in winter time.
        assert_eq!(
            italian_midnight(d(2026, 3, 29)),
            Utc.with_ymd_and_hms(2026, 3, 28, 23, 0, 0).unwrap()
        );
    }
}
