//! What staff download from a case page: the filed document of each event (a communication,
//! or the letter of the citizen's reply) and the application's files, the replies' included.
//! Both behind the same reach as the case page ([`crate::cases::open`]).

use actix_web::{web, HttpResponse};

use crate::error::ServerError;
use crate::state::AppState;
use crate::store::attachments::AttachmentStore;
use crate::store::cases::CaseStore;
use crate::web::guards::StaffMember;
use crate::web::tenant::Here;

fn download(bytes: Vec<u8>, name: &str, mime: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(mime.to_owned())
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"{}\"",
                name.replace(['"', '\\'], "_")
            ),
        ))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes)
}

pub(super) async fn event_document(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, ServerError> {
    let (id, event_id) = path.into_inner();
    let db = state.scoped(&here.tenant.id);
    crate::cases::open(&db, &staff.grants, &id).await?;
    let event = db
        .event(&id, event_id)
        .await?
        .ok_or(ServerError::NotFound)?;
    let (name, _) = event.document.ok_or(ServerError::NotFound)?;
    let bytes = db
        .document(&id, event_id)
        .await?
        .ok_or(ServerError::NotFound)?;
    Ok(download(bytes, &name, "application/pdf"))
}

pub(super) async fn file(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ServerError> {
    let (id, file_id) = path.into_inner();
    let db = state.scoped(&here.tenant.id);
    crate::cases::open(&db, &staff.grants, &id).await?;
    let file = db
        .of_submission(&id)
        .await?
        .into_iter()
        .find(|a| a.id == file_id)
        .ok_or(ServerError::NotFound)?;
    let bytes = crate::attachments::read_all(&db, &state.settings, &file).await?;
    Ok(download(bytes, &file.file_name, &file.media_type))
}
