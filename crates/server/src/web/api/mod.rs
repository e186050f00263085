//! The JSON API (`/api/v1`), authenticated by the session cookie. Writes are refused when the
//! browser marks them cross-site; errors are JSON with messages in the request's language (Italian by default).

mod multipart;
pub(crate) mod oauth;
pub(crate) mod replies;
pub mod types;

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use self::types::{Administration, FormDefinition, FormList, FormSummary, Submission};
use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use crate::submit::{self, Outcome};
use crate::web::session::{self, Citizen, MaybeCitizen};
use crate::web::tenant::Here;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/administrations", web::get().to(list_administrations))
            .route("/oauth/token", web::post().to(oauth::token))
            .route(
                "/openapi.json",
                web::get().to(crate::web::openapi::openapi_json),
            )
            .route("/forms", web::get().to(list_forms))
            .route("/forms/{id}", web::get().to(get_form))
            .route(
                "/forms/{id}/submissions",
                web::post()
                    .guard(crate::web::multipart())
                    .to(multipart::create_submission_multipart),
            )
            .route("/forms/{id}/submissions", web::post().to(create_submission))
            .route("/submissions/{id}", web::get().to(get_submission))
            .route(
                "/submissions/{id}/replies",
                web::post()
                    .guard(crate::web::multipart())
                    .to(replies::post_reply),
            )
            .route(
                "/submissions/{id}/events/{event}/document",
                web::get().to(replies::get_event_document),
            )
            .route("/submissions/{id}/document", web::get().to(get_document))
            .route("/submissions/{id}/receipt", web::get().to(get_receipt)),
    );
}

/// The administrations this installation serves, wherever it is asked: a municipality's
/// site may link its citizens to their own base path from here.
#[utoipa::path(get, path = "/api/v1/administrations", operation_id = "list_administrations", tag = "citizen",
    responses((status = 200, description = "The administrations served", body = Vec<Administration>)))]
pub(crate) async fn list_administrations(state: web::Data<AppState>) -> HttpResponse {
    let list: Vec<Administration> = state
        .tenants
        .iter()
        .map(|t| Administration {
            ipa_code: t.id.to_string(),
            name: t.admin().name.clone(),
            base_path: format!("{}/", t.base_path),
        })
        .collect();
    HttpResponse::Ok().json(list)
}

/// The administration's forms open to citizens.
#[utoipa::path(get, path = "/api/v1/forms", operation_id = "list_forms", tag = "citizen",
    responses((status = 200, description = "The forms", body = FormList)))]
pub(crate) async fn list_forms(here: Here) -> HttpResponse {
    let forms = here
        .tenant
        .forms
        .iter()
        .map(|f| FormSummary {
            id: f.id.clone(),
            version: f.version.clone(),
            title: f.title.clone(),
            description: f.description.clone(),
            office: f.office.clone(),
            min_level: f.min_level,
        })
        .collect();
    HttpResponse::Ok().json(FormList { forms })
}

/// A form's definition (JSON Schema with the form's keywords: steps, conditions, files).
#[utoipa::path(get, path = "/api/v1/forms/{id}", operation_id = "get_form", tag = "citizen",
    params(("id" = String, Path, description = "The form's id")),
    responses(
        (status = 200, description = "The definition", body = FormDefinition),
        (status = 404, description = "No such form", body = types::ErrorBody)))]
pub(crate) async fn get_form(here: Here, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let form = here.tenant.forms.get(&id).ok_or(ServerError::NotFound)?;
    Ok(HttpResponse::Ok().json(form.definition()))
}

pub(in crate::web) fn logged_in(citizen: MaybeCitizen) -> Result<Citizen, ApiError> {
    citizen.0.ok_or(ApiError(ServerError::LoginRequired))
}

/// Submits an application: its data as a JSON object, or as `multipart/form-data` with a
/// part `data` (the JSON object) and one part per file named by its field's JSON pointer.
/// An `Idempotency-Key` (a UUID) makes a retry answer 200 with the application first made.
#[utoipa::path(post, path = "/api/v1/forms/{id}/submissions", operation_id = "create_submission", tag = "citizen",
    params(
        ("id" = String, Path, description = "The form's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "A UUID chosen by the client: a retry with it answers with the same application")),
    request_body(content(
        (Object = "application/json"),
        (types::SubmissionUpload = "multipart/form-data")),
        description = "The application's data, as the form's JSON Schema describes it"),
    responses(
        (status = 201, description = "Stored; filed in the register shortly after", body = Submission,
            headers(("Location" = String, description = "The application's address"))),
        (status = 200, description = "Already stored with this Idempotency-Key", body = Submission),
        (status = 400, description = "Not JSON, or a bad Idempotency-Key", body = types::ErrorBody),
        (status = 401, description = "Not logged in", body = types::ErrorBody),
        (status = 403, description = "Login level below the form's minimum, or a cross-site request", body = types::ErrorBody),
        (status = 404, description = "No such form", body = types::ErrorBody),
        (status = 413, description = "Too large", body = types::ErrorBody),
        (status = 422, description = "Answers refused, each on its field", body = types::ErrorBody)),
    security(("session" = [])))]
