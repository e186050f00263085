//! The procedure of an application in the citizen's API: its events (with `GET
//! /api/v1/submissions/{id}`), the document of each communication, and the citizen's replies,
//! `POST /api/v1/submissions/{id}/replies` as `multipart/form-data` (parts `type`:
//! `integration` | `observations` | `withdrawal`, `message`, and files named `documents`),
//! answered 201 with the event; its registration follows when the worker has filed it.

use actix_web::{web, HttpRequest, HttpResponse};

use super::types::{self, CitizenCase, Event};

use crate::attachments::UploadBody;
use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use crate::store::cases::CaseStore;
use crate::web::api::logged_in;
use crate::web::citizen::applications::owned;
use crate::web::session::{self, MaybeCitizen};
use crate::web::tenant::Here;

/// The case of application `id` for the API: state, term and events (none before filing).
pub(super) async fn case_of(
    state: &AppState,
    here: &Here,
    id: &str,
) -> Result<(Option<CitizenCase>, Vec<Event>), ServerError> {
    let db = state.scoped(&here.tenant.id);
    let Some(case) = db.case(id).await? else {
        return Ok((None, Vec::new()));
    };
    let events = db.events(id).await?;
    let today = istanze_protocol::rome::local(state.clock.now()).date_naive();
    let term = crate::cases::replay(&case, &events)
        .ok()
        .map(|p| p.term(today));
    let summary = CitizenCase {
        state: case.state.code().to_owned(),
        due: term.as_ref().map_or(case.due_on, |t| t.due).to_string(),
        suspended: term.as_ref().is_some_and(|t| t.suspended),
        days_left: term.as_ref().and_then(|t| t.days_left),
        awaiting: crate::replies::awaited(case.state).map(|k| k.code()),
    };
    Ok((Some(summary), Event::for_citizen(&here.base, id, &events)))
}

/// The document of event `event` of the citizen's application `id`.
#[utoipa::path(get, path = "/api/v1/submissions/{id}/events/{event}/document", operation_id = "get_event_document", tag = "citizen",
    params(
        ("id" = String, Path, description = "The application's id"),
        ("event" = i64, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The communication (PDF/A)", content_type = "application/pdf"),
        (status = 401, description = "Not logged in", body = types::ErrorBody),
        (status = 404, description = "No such application, event or document", body = types::ErrorBody)),
    security(("session" = [])))]
pub(crate) async fn get_event_document(
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

/// Sends the office an integration or observations (with documents), or withdraws the
/// application; answered with the event, filed in the register by the worker shortly after.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/replies", operation_id = "post_reply", tag = "citizen",
    params(("id" = String, Path, description = "The application's id")),
    request_body(content = types::ReplyUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The reply recorded", body = Event),
        (status = 401, description = "Not logged in", body = types::ErrorBody),
        (status = 403, description = "A cross-site request", body = types::ErrorBody),
        (status = 404, description = "No such application of this citizen", body = types::ErrorBody),
        (status = 409, description = "The procedure waits for no such reply now", body = types::ErrorBody),
        (status = 413, description = "Too large", body = types::ErrorBody),
        (status = 422, description = "An empty reply or a file refused", body = types::ErrorBody)),
    security(("session" = [])))]
pub(crate) async fn post_reply(
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
    Ok(HttpResponse::Created().json(Event::of_citizens(&here.base, id, &event)))
}
