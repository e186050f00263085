//! The bodies the JSON API answers with, as types: the handlers build them and the OpenAPI
//! document (see [`crate::web::openapi`]) describes them from the same definitions, so the
//! document cannot say something the API does not do. Times are RFC 3339 in UTC to the second
//! (`2026-12-06T10:15:00Z`), days are `YYYY-MM-DD`, protocol numbers seven digits.

use chrono::SecondsFormat;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::db::submission;
use crate::store::cases::CaseEvent;

/// A time as the API writes it.
pub fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An administration served by the installation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Administration {
    /// Its code in the IPA index.
    pub ipa_code: String,
    pub name: String,
    /// Where its pages and API live (`/` for the first one).
    pub base_path: String,
}

/// A form open to citizens.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormSummary {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub office: String,
    /// The lowest login level it accepts: `SpidL1`, `SpidL2` or `SpidL3`.
    #[schema(value_type = String, example = "SpidL2")]
    pub min_level: istanze_domain::LevelOfAssurance,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormList {
    pub forms: Vec<FormSummary>,
}

/// A registration in the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct Protocol {
    pub register: String,
    pub year: i32,
    #[schema(example = "0000042")]
    pub number: String,
    #[schema(format = DateTime)]
    pub date: String,
}

/// A stored application.
#[derive(Debug, Serialize, ToSchema)]
pub struct Submission {
    pub id: String,
    pub form: String,
    pub form_version: String,
    pub form_version_id: String,
    /// `received`, then `registered` once filed.
    pub status: String,
    #[schema(format = DateTime)]
    pub submitted_at: String,
    pub document_sha256: String,
    /// Its registration, once filed.
    pub protocol: Option<Protocol>,
}

/// A stored application with its procedure, as its citizen reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionDetail {
    #[serde(flatten)]
    pub submission: Submission,
    /// The procedure, once the application is filed.
    pub case: Option<CitizenCase>,
    /// The procedure's events, oldest first.
    pub events: Vec<Event>,
}

impl Submission {
    pub fn of(s: &submission::Model) -> Submission {
        let protocol = match (
            &s.protocol_register,
            s.protocol_year,
            s.protocol_number,
            s.protocol_at,
        ) {
            (Some(register), Some(year), Some(number), Some(at)) => Some(Protocol {
                register: register.clone(),
                year,
                number: format!("{number:07}"),
                date: time(at),
            }),
            _ => None,
        };
        Submission {
            id: s.id.clone(),
            form: s.form_id.clone(),
            form_version: s.form_version.clone(),
            form_version_id: s.form_version_id.clone(),
            status: s.status.clone(),
            submitted_at: time(s.submitted_at),
            document_sha256: s.document_sha256.clone(),
            protocol,
        }
    }
}

/// The procedure of an application as its citizen sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CitizenCase {
    /// `received`, `in_charge`, `in_review`, `awaiting_integration`, ...
    pub state: String,
    /// When the term of the procedure ends.
    #[schema(format = Date)]
    pub due: String,
    /// The term is suspended (an integration is awaited).
    pub suspended: bool,
    pub days_left: Option<i64>,
    /// The reply the office waits for: `integration_received` or `observations_received`.
    pub awaiting: Option<&'static str>,
}

/// A file named in an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileRef {
    pub name: String,
    pub sha256: String,
}

/// A communication's document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentRef {
    pub name: String,
    pub sha256: String,
    /// Where to download it (PDF/A).
    pub url: String,
}

/// An event's registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventRegistration {
    pub register: String,
    pub year: i32,
    pub number: String,
    #[schema(format = DateTime)]
    pub registered_at: String,
}

/// An event of the procedure.
#[derive(Debug, Serialize, ToSchema)]
pub struct Event {
    pub id: i64,
    /// `start`, `review`, `integration_request`, `integration_received`,
    /// `notice_of_refusal`, `observations_received`, `accept`, `refuse`, `withdraw`, `close`,
    /// `tacit_consent`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `administration` or `citizen`.
    pub from: &'static str,
    #[schema(format = Date)]
    pub date: String,
    #[schema(format = DateTime)]
    pub at: String,
    pub message: String,
    /// What an integration request asks for.
    pub items: Vec<String>,
    #[schema(format = Date)]
    pub reply_by: Option<String>,
    /// The files of a citizen's reply.
    pub files: Vec<FileRef>,
    /// Its registration, once filed (communications and replies are filed).
    pub registration: Option<EventRegistration>,
    /// The communication's document, once made.
    pub document: Option<DocumentRef>,
}

impl Event {
    /// The events of application `id` its citizen sees (the filed ones), under `base`.
    pub fn for_citizen(base: &str, id: &str, events: &[CaseEvent]) -> Vec<Event> {
        events
            .iter()
            .filter(|e| e.is_filed())
            .map(|e| Event::of_citizens(base, id, e))
            .collect()
    }

    /// Event `e` of application `id`, its document at the citizen's address under `base`.
    pub fn of_citizens(base: &str, id: &str, e: &CaseEvent) -> Event {
        let url = format!("{base}/api/v1/submissions/{id}/events/{}/document", e.id);
        Event::of(e, url)
    }

    /// Event `e`, its document at `document_url`.
    pub fn of(e: &CaseEvent, document_url: String) -> Event {
        let details = crate::communication::Details::of(e);
        Event {
            id: e.id,
            kind: e.kind.code(),
            from: if e.kind.is_incoming() {
                "citizen"
            } else {
                "administration"
            },
            date: e.on.to_string(),
            at: time(e.at),
            message: e.message.clone(),
            items: details.items,
            reply_by: details.reply_by,
            files: details
                .files
                .into_iter()
                .map(|(name, sha256)| FileRef { name, sha256 })
                .collect(),
            registration: e.registration.as_ref().map(|(register, year, number, at)| {
                EventRegistration {
                    register: register.clone(),
                    year: *year,
                    number: format!("{number:07}"),
                    registered_at: time(*at),
                }
            }),
            document: e.document.as_ref().map(|(name, sha256)| DocumentRef {
                name: name.clone(),
                sha256: sha256.clone(),
                url: document_url,
            }),
        }
    }
}

/// One field's refusal.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldRefusal {
    /// The JSON pointer of the field in the application's data.
    pub pointer: String,
    pub message: String,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `bad_request`, `login_required`, `forbidden`, `not_found`, `conflict`, `too_large`,
    /// `unsupported_media_type`, `invalid`, `too_many_requests`, `unavailable`, `internal`.
    pub code: &'static str,
    /// In the request's language (Italian by default).
    pub message: String,
    /// Quoted in the server's log next to the cause.
    pub reference: String,
}

/// Every refusal and failure of the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    /// For `invalid`: each field refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldRefusal>>,
}

/// A form's definition: its JSON Schema with the form's own keywords.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct FormDefinition(pub Value);

/// An application as `multipart/form-data`: the part `data` holds the answers as a JSON
/// object, and each file is one more part named by the JSON pointer of its field (for
/// example `/evento/programma`), its file name and type given as browsers give them.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct SubmissionUpload {
    /// The answers: a JSON object, as text.
    pub data: String,
}

/// A citizen's reply as `multipart/form-data`.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct ReplyUpload {
    /// `integration`, `observations` or `withdrawal`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What the citizen writes to the office.
    pub message: Option<String>,
    /// The documents sent (repeat the part for each; for an integration or observations).
    #[schema(value_type = Option<Vec<String>>, format = Binary)]
    pub documents: Option<Vec<Vec<u8>>>,
}
