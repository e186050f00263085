//! The back office in the JSON API, under `/api/v1/office/` and behind the same staff guard
//! and audit log as the pages (the staff session's cookie; writes refused cross-site):
//! `GET applications` (a queue, `queue` = `to_take` | `mine` | `waiting_for_citizen` |
//! `expiring` | `decided`, with `form`, `label`, `page`, `per_page`), `GET applications/{id}`
//! (the application, its answers, the case, events, notes and labels) and
//! `POST applications/{id}/events` (`{"type", "message", "items", "reply_by"}`), answered 201
//! with the event and, once the worker has filed it (waited for a few seconds), its
//! registration.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use istanze_domain::procedure::EventKind;
use serde::Deserialize;
use serde_json::Value;

use super::api_types::{
    Answer, Note, OfficeApplication, OfficeCase, QueueItem, QueuePage, QueueProtocol,
};
use crate::web::api::types::{ErrorBody, Event, Submission};

use crate::cases::StaffEvent;
use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use crate::store::cases::{CaseQuery, CaseStore};
use crate::store::desk::DeskStore;
use crate::store::submissions::SubmissionStore;
use crate::web::guards::StaffMember;
use crate::web::tenant::Here;

/// How long a new event's answer waits for its registration.
const FILING_WAIT: Duration = Duration::from_secs(10);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1/office")
            .wrap(actix_web::middleware::from_fn(super::staff_only))
            .route("/applications", web::get().to(list))
            .route("/applications/bulk", web::post().to(super::api_bulk::post))
            .route("/applications/{id}", web::get().to(show))
            .route("/applications/{id}/events", web::post().to(post_event))
            .route(
                "/applications/{id}/events/{event}/document",
                web::get().to(event_document),
            )
            .route(
                "/registrations/{year}/{number}",
                web::get().to(super::api_registrations::show),
            )
            .route(
                "/registrations/{year}/{number}/annulment",
                web::post().to(super::api_registrations::annul),
            )
            .default_service(web::to(|| async {
                Err::<HttpResponse, _>(ApiError(ServerError::NotFound))
            })),
    );
}

/// A queue's filters.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// `to_take` (the default), `mine`, `waiting_for_citizen`, `expiring` or `decided`.
    queue: Option<String>,
    /// A form's id.
    form: Option<String>,
    label: Option<String>,
    /// From 0.
    page: Option<u64>,
    /// 1 to 200 (50 by default).
    per_page: Option<u64>,
    /// A state's code (`received`, `in_charge`, ...).
    state: Option<String>,
    /// An office's code.
    office: Option<String>,
    /// A fiscal code.
    assignee: Option<String>,
    /// Received on or after this day (`YYYY-MM-DD`).
    received_from: Option<String>,
    /// Received on or before this day (`YYYY-MM-DD`).
    received_to: Option<String>,
}

