//! `multipart/form-data` submissions through the API: a part `data` with the JSON object and
//! one part per file, named by the JSON pointer of its file field (e.g. `/evento/programma`).
//! Files are received and checked as they stream in; a refused file is reported on its field
//! (422, like any other invalid answer) and nothing is submitted.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use futures_util::StreamExt;
use istanze_forms::FieldError;
use serde_json::Value;

use super::api::{finish_submission, logged_in};
use super::session::{self, MaybeCitizen};
use crate::error::{ApiError, ServerError};
use crate::state::AppState;

fn bad(message: &str) -> ApiError {
    ServerError::Refused(message.to_owned()).into()
}

pub async fn create_submission_multipart(
    state: web::Data<AppState>,
    req: HttpRequest,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let form = &state
        .forms
        .get(&id)
        .map(|f| f.in_lang(crate::i18n::current()))
        .ok_or(ServerError::NotFound)?;
    let citizen = logged_in(citizen)?;
    session::check_same_origin(&req, &state.public_url)?;
    if citizen.identity.level.number() < form.min_level.number() {
        return Err(ServerError::LevelTooLow.into());
    }
    let now = Utc::now();
    let mut data: Option<Value> = None;
    let mut files: Vec<(String, String)> = Vec::new();
    let mut refused: Vec<FieldError> = Vec::new();
    let mut file_bytes: u64 = 0;
    while let Some(part) = payload.next().await {
        let mut part = part.map_err(|e| {
            tracing::info!(error = %e, "multipart part refused");
            bad("Richiesta multipart non valida.")
        })?;
        let disposition = part.content_disposition().cloned();
        let name = disposition
            .as_ref()
            .and_then(|d| d.get_name())
            .unwrap_or_default()
            .to_owned();
        if name == "data" {
            if data.is_some() {
                return Err(bad("La parte \"data\" compare più di una volta."));
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = part.next().await {
                let chunk = chunk.map_err(|_| bad("Richiesta multipart non valida."))?;
                bytes.extend_from_slice(&chunk);
                if bytes.len() > state.settings.server.max_body_bytes {
                    return Err(ServerError::TooLarge.into());
                }
            }
            data = Some(
                serde_json::from_slice(&bytes)
                    .map_err(|_| bad("La parte \"data\" non è un JSON valido."))?,
            );
            continue;
        }
        let Some(field) = form.file_field(&name) else {
            return Err(bad(&format!(
                "Parte sconosciuta {name:?}: i file vanno nelle parti nominate con il puntatore \
                 JSON di un campo allegato del modulo."
            )));
        };
        if files.iter().any(|(p, _)| *p == name) {
            return Err(bad(&crate::i18n::trf(
                "Il campo {name} ha più di un file.",
                &[("name", &name)],
            )));
        }
        let file_name = disposition
            .as_ref()
            .and_then(|d| d.get_filename())
            .unwrap_or("allegato")
            .to_owned();
        match crate::attachments::receive(
            &state,
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
                    return Err(ServerError::TooLarge.into());
                }
                files.push((name, a.id))
            }
            Err(refusal) => refused.push(FieldError {
                pointer: name,
                message: refusal.message(),
            }),
        }
    }
    if !refused.is_empty() {
        return Err(ServerError::Invalid(refused).into());
    }
    let mut data = data.ok_or_else(|| bad("Manca la parte \"data\" con i dati della domanda."))?;
    if !data.is_object() {
        return Err(bad("La parte \"data\" deve essere un oggetto JSON."));
    }
    for (pointer, att) in files {
        istanze_forms::set_at(&mut data, &pointer, Value::String(att));
    }
    finish_submission(&state, &req, &citizen, form, data).await
}