pub(crate) async fn create_submission(
    state: web::Data<AppState>,
    here: Here,
    req: HttpRequest,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    // The body's own errors (400, 413, 415) come after 404, 401 and 403: a client learns
    // first whether it may submit at all.
    body: Result<web::Json<Box<serde_json::value::RawValue>>, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    let form = &here
        .tenant
        .forms
        .get(&id)
        .map(|f| f.in_lang(crate::i18n::current()))
        .ok_or(ServerError::NotFound)?;
    let citizen = logged_in(citizen)?;
    session::check_same_origin(&req, &state, &here)?;
    if citizen.principal.level() < form.min_level {
        return Err(ServerError::LevelTooLow.into());
    }
    let data = match body {
        Ok(body) => application_data(body.get())
            .map_err(|e| ApiError(ServerError::BadRequest(e.to_string())))?,
        Err(e) => return Ok(e.error_response()),
    };
    finish_submission(&state, &here, &req, &citizen, form, data).await
}

/// The application's JSON text as data. serde_json refuses a lone surrogate escape
/// (`"\ud800"`) with a syntax error that names no field; marked first, it is refused by
/// validation on the field that holds it (see [`istanze_forms::text::mark_lone_surrogates`]).
pub(in crate::web) fn application_data(json: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&istanze_forms::text::mark_lone_surrogates(json))
}

/// Validates and stores the application `data` (files already uploaded and referenced).
pub(in crate::web) async fn finish_submission(
    state: &AppState,
    here: &Here,
    req: &HttpRequest,
    citizen: &Citizen,
    form: &istanze_forms::Form,
    data: Value,
) -> Result<HttpResponse, ApiError> {
    if !data.is_object() {
        return Err(ServerError::Invalid(vec![istanze_forms::FieldError {
            pointer: String::new(),
            message: crate::i18n::tr("dati-domanda-devono-essere-oggetto"),
        }])
        .into());
    }
    // An Idempotency-Key (a UUID) lets a client retry a submit without making a second one.
    let submission_id = match req.headers().get("idempotency-key") {
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|v| uuid::Uuid::parse_str(v).ok())
            .map(|key| submit::id_for_key(&here.tenant.id, &citizen.principal.owner(), key))
            .ok_or_else(|| ServerError::BadRequest("Idempotency-Key must be a UUID".into()))?,
        None => state.ids.uuid(),
    };
    match submit::submit(
        &state.submitting(&here.tenant),
        &citizen.principal,
        form,
        data,
        submission_id,
        state.clock.now(),
    )
    .await?
    {
        Outcome::Existing(s) => Ok(HttpResponse::Ok().json(Submission::of(&s))),
        Outcome::Accepted(s) => Ok(HttpResponse::Created()
            .insert_header(("Location", format!("/api/v1/submissions/{}", s.id)))
            .json(Submission::of(&s))),
        Outcome::Invalid(errors) => Err(ServerError::Invalid(errors).into()),
    }
}

/// One of the citizen's applications, with its procedure.
#[utoipa::path(get, path = "/api/v1/submissions/{id}", operation_id = "get_submission", tag = "citizen",
    params(("id" = String, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application", body = types::SubmissionDetail),
        (status = 401, description = "Not logged in", body = types::ErrorBody),
        (status = 404, description = "No such application of this citizen", body = types::ErrorBody)),
    security(("session" = [])))]
pub(crate) async fn get_submission(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let citizen = logged_in(citizen)?;
    let s =
        crate::web::citizen::applications::owned(&state, &here.tenant.id, &citizen, &id).await?;
    let (case, events) = replies::case_of(&state, &here, &id).await?;
    Ok(HttpResponse::Ok().json(types::SubmissionDetail {
        submission: Submission::of(&s),
        case,
        events,
    }))
}

/// A file to download, never cached by shared caches (it holds personal data).
fn download(bytes: Vec<u8>, name: &str, mime: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes)
}

/// The application document (PDF/A-2b), to its owner only.
#[utoipa::path(get, path = "/api/v1/submissions/{id}/document", operation_id = "get_document", tag = "citizen",
    params(("id" = String, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The application document", content_type = "application/pdf"),
        (status = 401, description = "Not logged in", body = types::ErrorBody),
        (status = 404, description = "No such application of this citizen", body = types::ErrorBody)),
    security(("session" = [])))]
pub(crate) async fn get_document(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let citizen = logged_in(citizen)?;
    let s =
        crate::web::citizen::applications::owned(&state, &here.tenant.id, &citizen, &id).await?;
    let (bytes, name, mime) = s.primary_document();
    Ok(download(bytes.to_vec(), &name, mime))
}

/// The receipt (PDF/A-2b) as things stand, to the owner only.
#[utoipa::path(get, path = "/api/v1/submissions/{id}/receipt", operation_id = "get_receipt", tag = "citizen",
    params(("id" = String, Path, description = "The application's id")),
    responses(
        (status = 200, description = "The receipt, with the protocol number once filed", content_type = "application/pdf"),
        (status = 401, description = "Not logged in", body = types::ErrorBody),
        (status = 404, description = "No such application of this citizen", body = types::ErrorBody)),
    security(("session" = [])))]
pub(crate) async fn get_receipt(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let citizen = logged_in(citizen)?;
    let s =
        crate::web::citizen::applications::owned(&state, &here.tenant.id, &citizen, &id).await?;
    let administration = here.tenant.admin().name.clone();
    let (pdf, s) = state
        .cpu
        .run(move || (crate::receipt::render(&s, &administration), s))
        .await?;
    let pdf = pdf.map_err(ServerError::from)?;
    Ok(download(
        pdf,
        &format!("ricevuta-{}.pdf", s.id),
        "application/pdf",
    ))
}