/// A queue of the back office, narrowed by its filters, within the member's offices.
#[utoipa::path(get, path = "/api/v1/office/applications", operation_id = "office_list_applications", tag = "office",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of the queue, nearest term first", body = QueuePage),
        (status = 400, description = "A queue or filter of no kind", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not staff of this administration", body = ErrorBody)),
    security(("staff_session" = []), ("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let coda = match q.queue.as_deref().unwrap_or("to_take") {
        "to_take" => "da-prendere",
        "mine" => "mie",
        "waiting_for_citizen" => "in-attesa",
        "expiring" => "in-scadenza",
        "decided" => "decise",
        _ => return Err(ServerError::BadRequest("queue".into()).into()),
    };
    let per_page = q.per_page.unwrap_or(50).clamp(1, 200);
    let mut narrowing = super::cases::Narrowing::default();
    let filters = [
        ("state", &q.state),
        ("office", &q.office),
        ("assignee", &q.assignee),
        ("received_from", &q.received_from),
        ("received_to", &q.received_to),
    ];
    for (key, value) in filters {
        if let Some(v) = value {
            narrowing.take(key, v)?;
        }
    }
    let mut query = CaseQuery {
        queue: super::cases::queue_of(&state, &staff, coda)?,
        form_id: q.form.clone(),
        state: None,
        office: None,
        assignee: None,
        received_from: None,
        received_to: None,
        label: q.label.as_deref().and_then(crate::desk::label_of),
        offices: crate::cases::offices(&staff.grants),
        ids: None,
        page: q.page.unwrap_or(0).min(100_000),
        per_page,
    };
    narrowing.apply(&mut query);
    let db = state.scoped(&here.tenant.id);
    let (cases, total) = db.list(&query).await.map_err(ServerError::from)?;
    let mut items = Vec::with_capacity(cases.len());
    for c in cases {
        let Some(s) = db.get(&c.submission_id).await.map_err(ServerError::from)? else {
            continue;
        };
        items.push(QueueItem {
            id: c.submission_id,
            form: c.form_id,
            form_title: s.form_title,
            subject: s.subject,
            protocol: s.protocol_number.map(|n| QueueProtocol {
                number: format!("{n:07}"),
                year: s.protocol_year,
            }),
            state: c.state.code(),
            due: c.due_on.to_string(),
            office: c.office,
            assignee: c.assignee,
        });
    }
    Ok(HttpResponse::Ok().json(QueuePage {
        total,
        page: query.page,
        per_page,
        items,
    }))
}

/// An application with its answers (in the form version used), case, events, notes, labels.
#[utoipa::path(get, path = "/api/v1/office/applications/{id}", operation_id = "office_get_application", tag = "office",
    params(("id" = String, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = OfficeApplication),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not staff of this administration", body = ErrorBody),
        (status = 404, description = "No such application within the member's offices", body = ErrorBody)),
    security(("staff_session" = []), ("bearer" = [])))]
