//! Recording the AOO's answers: matching each to the application it is about, from a raw
//! message or from the new messages of a Maildir.

use std::path::Path;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use super::envelope::MAX_MESSAGE;
use super::{record, Answer, Identifier, PecRegister, Received, Subject};
use crate::{ProtocolError, Result};

impl PecRegister {
    /// Records the answers in one raw message (RFC 5322, as the mailbox holds it).
    ///
    /// Only answers inside a provider's envelope whose signature verifies (see
    /// [`super::answers`] for the errors that refuse one) and whose certified sender is the
    /// AOO's own address are believed; anything else is [`Received::Ignored`], as is a second
    /// confirmation of the same application.
    pub async fn receive(&self, raw: &[u8], now: DateTime<Utc>) -> Result<Vec<Received>> {
        let aoo = self.settings.recipient.address.trim().to_ascii_lowercase();
        let inbound = super::answers(raw, &self.anchors, now)?;
        let from_aoo = inbound.sender.as_deref() == Some(aoo.as_str());
        let mut out = Vec::new();
        for answer in inbound.answers {
            out.push(match answer {
                Ok(_) if !from_aoo => Received::Ignored("not from the AOO's address".into()),
                Ok(a) => self.record(a, now).await?,
                Err(why) => Received::Ignored(format!("unreadable answer: {why}")),
            });
        }
        Ok(out)
    }

    async fn ours(&self, subject: &Subject) -> Result<Option<record::Model>> {
        let db = self.embedded.connection();
        match subject {
            Subject::Registration(id) => {
                if id.ipa_code != self.registrar.ipa_code || id.aoo != self.registrar.aoo {
                    return Ok(None);
                }
                let (Ok(number), Some(Ok(year))) = (
                    id.number.parse::<i64>(),
                    id.date.get(..4).map(str::parse::<i32>),
                ) else {
                    return Ok(None);
                };
                Ok(record::Entity::find()
                    .filter(record::Column::Register.eq(&id.register))
                    .filter(record::Column::Year.eq(year))
                    .filter(record::Column::Number.eq(number))
                    .one(db)
                    .await?)
            }
            Subject::Description(text) => {
                for id in message_ids(text) {
                    let found = record::Entity::find()
                        .filter(record::Column::MessageId.eq(id))
                        .one(db)
                        .await?;
                    if found.is_some() {
                        return Ok(found);
                    }
                }
                Ok(None)
            }
        }
    }

    async fn record(&self, answer: Answer, now: DateTime<Utc>) -> Result<Received> {
        let db = self.embedded.connection();
        let theirs_ok = |t: &Identifier| {
            t.ipa_code == self.settings.recipient.ipa_code && t.aoo == self.settings.recipient.aoo
        };
        match answer {
            Answer::Confirmed {
                theirs,
                ours,
                update,
            } => {
                let Some(row) = self.ours(&ours).await? else {
                    return Ok(Received::Ignored(
                        "confirmation of an unknown message".into(),
                    ));
                };
                if !theirs_ok(&theirs) {
                    return Ok(Received::Ignored("confirmation by another AOO".into()));
                }
                if row.confirmed_at.is_some() && !update {
                    return Ok(Received::Ignored("already confirmed".into()));
                }
                let key = row.idempotency_key.clone();
                let mut m: record::ActiveModel = row.into();
                m.remote_register = Set(Some(theirs.register));
                m.remote_number = Set(Some(theirs.number));
                m.remote_date = Set(Some(theirs.date));
                m.confirmed_at = Set(Some(now));
                record::Entity::update(m).exec(db).await?;
                Ok(if update {
                    Received::Updated { key }
                } else {
                    Received::Confirmed { key }
                })
            }
            Answer::Exception { ours, reason } => {
                let Some(row) = self.ours(&ours).await? else {
                    return Ok(Received::Ignored(
                        "exception about an unknown message".into(),
                    ));
                };
                let key = row.idempotency_key.clone();
                let mut m: record::ActiveModel = row.into();
                m.exception = Set(Some(reason));
                m.exception_at = Set(Some(now));
                record::Entity::update(m).exec(db).await?;
                Ok(Received::Exception { key })
            }
            Answer::Annulled {
                theirs,
                reason,
                act,
            } => {
                if !theirs_ok(&theirs) {
                    return Ok(Received::Ignored("annulment by another AOO".into()));
                }
                let Some(row) = record::Entity::find()
                    .filter(record::Column::RemoteRegister.eq(&theirs.register))
                    .filter(record::Column::RemoteNumber.eq(&theirs.number))
                    .filter(record::Column::RemoteDate.eq(&theirs.date))
                    .one(db)
                    .await?
                else {
                    return Ok(Received::Ignored(
                        "annulment of an unknown registration".into(),
                    ));
                };
                let key = row.idempotency_key.clone();
                let mut m: record::ActiveModel = row.into();
                m.remote_annulment = Set(Some(format!("{reason} ({act})")));
                record::Entity::update(m).exec(db).await?;
                Ok(Received::Annulled { key })
            }
        }
    }

