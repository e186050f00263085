//! The procedure of an application in the citizen's API: its events (with `GET
//! /api/v1/submissions/{id}`), the document of each communication, and the citizen's replies,
//! `POST /api/v1/submissions/{id}/replies` as `multipart/form-data` (parts `type`:
//! `integration` | `observations` | `withdrawal`, `message`, and files named `documents`),
//! answered 201 with the event; its registration follows when the worker has filed it.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::attachments::UploadBody;
use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use crate::store::cases::CaseStore;
use crate::web::api::logged_in;
use crate::web::citizen::applications::owned;
use crate::web::session::{self, MaybeCitizen};
use crate::web::tenant::Here;

/// The case of application `id` for the API: state, term and events (`null` before filing).
pub(super) async fn case_json(
    state: &AppState,
    here: &Here,
    id: &str,
) -> Result<(Value, Value), ServerError> {
    let db = state.scoped(&here.tenant.id);
    let Some(case) = db.case(id).await? else {
        return Ok((Value::Null, json!([])));
    };
    let events = db.events(id).await?;
    let today = istanze_protocol::rome::local(state.clock.now()).date_naive();
    let term = crate::cases::replay(&case, &events)
        .ok()
        .map(|p| p.term(today));
    let summary = json!({
        "state": case.state.code(),
        "due": term.as_ref().map_or(case.due_on, |t| t.due).to_string(),
        "suspended": term.as_ref().is_some_and(|t| t.suspended),
        "days_left": term.as_ref().and_then(|t| t.days_left),
        "awaiting": crate::replies::awaited(case.state).map(|k| k.code()),
    });
    let events = crate::web::citizen::case_view::events_json(&here.base, id, &events);
    Ok((summary, events))
}

/// The document of event `event` of the citizen's application `id`.
pub(super) async fn get_event_document(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ApiError> {
    let citizen = logged_in(citizen)?;
    let (id, event_id) = path.into_inner();
    owned(&state, &here.tenant.id, &citizen, &id).await?;
    let db = state.scoped(&here.tenant.id);
    let event = db
        .event(&id, event_id)
        .await
        .map_err(ServerError::from)?
        .ok_or(ServerError::NotFound)?;
    let (name, _) = event.document.ok_or(ServerError::NotFound)?;
    let bytes = db
        .document(&id, event_id)
        .await
        .map_err(ServerError::from)?
        .ok_or(ServerError::NotFound)?;
    Ok(super::download(bytes, &name, "application/pdf"))
}

pub(super) async fn post_reply(
    state: web::Data<AppState>,
    here: Here,
    req: HttpRequest,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    mut body: UploadBody,
) -> HttpResponse {
    let answer = reply(&state, &here, &req, citizen, &id, &mut body).await;
    body.answer(answer)
}

async fn reply(
    state: &AppState,
    here: &Here,
    req: &HttpRequest,
    citizen: MaybeCitizen,
    id: &str,
    body: &mut UploadBody,
) -> Result<HttpResponse, ApiError> {
    let citizen = logged_in(citizen)?;
    session::check_same_origin(req, state, here)?;
    let sub = owned(state, &here.tenant.id, &citizen, id).await?;
    let posted = crate::web::reply_body::read(state, here, &citizen, &sub, body, false).await?;
    let event = crate::web::reply_body::send(state, here, &citizen, id, posted).await?;
    Ok(
        HttpResponse::Created().json(crate::web::citizen::case_view::event_json(
            &here.base, id, &event,
        )),
    )
}
