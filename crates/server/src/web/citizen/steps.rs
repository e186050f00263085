//! Multi-step forms: one page per step, each saving the server-side draft, a progress
//! indicator, "Indietro" without checks, "Avanti" after checking the step's own fields, and a
//! summary of every answer with links back to each step before the final submit.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use istanze_forms::{FieldError, Form, SummaryItem};
use serde::Deserialize;
use serde_json::Value;

use crate::attachments::UploadBody;
use crate::error::ServerError;
use crate::state::AppState;
use crate::store::attachments::AttachmentStore;
use crate::submit::{self, Outcome};
use crate::web::citizen::pages::{allowed, form_for, login_url, render_form, Shown};
use crate::web::session::{self, Citizen, MaybeCitizen};
use crate::web::tenant::Here;
use crate::web::{page, see_other, views};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/servizi/{id}/passo/{n}", web::get().to(step))
        .route(
            "/servizi/{id}/passo/{n}",
            web::post()
                .guard(crate::web::multipart())
                .to(step_post_multipart),
        )
        .route("/servizi/{id}/passo/{n}", web::post().to(step_post))
        .route("/servizi/{id}/riepilogo", web::get().to(summary))
        .route("/servizi/{id}/riepilogo", web::post().to(summary_post));
}

#[derive(Deserialize)]
struct StepQuery {
    salvata: Option<String>,
}

/// The citizen, if logged in at the form's level (else the caller sends them to log in).
fn who(citizen: MaybeCitizen, form: &Form) -> Option<Citizen> {
    citizen.0.filter(|c| allowed(c, form))
}

/// The 0-based step from the 1-based number in the URL.
fn index(form: &Form, n: usize) -> Result<usize, ServerError> {
    if form.pages.is_empty() || n == 0 || n > form.page_count() {
        return Err(ServerError::NotFound);
    }
    Ok(n - 1)
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    here: &Here,
    c: &Citizen,
    form: &Form,
    n: usize,
    errors: &[FieldError],
    saved: bool,
    status: StatusCode,
    focus: Option<String>,
) -> Result<HttpResponse, ServerError> {
    let draft = crate::store::drafts::DraftStore::find(
        &state.scoped(&here.tenant.id),
        &c.principal.owner(),
        &form.id,
    )
    .await?;
    let discard = draft.is_some();
    let mut data = draft
        .and_then(|d| serde_json::from_str(&d.data).ok())
        .unwrap_or_else(|| Value::Object(Default::default()));
    let locked = form.apply_prefill(&mut data, &c.principal.person.prefill_attributes());
    render_form(
        state,
        here,
        c,
        form,
        &data,
        errors,
        &locked,
        state.ids.uuid(),
        status,
        Shown {
            draft: None,
            saved,
            step: Some(n),
            focus,
            discard,
        },
    )
    .await
}

async fn step(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    path: web::Path<(String, usize)>,
    q: web::Query<StepQuery>,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(&state, &here, citizen.0.as_ref(), &path.0).await?;
    let n = index(form, path.1)?;
    let Some(c) = who(citizen, form) else {
        return Ok(see_other(&login_url(form)));
    };
    show(
        &state,
        &here,
        &c,
        form,
        n,
        &[],
        q.salvata.is_some(),
        StatusCode::OK,
        None,
    )
    .await
}

async fn step_post_multipart(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    path: web::Path<(String, usize)>,
    mut payload: UploadBody,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(&state, &here, citizen.0.as_ref(), &path.0).await?;
    let n = index(form, path.1)?;
    let Some(c) = who(citizen, form) else {
        return Ok(see_other(&login_url(form)));
    };
    let answer = match crate::web::citizen::pages_upload::read(
        &state,
        &here,
        &c,
        form,
        &mut payload,
    )
    .await
    {
        Ok((fields, refused)) => advance(&state, &here, &c, form, n, &fields, refused).await,
        Err(e) => Err(e),
    };
    // The answer keeps the upload's payload until it is sent (see `UploadBody`).
    Ok(payload.answer(answer))
}

async fn step_post(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    path: web::Path<(String, usize)>,
    posted: crate::web::urlencoded::FormFields,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(&state, &here, citizen.0.as_ref(), &path.0).await?;
    let n = index(form, path.1)?;
    let Some(c) = who(citizen, form) else {
        return Ok(see_other(&login_url(form)));
    };
    let csrf = posted
        .fields
        .iter()
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.as_str());
    session::check_csrf(&c, csrf)?;
    advance(
        &state,
        &here,
        &c,
        form,
        n,
        &posted.fields,
        posted.refusals(),
    )
    .await
}

