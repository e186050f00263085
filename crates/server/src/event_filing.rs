//! Filing a case event's document into the register, in the application's case file: the
//! administration's communications as outgoing registrations to the citizen, the citizen's
//! replies (with their files) as incoming ones. The key `<application>-e<event>` makes a second
//! attempt after a lost answer return the first receipt; the registration, the document, the
//! end of the job and the notifications of a communication are then stored in one transaction.

use chrono::{DateTime, Utc};
use istanze_protocol::{Direction, DocumentRef, Receipt, Registration};

use crate::filing::{case_file, correspondent, Filing, FilingError};
use crate::store::cases::{self, CaseEvent, CaseStore};
use crate::store::jobs::{self, Finished, Job};
use crate::store::submissions::{Submission, SubmissionStore};

impl Filing<'_> {
    /// Files the document of the case event of `job`.
    pub(crate) async fn file_event(
        &self,
        job: &Job,
        now: DateTime<Utc>,
    ) -> Result<Receipt, FilingError> {
        let sub = self
            .db
            .get(&job.submission_id)
            .await?
            .ok_or(FilingError::Missing)?;
        let event = self
            .db
            .event(&sub.id, job.event_id)
            .await?
            .filter(CaseEvent::is_filed)
            .ok_or(FilingError::MissingEvent)?;
        let registration = self.event_registration(&sub, &event).await?;
        let receipt = self.register.file(&registration, self.clock).await?;
        let admin = self.db.id().clone();
        let txn = self.db.begin().await?;
        let document = (
            registration.primary.file_name.as_str(),
            registration.primary.sha256.as_str(),
            registration.primary.content.clone(),
        );
        cases::record_filed_in(&txn, &admin, &sub.id, event.id, &receipt, document).await?;
        let first = jobs::finish_in(&txn, &admin, job, &Finished::Done, now).await?;
        // The administration's communications reach the citizen (their own replies need no
        // telling). Queued by the runner that finishes the job, whichever recorded the
        // registration: a lapsed lease may split the two, and the unique index queues a
        // notification once anyway.
        if first && event.kind.is_outgoing() {
            crate::notify::enqueue(&txn, &admin, self.notifications, &sub.id, event.id, now)
                .await?;
        }
        txn.commit().await?;
        Ok(receipt)
    }

    async fn event_registration(
        &self,
        sub: &Submission,
        event: &CaseEvent,
    ) -> Result<Registration, FilingError> {
        let correspondent = correspondent(sub)?;
        let file = case_file(sub);
        let page = format!("{}/domande/{}", self.public_url, sub.id);
        let title = crate::communication::title(event.kind);
        let pdf = crate::communication::render(
            sub,
            event,
            self.administration,
            &file,
            &correspondent.name,
            &page,
        )?;
        let mut attachments = Vec::new();
        if event.kind.is_incoming() {
            for a in crate::attachments::of_reply(&self.db, &sub.id, event.id).await? {
                let content = crate::attachments::read_all(&self.db, self.settings, &a).await?;
                attachments.push(DocumentRef {
                    content,
                    file_name: a.file_name.clone(),
                    mime_type: a.media_type,
                    sha256: a.sha256,
                    size: u64::try_from(a.size).unwrap_or(0),
                    description: a.file_name,
                });
            }
        }
        Ok(Registration {
            idempotency_key: format!("{}-e{}", sub.id, event.id),
            direction: if event.kind.is_incoming() {
                Direction::Incoming
            } else {
                Direction::Outgoing
            },
            subject: format!("{title} - {}", sub.subject),
            classification: sub.classification.clone(),
            correspondent,
            primary: DocumentRef {
                file_name: crate::communication::file_name(sub, event),
                mime_type: "application/pdf".into(),
                sha256: crate::random::sha256_hex(&pdf),
                size: pdf.len() as u64,
                description: title.to_owned(),
                content: pdf,
            },
            attachments,
            case_file: Some(file),
        })
    }
}
