//! `multipart/form-data` submissions through the API: a part `data` with the JSON object and
//! one part per file, named by the JSON pointer of its file field (e.g. `/evento/programma`).
//! Files are received and checked as they stream in; a refused file is reported on its field
//! (422, like any other invalid answer) as soon as it is refused, without reading the rest of
//! the request, and nothing is submitted. A body past the request cap is answered 413.

use actix_web::{web, HttpRequest, HttpResponse};

use futures_util::StreamExt;
use istanze_forms::FieldError;
use serde_json::Value;

use crate::attachments::{Refusal, Upload, UploadBody};
use crate::db::attachment;
use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use crate::web::api::{finish_submission, logged_in};
use crate::web::session::{self, Citizen, MaybeCitizen};
use crate::web::tenant::Here;

fn bad(message: &str) -> ApiError {
    ServerError::Refused(message.to_owned()).into()
}

pub async fn create_submission_multipart(
    state: web::Data<AppState>,
    here: Here,
    req: HttpRequest,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    mut body: UploadBody,
) -> HttpResponse {
    let answer = submission(&state, &here, &req, citizen, &id, &mut body).await;
    body.answer(answer)
}

async fn submission(
    state: &AppState,
    here: &Here,
    req: &HttpRequest,
    citizen: MaybeCitizen,
    id: &str,
    body: &mut UploadBody,
) -> Result<HttpResponse, ApiError> {
    let form = &here
        .tenant
        .forms
        .get(id)
        .map(|f| f.in_lang(crate::i18n::current()))
        .ok_or(ServerError::NotFound)?;
    let citizen = logged_in(citizen)?;
    session::check_same_origin(req, state, here)?;
    if citizen.principal.level() < form.min_level {
        return Err(ServerError::LevelTooLow.into());
    }
    let mut files: Vec<(String, attachment::Model)> = Vec::new();
    let read = read(state, here, &citizen, form, body, &mut files).await;
    let mut data = match read {
        Ok(data) => data,
        Err(e) => {
            // Nothing will refer to the files accepted before the failure.
            let accepted: Vec<attachment::Model> = files.into_iter().map(|(_, a)| a).collect();
            crate::attachments::discard(
                &state.scoped(&here.tenant.id),
                &crate::attachments::directory(&state.settings),
                &accepted,
            )
            .await?;
            return Err(e);
        }
    };
    for (pointer, att) in files {
        istanze_forms::set_at(&mut data, &pointer, Value::String(att.id));
    }
    finish_submission(state, here, req, &citizen, form, data).await
}

/// Reads the parts: the application data, with each accepted file put in `files`.
async fn read(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    form: &istanze_forms::Form,
    body: &mut UploadBody,
    files: &mut Vec<(String, attachment::Model)>,
) -> Result<Value, ApiError> {
    if body.too_large() {
        return Err(ServerError::TooLarge.into());
    }
    let now = state.clock.now();
    let mut data: Option<Value> = None;
    // The content of the parts read so far: what the rest of the body can hold at most.
    let mut consumed: u64 = 0;
    let mut file_bytes: u64 = 0;
    while let Some(part) = body.parts().next().await {
        let unreadable = |body: &UploadBody| -> ApiError {
            if body.too_large() {
                ServerError::TooLarge.into()
            } else {
                bad("richiesta-multipart-non-valida")
            }
        };
        let mut part = match part {
            Ok(p) => p,
            Err(e) => {
                tracing::info!(error = %e, "multipart part refused");
                return Err(unreadable(body));
            }
        };
        let disposition = part.content_disposition().cloned();
        let name = disposition
            .as_ref()
            .and_then(|d| d.get_name())
            .unwrap_or_default()
            .to_owned();
        if name == "data" {
            if data.is_some() {
                return Err(bad("parte-data-compare-piu-volta"));
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = part.next().await {
                let Ok(chunk) = chunk else {
                    return Err(unreadable(body));
                };
                bytes.extend_from_slice(&chunk);
                if bytes.len() > state.settings.server.max_body_bytes {
                    return Err(ServerError::TooLarge.into());
                }
            }
            consumed += bytes.len() as u64;
            data = Some(
                std::str::from_utf8(&bytes)
                    .ok()
                    .and_then(|json| crate::web::api::application_data(json).ok())
                    .ok_or_else(|| bad("parte-data-non-json-valido"))?,
            );
            continue;
        }
        let Some(field) = form.file_field(&name) else {
            return Err(bad(&crate::i18n::trf(
                "parte-sconosciuta",
                &[("name", &format!("{name:?}"))],
            )));
        };
        if files.iter().any(|(p, _)| *p == name) {
            return Err(bad(&crate::i18n::trf(
                "campo-ha-piu-file",
                &[("name", &name)],
            )));
        }
        let file_name = crate::attachments::part_file_name(disposition.as_ref())
            .map_err(|_| bad("nome-file-non-testo-valido"))?
            .unwrap_or_else(|| "allegato".into());
        let upload = Upload {
            administration: &here.tenant.id,
            owner: &citizen.principal.owner(),
            form_id: &form.id,
            field: &field,
            file_name: &file_name,
            total_left: state
                .settings
                .attachments
                .max_total_bytes
                .saturating_sub(file_bytes),
            request_left: body.allowance().saturating_sub(consumed),
        };
        match crate::attachments::receive(state, &upload, &mut part, now).await? {
            Ok(a) => {
                let size = u64::try_from(a.size).unwrap_or(u64::MAX);
                consumed += size;
                file_bytes += size;
                files.push((name, a));
            }
            Err(Refusal::Interrupted) if body.too_large() => {
                return Err(ServerError::TooLarge.into())
            }
            // Refused: the answer comes now, the rest of the body is not read.
            Err(refusal) => {
                return Err(ServerError::Invalid(vec![FieldError {
                    pointer: name,
                    message: refusal.message(),
                }])
                .into())
            }
        }
    }
    let data = data.ok_or_else(|| bad("manca-parte-data-dati-domanda"))?;
    if !data.is_object() {
        return Err(bad("parte-data-deve-essere-oggetto"));
    }
    Ok(data)
}
