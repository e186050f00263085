//! The service form posted as `multipart/form-data`, with files. Each file is received and
//! checked as it streams in; a refused file is reported next to its field while everything else
//! the citizen entered, and the files already accepted, stay in the form shown again.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use futures_util::StreamExt;
use istanze_forms::FieldError;

use super::pages::{finish_service_submit, form_of, login_url};
use super::see_other;
use super::session::{self, Citizen, MaybeCitizen};
use crate::error::ServerError;
use crate::state::AppState;

/// The largest text part of the form: a field's value is never near this.
const MAX_TEXT_PART: usize = 64 * 1024;
/// All the text parts together, and how many there may be: far above any real form.
const MAX_TEXT_TOTAL: usize = 2 * 1024 * 1024;
const MAX_PARTS: usize = 2000;

pub async fn service_submit_multipart(
    state: web::Data<AppState>,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, ServerError> {
    let form = &form_of(&state, &id)?;
    let Some(citizen) = citizen.0.filter(|c| super::pages::allowed(c, form)) else {
        return Ok(see_other(&login_url(form)));
    };
    let (fields, refused) = read(&state, &citizen, form, payload).await?;
    finish_service_submit(&state, &citizen, form, &fields, refused).await
}

/// Reads a posted form: its text fields, with the id of each accepted file in its field's place,
/// and the files refused (with the reason, on their fields). The CSRF token is checked first.
pub(super) async fn read(
    state: &AppState,
    citizen: &Citizen,
    form: &istanze_forms::Form,
    mut payload: Multipart,
) -> Result<(Vec<(String, String)>, Vec<FieldError>), ServerError> {
    let now = Utc::now();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut refused: Vec<FieldError> = Vec::new();
    let mut csrf_checked = false;
    let (mut parts, mut text_total) = (0usize, 0usize);
    let mut files_seen: Vec<String> = Vec::new();
    let mut file_bytes: u64 = 0;
    let malformed = || ServerError::Refused("Il modulo inviato non è leggibile: riprova.".into());
    while let Some(part) = payload.next().await {
        let mut part = part.map_err(|_| malformed())?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(ServerError::TooLarge);
        }
        let disposition = part.content_disposition().cloned();
        let name = disposition
            .as_ref()
            .and_then(|d| d.get_name())
            .unwrap_or_default()
            .to_owned();
        let file_name = disposition
            .as_ref()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        let Some(file_name) = file_name else {
            let mut bytes = Vec::new();
            while let Some(chunk) = part.next().await {
                bytes.extend_from_slice(&chunk.map_err(|_| malformed())?);
                if bytes.len() > MAX_TEXT_PART {
                    return Err(ServerError::TooLarge);
                }
            }
            text_total += bytes.len();
            if text_total > MAX_TEXT_TOTAL {
                return Err(ServerError::TooLarge);
            }
            let value = String::from_utf8(bytes).map_err(|_| malformed())?;
            if name == "_csrf" {
                session::check_csrf(citizen, Some(&value))?;
                csrf_checked = true;
            }
            fields.push((name, value));
            continue;
        };
        // The token comes first in the page; no file is taken from a request without it.
        if !csrf_checked {
            return Err(ServerError::Csrf);
        }
        let Some(field) = form.file_field(&name) else {
            return Err(malformed());
        };
        // One file per field and request: a request cannot fill the storage with copies.
        if files_seen.contains(&name) {
            return Err(malformed());
        }
        files_seen.push(name.clone());
        if file_name.is_empty() {
            // "No file chosen": browsers still send an empty part.
            while part.next().await.is_some() {}
            continue;
        }
        match crate::attachments::receive(
            state,
            &citizen.identity.fiscal_number,
            &form.id,
            &field,
            &file_name,
            part,
            now,
        )
        .await?
        {
            Ok(a) => {
                file_bytes += u64::try_from(a.size).unwrap_or(u64::MAX);
                if file_bytes > state.settings.attachments.max_total_bytes {
                    return Err(ServerError::TooLarge);
                }
                // A new file replaces the one uploaded before for the same field.
                fields.retain(|(k, _)| *k != name);
                fields.push((name, a.id));
            }
            Err(refusal) => refused.push(FieldError {
                pointer: name,
                message: refusal.message(),
            }),
        }
    }
    if !csrf_checked {
        return Err(ServerError::Csrf);
    }
    Ok((fields, refused))
}
