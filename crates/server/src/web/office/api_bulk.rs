//! `POST /api/v1/office/applications/bulk`: one action on many applications (`{"ids": [...],
//! "action": "assign" | "label" | "unlabel" | "event", ...}`), answered 200 with what happened
//! to each, in the order given: `{"results": [{"id", "done": true} | {"id", "done": false,
//! "error": {"status", "code", "message"}}]}`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::api::EventBody;
use crate::bulk::{self, Action};
use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use crate::web::api::types::ErrorBody;
use crate::web::guards::StaffMember;
use crate::web::tenant::Here;

/// What a bulk action asks for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    pub ids: Vec<String>,
    /// `assign`, `label`, `unlabel` or `event`.
    pub action: String,
    /// For `assign`: the office and/or the person (fiscal code).
    #[serde(default)]
    pub office: Option<String>,
    #[serde(default)]
    pub person: Option<String>,
    /// For `label` and `unlabel`.
    #[serde(default)]
    pub label: Option<String>,
    /// For `event`: as `POST /applications/{id}/events` takes it.
    #[serde(default)]
    pub event: Option<EventBody>,
}

/// The refusal of one application.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

/// What happened to one application.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemResult {
    pub id: String,
    pub done: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BulkResults {
    pub results: Vec<ItemResult>,
}

fn action_of(body: BulkBody) -> Result<(Vec<String>, Action), ServerError> {
    let action = match body.action.as_str() {
        "assign" => Action::Assign {
            office: body
                .office
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty()),
            person: body
                .person
                .map(|p| p.trim().to_uppercase())
                .filter(|p| !p.is_empty()),
        },
        "label" | "unlabel" => Action::Label {
            label: body.label.unwrap_or_default(),
            add: body.action == "label",
        },
        "event" => {
            let event = body
                .event
                .ok_or_else(|| ServerError::BadRequest("event".into()))?;
            let (kind, message, items, reply_by) = event.parts()?;
            Action::Event {
                kind,
                message,
                items,
                reply_by,
            }
        }
        _ => return Err(ServerError::BadRequest("action".into())),
    };
    Ok((body.ids, action))
}

/// One action on many applications, each done on its own with its own rules.
#[utoipa::path(post, path = "/api/v1/office/applications/bulk", operation_id = "office_bulk_action", tag = "office",
    request_body = BulkBody,
    responses(
        (status = 200, description = "What happened to each application, in the order given", body = BulkResults),
        (status = 400, description = "An action of no kind", body = ErrorBody),
        (status = 401, description = "Not logged in, or an invalid credential", body = ErrorBody),
        (status = 403, description = "Not staff here, or a cross-site request", body = ErrorBody),
        (status = 413, description = "A message or list of items too long", body = ErrorBody),
        (status = 422, description = "No application, or more than 200", body = ErrorBody),
        (status = 503, description = "The audit log or the storage is unavailable", body = ErrorBody)),
    security(("staff_session" = []), ("bearer" = [])))]
pub(crate) async fn post(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    req: HttpRequest,
    body: web::Json<BulkBody>,
) -> Result<HttpResponse, ApiError> {
    crate::web::session::check_same_origin(&req, &state, &here)?;
    let (ids, action) = action_of(body.into_inner())?;
    let actor = super::cases::member(&staff).map_err(ServerError::from)?;
    let by = staff.who.principal.person.display_name();
    let origin = crate::web::client_addr::origin_of(&state, &req);
    let member = bulk::Member {
        actor: &actor,
        by: &by,
        grants: &staff.grants,
        origin: &origin,
    };
    let db = state.scoped(&here.tenant.id);
    let now = state.clock.now();
    let today = istanze_protocol::rome::local(now).date_naive();
    let outcomes = bulk::run(&db, member, &ids, &action, today, now)
        .await
        .map_err(ServerError::from)?;
    if matches!(action, Action::Event { .. }) {
        state.wake_worker.notify_one();
    }
    let results = outcomes
        .into_iter()
        .map(|(id, outcome)| match outcome {
            Ok(()) => ItemResult {
                id,
                done: true,
                error: None,
            },
            Err(e) => {
                let e = ServerError::Desk(e);
                ItemResult {
                    id,
                    done: false,
                    error: Some(ItemError {
                        status: e.status().as_u16(),
                        code: e.code(),
                        message: e.message(),
                    }),
                }
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(BulkResults { results }))
}