pub(crate) async fn show(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let db = state.scoped(&here.tenant.id);
    let (case, events) = crate::cases::open(&db, &staff.grants, &id)
        .await
        .map_err(ServerError::from)?;
    let sub = db
        .get(&id)
        .await
        .map_err(ServerError::from)?
        .ok_or(ServerError::NotFound)?;
    let data: Value = serde_json::from_str(&sub.data).unwrap_or_default();
    // The answers as the citizen gave them: in the form version they used.
    let current = here.tenant.forms.get(&sub.form_id);
    let pinned = crate::form_store::version(&db, current, &sub.form_id, &sub.form_version_id)
        .await
        .map_err(ServerError::from)?;
    let answers: Vec<Answer> = pinned
        .as_ref()
        .or(current)
        .map(|f| {
            f.summary(&data)
                .into_iter()
                .filter_map(|i| match i {
                    istanze_forms::SummaryItem::Answer {
                        pointer,
                        label,
                        value,
                    } => Some(Answer {
                        pointer,
                        label,
                        value,
                    }),
                    istanze_forms::SummaryItem::Section { .. } => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let today = istanze_protocol::rome::local(state.clock.now()).date_naive();
    let term = crate::cases::replay(&case, &events)
        .map_err(|e| ServerError::Case(e.into()))?
        .term(today);
    let notes: Vec<Note> = db
        .notes(&id)
        .await
        .map_err(ServerError::from)?
        .into_iter()
        .map(|n| Note {
            author: n.author,
            at: n.at.to_rfc3339(),
            text: n.text,
        })
        .collect();
    let labels = db.labels(&id).await.map_err(ServerError::from)?;
    Ok(HttpResponse::Ok().json(OfficeApplication {
        submission: Submission::of(&sub),
        case: OfficeCase {
            state: case.state.code(),
            due: term.due.to_string(),
            suspended: term.suspended,
            days_left: term.days_left,
            office: case.office,
            assignee: case.assignee,
            case_file: crate::filing::case_file(&sub).code,
        },
        subject: sub.subject,
        answers,
        data,
        events: events.iter().map(|e| staff_event(&here, &id, e)).collect(),
        notes,
        labels,
    }))
}

/// An event as the API takes it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    /// `start`, `review`, `integration_request`, `notice_of_refusal`, `accept`, `refuse`,
    /// `close` or `tacit_consent`.
    #[serde(rename = "type")]
    pub kind: String,
    /// To the citizen: what is missing, the reasons of a refusal or of a decision.
    #[serde(default)]
    pub message: String,
    /// What an integration request asks for, one item each.
    #[serde(default)]
    pub items: Vec<String>,
    /// The citizen's deadline for an integration (30 days at most; 30 by default).
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub reply_by: Option<chrono::NaiveDate>,
}

impl EventBody {
    /// Its kind, message, items and deadline, checked for their kind and size.
    pub(super) fn parts(
        self,
    ) -> Result<(EventKind, String, Vec<String>, Option<chrono::NaiveDate>), ServerError> {
        let kind =
            EventKind::parse(&self.kind).ok_or_else(|| ServerError::BadRequest("type".into()))?;
        if self.message.chars().count() > 10_000 || self.items.len() > 100 {
            return Err(ServerError::TooLarge);
        }
        Ok((kind, self.message, self.items, self.reply_by))
    }
}

/// Records an event of the procedure; a communication is filed as an outgoing registration
/// in the case file, and the answer waits a few seconds for it.
#[utoipa::path(post, path = "/api/v1/office/applications/{id}/events", operation_id = "office_post_event", tag = "office",
    params(("id" = String, Path, description = "The application's id")),
    request_body = EventBody,
    responses(
        (status = 201, description = "The event, with its registration once filed", body = Event,
            headers(("Location" = String, description = "The application's address"))),
        (status = 400, description = "An event of no kind, or one that is the citizen's", body = ErrorBody),
        (status = 403, description = "The member's roles do not allow it", body = ErrorBody),
        (status = 404, description = "No such application within the member's offices", body = ErrorBody),
        (status = 409, description = "The procedure does not allow it now", body = ErrorBody),
        (status = 413, description = "Too large", body = ErrorBody),
        (status = 422, description = "A message, items or deadline missing or wrong", body = ErrorBody)),
    security(("staff_session" = []), ("bearer" = [])))]
pub(crate) async fn post_event(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Json<EventBody>,
) -> Result<HttpResponse, ApiError> {
    crate::web::session::check_same_origin(&req, &state, &here)?;
    let (kind, message, items, reply_by) = body.into_inner().parts()?;
    let actor = super::cases::member(&staff).map_err(ServerError::from)?;
    let by = staff.who.principal.person.display_name();
    let db = state.scoped(&here.tenant.id);
    let now = state.clock.now();
    let today = istanze_protocol::rome::local(now).date_naive();
    let event = StaffEvent {
        kind,
        message: &message,
        items,
        reply_by,
        by: &by,
    };
    let mut recorded = crate::cases::record(&db, &actor, &staff.grants, &id, event, today, now)
        .await
        .map_err(ServerError::from)?;
    state.wake_worker.notify_one();
    if recorded.is_filed() {
        let deadline = tokio::time::Instant::now() + FILING_WAIT;
        while recorded.registration.is_none() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if let Some(e) = db
                .event(&id, recorded.id)
                .await
                .map_err(ServerError::from)?
            {
                recorded = e;
            }
        }
    }
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("{}/api/v1/office/applications/{id}", here.base),
        ))
        .json(staff_event(&here, &id, &recorded)))
}

/// An event as the citizen's API gives it, with its document at the office API's address
/// (which takes a bearer credential as well as the staff session).
fn staff_event(here: &Here, id: &str, e: &crate::store::cases::CaseEvent) -> Event {
    let url = format!(
        "{}/api/v1/office/applications/{id}/events/{}/document",
        here.base, e.id
    );
    Event::of(e, url)
}

/// The filed document of an event (a communication, or the letter of a citizen's reply).
#[utoipa::path(get, path = "/api/v1/office/applications/{id}/events/{event}/document", operation_id = "office_get_event_document", tag = "office",
    params(
        ("id" = String, Path, description = "The application's id"),
        ("event" = i64, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The document (PDF/A)", content_type = "application/pdf"),
        (status = 401, description = "Not logged in, or an invalid credential", body = ErrorBody),
        (status = 403, description = "Not staff of this administration", body = ErrorBody),
        (status = 404, description = "No such application, event or document within the member's offices", body = ErrorBody)),
    security(("staff_session" = []), ("bearer" = [])))]
pub(crate) async fn event_document(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (id, event) = path.into_inner();
    Ok(super::documents::event_pdf(&state, &here, &staff, &id, event).await?)
}
