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

/// `Content-Disposition` for a file named `name` (a citizen's file name may have any letter):
/// an ASCII fallback and the UTF-8 name of RFC 6266.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            '"' | '\\' => '_',
            c if c.is_ascii_graphic() || c == ' ' => c,
            _ => '_',
        })
        .collect();
    // form_urlencoded writes a space as `+` and a `+` as `%2B`: RFC 5987 wants `%20`.
    let utf8: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{utf8}")
}

fn download(bytes: Vec<u8>, name: &str, mime: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(mime.to_owned())
        .insert_header(("Content-Disposition", disposition(name)))
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
    event_pdf(&state, &here, &staff, &id, event_id).await
}

/// The filed document of event `event_id` of case `id`, within the member's reach (the page's
/// download and the office API's).
pub(in crate::web) async fn event_pdf(
    state: &AppState,
    here: &Here,
    staff: &StaffMember,
    id: &str,
    event_id: i64,
) -> Result<HttpResponse, ServerError> {
    let db = state.scoped(&here.tenant.id);
    crate::cases::open(&db, &staff.grants, id).await?;
    let event = db.event(id, event_id).await?.ok_or(ServerError::NotFound)?;
    let (name, _) = event.document.ok_or(ServerError::NotFound)?;
    let bytes = db
        .document(id, event_id)
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

#[cfg(test)]
mod tests {
    #[test]
    fn any_file_name_makes_a_valid_header() {
        let d = super::disposition("ricevuta \"città\".pdf");
        assert_eq!(
            d,
            "attachment; filename=\"ricevuta _citt__.pdf\"; filename*=UTF-8''ricevuta%20%22citt%C3%A0%22.pdf"
        );
        assert!(actix_web::http::header::HeaderValue::from_str(&d).is_ok());
    }
}