    /// Reads the new messages of a Maildir (`new/`), records their answers and moves each to
    /// `cur/` marked as seen, so that it is read once; returns how many messages were read.
    /// A message that cannot be parsed or is not believed (its envelope refused) is moved too,
    /// flagged: it stays in the mailbox for a person.
    pub async fn receive_maildir(&self, dir: &Path, now: DateTime<Utc>) -> Result<usize> {
        let io = |e: std::io::Error| ProtocolError::Invalid(format!("maildir: {e}"));
        let new = dir.join("new");
        let cur = dir.join("cur");
        let mut names: Vec<_> = std::fs::read_dir(&new)
            .map_err(io)?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
            .map(|e| e.file_name())
            .collect();
        names.sort();
        let mut read = 0;
        for name in names {
            let path = new.join(&name);
            // Another process may have taken the message first.
            let size = match std::fs::metadata(&path) {
                Ok(m) => m.len(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io(e)),
            };
            let outcome = if usize::try_from(size).map_or(true, |s| s > MAX_MESSAGE) {
                Err("too large for an answer".to_owned())
            } else {
                let raw = std::fs::read(&path).map_err(io)?;
                match self.receive(&raw, now).await {
                    Ok(r) => Ok(r),
                    Err(ProtocolError::Invalid(why)) => Err(why),
                    Err(
                        refused @ (ProtocolError::PecUnsigned
                        | ProtocolError::PecSignature(_)
                        | ProtocolError::PecUntrustedSigner(_)
                        | ProtocolError::PecNotTransport(_)
                        | ProtocolError::PecNoTrustAnchors),
                    ) => {
                        // File name and rule only: the message may quote personal data.
                        tracing::warn!(message = ?name, reason = %refused, "PEC message not believed");
                        Err(refused.to_string())
                    }
                    // Storage failed: leave the message in new/ for the next pass.
                    Err(other) => return Err(other),
                }
            };
            // Messages that were not all understood are flagged for a person.
            let understood = outcome
                .as_ref()
                .is_ok_and(|r| !r.iter().any(|x| matches!(x, Received::Ignored(_))));
            // File name and counts only: answers may quote personal data.
            tracing::info!(
                message = ?name,
                answers = outcome.as_ref().map_or(0, Vec::len),
                understood,
                "PEC inbox message"
            );
            let mut seen = name.clone();
            seen.push(if understood { ":2,S" } else { ":2,FS" });
            match std::fs::rename(&path, cur.join(seen)) {
                Ok(()) => read += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
        Ok(read)
    }
}

/// The `<...@...>` tokens of a text: Message-IDs it quotes.
fn message_ids(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let token = &rest[start..start + len + 1];
        if token.contains('@') {
            out.push(token);
        }
        rest = &rest[start + len + 1..];
    }
    out
}
