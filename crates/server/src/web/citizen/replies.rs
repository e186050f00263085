//! The citizen's reply from their application's page: the integration or the observations
//! the office asked for, or the withdrawal, posted with its files to
//! `/domande/{id}/risposta`. Accepted, the page again, showing it in the timeline; refused,
//! the page again with the reason next to the form, and nothing kept.

use actix_web::{web, HttpResponse};

use crate::attachments::UploadBody;
use crate::cases::CaseError;
use crate::error::ServerError;
use crate::state::AppState;
use crate::web::citizen::applications::{owned, render_receipt};
use crate::web::see_other;
use crate::web::session::MaybeCitizen;
use crate::web::tenant::Here;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/domande/{id}/risposta",
        web::post().guard(crate::web::multipart()).to(post_reply),
    );
}

async fn post_reply(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    mut body: UploadBody,
) -> HttpResponse {
    let answer = reply(&state, &here, citizen, &id, &mut body).await;
    body.answer(answer)
}

async fn reply(
    state: &AppState,
    here: &Here,
    citizen: MaybeCitizen,
    id: &str,
    body: &mut UploadBody,
) -> Result<HttpResponse, ServerError> {
    // A session that ended while the page was open: back to the page after the login (the
    // files sent are not kept).
    let Some(citizen) = citizen.0 else {
        let back: String = id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        return Ok(see_other(&format!("/accedi?next=/domande/{back}")));
    };
    let sub = owned(state, &here.tenant.id, &citizen, id).await?;
    let posted = match crate::web::reply_body::read(state, here, &citizen, &sub, body, true).await {
        Ok(p) => p,
        Err(ServerError::Invalid(errors)) => {
            let message = errors
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join(" ");
            let status = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            return render_receipt(state, here, &citizen, id, Some((status, message))).await;
        }
        Err(e) => return Err(e),
    };
    match crate::web::reply_body::send(state, here, &citizen, id, posted).await {
        Ok(_) => Ok(see_other(&format!("{}/domande/{id}#cronologia", here.base))),
        Err(ServerError::Case(CaseError::Store(e))) => Err(e.into()),
        Err(ServerError::Case(CaseError::NotFound)) => Err(ServerError::NotFound),
        // Refused by the procedure: the page again, saying why next to the form.
        Err(ServerError::Case(refusal)) => {
            let e = ServerError::Case(refusal);
            tracing::info!(error = %e, "reply refused");
            render_receipt(state, here, &citizen, id, Some((e.status(), e.message()))).await
        }
        Err(e) => Err(e),
    }
}
