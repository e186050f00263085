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
use serde_json::{json, Value};

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

#[derive(Deserialize)]
struct ListQuery {
    queue: Option<String>,
    form: Option<String>,
    label: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
    state: Option<String>,
    office: Option<String>,
    assignee: Option<String>,
    received_from: Option<String>,
    received_to: Option<String>,
}

async fn list(
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
        items.push(json!({
            "id": c.submission_id,
            "form": c.form_id,
            "form_title": s.form_title,
            "subject": s.subject,
            "protocol": s.protocol_number.map(|n| json!({
                "number": format!("{n:07}"), "year": s.protocol_year,
            })),
            "state": c.state.code(),
            "due": c.due_on.to_string(),
            "office": c.office,
            "assignee": c.assignee,
        }));
    }
    Ok(HttpResponse::Ok().json(json!({
        "total": total, "page": query.page, "per_page": per_page, "items": items,
    })))
}

async fn show(
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
    let answers: Vec<Value> = pinned
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
                    } => Some(json!({"pointer": pointer, "label": label, "value": value})),
                    istanze_forms::SummaryItem::Section { .. } => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let today = istanze_protocol::rome::local(state.clock.now()).date_naive();
    let term = crate::cases::replay(&case, &events)
        .map_err(|e| ServerError::Case(e.into()))?
        .term(today);
    let notes: Vec<Value> = db
        .notes(&id)
        .await
        .map_err(ServerError::from)?
        .into_iter()
        .map(|n| json!({"author": n.author, "at": n.at.to_rfc3339(), "text": n.text}))
        .collect();
    let mut body = crate::web::api::submission_json(&sub);
    body["subject"] = json!(sub.subject);
    body["answers"] = json!(answers);
    body["data"] = data;
    body["case"] = json!({
        "state": case.state.code(),
        "due": term.due.to_string(),
        "suspended": term.suspended,
        "days_left": term.days_left,
        "office": case.office,
        "assignee": case.assignee,
        "case_file": crate::filing::case_file(&sub).code,
    });
    body["events"] = Value::Array(
        events
            .iter()
            .map(|e| staff_event_json(&here, &id, e))
            .collect(),
    );
    body["notes"] = json!(notes);
    body["labels"] = json!(db.labels(&id).await.map_err(ServerError::from)?);
    Ok(HttpResponse::Ok().json(body))
}

/// An event as the API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
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

async fn post_event(
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
        .json(staff_event_json(&here, &id, &recorded)))
}

/// An event as the citizen's API gives it, with its document at the staff's address.
fn staff_event_json(here: &Here, id: &str, e: &crate::store::cases::CaseEvent) -> Value {
    let mut v = crate::web::citizen::case_view::event_json(&here.base, id, e);
    if v["document"].is_object() {
        v["document"]["url"] = json!(format!(
            "{}/ufficio/domande/{id}/documenti/{}",
            here.base, e.id
        ));
    }
    v
}