/// Saves the step into the draft, then goes where the citizen asked.
async fn advance(
    state: &AppState,
    here: &Here,
    c: &Citizen,
    form: &Form,
    n: usize,
    fields: &[(String, String)],
    refused: Vec<FieldError>,
) -> Result<HttpResponse, ServerError> {
    let action = fields
        .iter()
        .find(|(k, _)| k == "_action")
        .map(|(_, v)| v.as_str());
    let mut page_data = form.data_from_fields(fields);
    let focus = action
        .filter(|a| istanze_forms::is_group_action(a))
        .map(|a| form.apply_group_action(&mut page_data, a));
    let draft = crate::drafts::data(
        &state.scoped(&here.tenant.id),
        &c.principal.owner(),
        &form.id,
    )
    .await?;
    let mut data = form.merge_page(&draft, &page_data, n);
    if focus.is_none() {
        // Saved as it will be checked and shown again, so that errors point at the rows and
        // fields the citizen sees (empty rows and answers that no longer apply are gone).
        form.apply_prefill(&mut data, &c.principal.person.prefill_attributes());
        form.prune(&mut data);
    }
    crate::drafts::save(
        &state.scoped(&here.tenant.id),
        &c.principal,
        form,
        &data,
        state.ids.uuid().to_string(),
        state.settings.drafts.expires_at(state.clock.now()),
        state.clock.now(),
    )
    .await?;
    if let Some(focus) = focus {
        let status = if refused.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return show(state, here, c, form, n, &refused, false, status, focus).await;
    }
    let at = |k: usize| format!("/servizi/{}/passo/{}", form.id, k + 1);
    match action {
        // A file refused on the way back or on saving is not dropped silently: the step is
        // shown again (saved) with the reason, and the citizen decides.
        Some("indietro" | "bozza") if !refused.is_empty() => {
            return show(
                state,
                here,
                c,
                form,
                n,
                &refused,
                true,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await;
        }
        Some("indietro") => return Ok(see_other(&at(n.saturating_sub(1)))),
        Some("bozza") => return Ok(see_other(&format!("{}?salvata=1", at(n)))),
        _ => {}
    }
    let checked = data;
    let mut errors = refused;
    for e in form.page_errors(&form.validate(&checked).err().unwrap_or_default(), n) {
        if !errors.iter().any(|r| r.pointer == e.pointer) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return show(
            state,
            here,
            c,
            form,
            n,
            &errors,
            false,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        )
        .await;
    }
    if n + 1 < form.page_count() {
        Ok(see_other(&at(n + 1)))
    } else {
        Ok(see_other(&format!("/servizi/{}/riepilogo", form.id)))
    }
}

async fn summary(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(&state, &here, citizen.0.as_ref(), &id).await?;
    let Some(c) = who(citizen, form) else {
        return Ok(see_other(&login_url(form)));
    };
    let mut data = crate::drafts::data(
        &state.scoped(&here.tenant.id),
        &c.principal.owner(),
        &form.id,
    )
    .await?;
    form.apply_prefill(&mut data, &c.principal.person.prefill_attributes());
    form.prune(&mut data);
    // The names of the files this draft refers to (not every file the citizen ever sent).
    let ids = crate::web::citizen::pages::file_ids(form, &data);
    let names = state
        .scoped(&here.tenant.id)
        .owned_files(&c.principal.owner(), ids)
        .await?;
    let items = form.summary(&data);
    let steps = (0..form.page_count())
        .map(|k| views::SummaryStep {
            title: form.page_title(k).unwrap_or_default().to_owned(),
            edit: format!("/servizi/{}/passo/{}", form.id, k + 1),
            answers: items
                .iter()
                .scan(String::new(), |section, i| {
                    Some(match i {
                        SummaryItem::Section { title, .. } => {
                            section.clone_from(title);
                            None
                        }
                        SummaryItem::Answer { pointer, .. } if !form.on_page(pointer, k) => None,
                        // A row's answers say which row: "Esperienza lavorativa n. 2: Dal".
                        SummaryItem::Answer { pointer, label, .. }
                            if pointer.split('/').any(|t| t.parse::<usize>().is_ok()) =>
                        {
                            Some((format!("{section}: {label}"), i))
                        }
                        SummaryItem::Answer { label, .. } => Some((label.clone(), i)),
                    })
                })
                .flatten()
                .filter_map(|(label, i)| match i {
                    SummaryItem::Answer { value, .. } => Some((
                        label,
                        names
                            .iter()
                            .find(|a| a.id == *value)
                            .map_or(value.clone(), |a| a.file_name.clone()),
                    )),
                    _ => None,
                })
                .collect(),
        })
        .collect();
    views::html(&views::SummaryTemplate {
        page: page(&state, &here, Some(&c), &form.title),
        form_id: form.id.clone(),
        title: form.title.clone(),
        steps,
        submission_id: state.ids.uuid().to_string(),
    })
}

#[derive(Deserialize)]
struct FinalSubmit {
    #[serde(rename = "_csrf")]
    csrf: String,
    #[serde(rename = "_id")]
    id: String,
}

async fn summary_post(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    body: web::Form<FinalSubmit>,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(&state, &here, citizen.0.as_ref(), &id).await?;
    let Some(c) = who(citizen, form) else {
        return Ok(see_other(&login_url(form)));
    };
    session::check_csrf(&c, Some(&body.csrf))?;
    let submission_id = uuid::Uuid::parse_str(&body.id).map_or_else(
        |_| state.ids.uuid(),
        |key| submit::id_for_key(&here.tenant.id, &c.principal.owner(), key),
    );
    let data = crate::drafts::data(
        &state.scoped(&here.tenant.id),
        &c.principal.owner(),
        &form.id,
    )
    .await?;
    match submit::submit(
        &state.submitting(&here.tenant),
        &c.principal,
        form,
        data,
        submission_id,
        state.clock.now(),
    )
    .await?
    {
        Outcome::Accepted(s) | Outcome::Existing(s) => Ok(see_other(&format!("/domande/{}", s.id))),
        // Something is missing after all: back to the first step that needs it.
        Outcome::Invalid(errors) => {
            let n = errors
                .iter()
                .map(|e| form.page_of(&e.pointer))
                .min()
                .unwrap_or(0);
            show(
                &state,
                &here,
                &c,
                form,
                n,
                &errors,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
            )
            .await
        }
    }
}
