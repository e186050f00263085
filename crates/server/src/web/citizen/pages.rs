//! Citizen pages: catalogue, login choice, service form, receipt, my applications, logout.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use istanze_forms::{FieldError, Form};
use serde::Deserialize;
use serde_json::Value;

use crate::error::ServerError;
use crate::state::AppState;
use crate::store::attachments::AttachmentStore;
use crate::submit::{self, Outcome};
use crate::web::session::{self, Citizen, MaybeCitizen};
use crate::web::tenant::Here;
use crate::web::views::{self, FormCard, IdpLink};
use crate::web::{page, see_other};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/accedi", web::get().to(login_choice))
        .route("/servizi/{id}", web::get().to(service))
        .route(
            "/servizi/{id}",
            web::post()
                .guard(crate::web::multipart())
                .to(crate::web::citizen::pages_upload::service_submit_multipart),
        )
        .route("/servizi/{id}", web::post().to(service_submit))
        .route("/servizi/{id}/bozza/elimina", web::post().to(discard_draft))
        .route(
            "/domande",
            web::get().to(crate::web::citizen::applications::mine),
        )
        .route(
            "/domande/{id}",
            web::get().to(crate::web::citizen::applications::receipt),
        )
        .route("/esci", web::post().to(logout));
}

/// Italian civil time (the administration's clock) for display, in the request's language:
/// "02/12/2026 alle 10:30", "02/12/2026 at 10:30".
pub fn italian_time(t: DateTime<Utc>) -> String {
    let local = istanze_protocol::rome::local(t);
    crate::i18n::trf(
        "data-alle-ora",
        &[
            ("date", &local.format("%d/%m/%Y").to_string()),
            ("time", &local.format("%H:%M").to_string()),
        ],
    )
}

async fn home(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
) -> Result<HttpResponse, ServerError> {
    let forms = here
        .tenant
        .forms
        .iter()
        .map(|f| f.in_lang(crate::i18n::current()))
        .map(|f| FormCard {
            id: f.id.clone(),
            title: f.title.clone(),
            description: f.description.clone(),
            office: f.office.clone(),
            level: f.min_level.number(),
        })
        .collect();
    views::html(&views::HomeTemplate {
        page: page(&state, &here, citizen.0.as_ref(), "servizi-online"),
        forms,
    })
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    level: Option<u8>,
}

async fn login_choice(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    q: web::Query<LoginQuery>,
) -> Result<HttpResponse, ServerError> {
    let next = session::local_path(q.next.as_deref());
    let level = q.level.unwrap_or(2).clamp(1, 3);
    let link = |idp: &istanze_auth::saml::IdpDescriptor, name: String| {
        let query = serde_urlencoded::to_string([
            ("idp", idp.entity_id.as_str()),
            ("next", next.as_str()),
            ("level", &level.to_string()),
        ])
        .unwrap_or_default();
        IdpLink {
            name,
            url: format!("/spid/login?{query}"),
        }
    };
    let special = |id: &Option<String>| {
        id.as_deref()
            .and_then(|id| state.idp(id))
            .map(|idp| link(idp, String::new()))
    };
    let mut idps: Vec<IdpLink> = state
        .idps
        .iter()
        .filter(|i| {
            Some(&i.entity_id) != state.cie_idp.as_ref()
                && Some(&i.entity_id) != state.eidas_idp.as_ref()
        })
        .map(|idp| {
            let name = idp
                .display_name
                .clone()
                .unwrap_or_else(|| host_of(&idp.entity_id));
            link(idp, name)
        })
        .collect();
    idps.sort_by_key(|i| i.name.to_lowercase());
    views::html(&views::LoginTemplate {
        page: page(&state, &here, citizen.0.as_ref(), "accedi"),
        idps,
        cie: special(&state.cie_idp),
        eidas: special(&state.eidas_idp),
        level,
    })
}

fn host_of(entity_id: &str) -> String {
    url::Url::parse(entity_id)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| entity_id.to_owned())
}

pub(in crate::web) use crate::web::citizen::form_for::form_for;

/// The login page for a form, asking for at least the form's level.
pub(in crate::web) fn login_url(form: &Form) -> String {
    let q = serde_urlencoded::to_string([
        ("next", format!("/servizi/{}", form.id)),
        ("level", form.min_level.number().to_string()),
    ])
    .unwrap_or_default();
    format!("/accedi?{q}")
}

/// The ids of the uploaded files `data` refers to.
pub(in crate::web) fn file_ids(form: &Form, data: &Value) -> Vec<String> {
    form.file_fields()
        .iter()
        .filter_map(|f| data.pointer(&f.pointer).and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

pub(in crate::web) fn allowed(citizen: &Citizen, form: &Form) -> bool {
    citizen.principal.level() >= form.min_level
}

#[derive(Deserialize)]
struct ServiceQuery {
    salvata: Option<String>,
}

async fn service(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    q: web::Query<ServiceQuery>,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(&state, &here, citizen.0.as_ref(), &id).await?;
    match citizen.0 {
        Some(_) if !form.pages.is_empty() => Ok(see_other(&format!(
            "/servizi/{}/passo/1{}",
            form.id,
            if q.salvata.is_some() {
                "?salvata=1"
            } else {
                ""
            }
        ))),
        Some(c) if allowed(&c, form) => {
            // A saved draft is taken up where it was left, on any device.
            let draft = crate::store::drafts::DraftStore::find(
                &state.scoped(&here.tenant.id),
                &c.principal.owner(),
                &form.id,
            )
            .await?;
            let mut data = draft
                .as_ref()
                .and_then(|d| serde_json::from_str(&d.data).ok())
                .unwrap_or_else(|| Value::Object(Default::default()));
            let locked = form.apply_prefill(&mut data, &c.principal.person.prefill_attributes());
            render_form(
                &state,
                &here,
                &c,
                form,
                &data,
                &[],
                &locked,
                state.ids.uuid(),
                StatusCode::OK,
                Shown {
                    draft: draft.map(|d| italian_time(d.updated_at)),
                    saved: q.salvata.is_some(),
                    step: None,
                    focus: None,
                    discard: false,
                },
            )
            .await
        }
        other => views::html(&views::ServiceLoginTemplate {
            page: page(&state, &here, other.as_ref(), &form.title),
            title: form.title.clone(),
            description: form.description.clone(),
            office: form.office.clone(),
            level: form.min_level.number(),
            login_url: login_url(form),
        }),
    }
}

/// What else a form page shows: the draft it resumes, that it was just saved, which step.
#[derive(Debug, Default)]
pub(in crate::web) struct Shown {
    pub draft: Option<String>,
    pub saved: bool,
    /// 0-based step of a multi-step form.
    pub step: Option<usize>,
    /// The row of a repeatable group just added, whose first field takes the focus.
    pub focus: Option<String>,
    /// A draft exists (a step page offers to discard it).
    pub discard: bool,
}

#[allow(clippy::too_many_arguments)]
pub(in crate::web) async fn render_form(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    form: &Form,
    data: &Value,
    errors: &[FieldError],
    locked: &BTreeSet<String>,
    submission_id: uuid::Uuid,
    status: StatusCode,
    shown: Shown,
) -> Result<HttpResponse, ServerError> {
    let mut view = form.render_focused(data, errors, locked, shown.focus.as_deref());
    let mut errors = errors.to_vec();
    if let Some(n) = shown.step {
        view = form.render_page(view, n);
        errors = form.page_errors(&errors, n);
    }
    let errors = &errors;
    // The files already accepted are shown by name, and kept.
    let ids = file_ids(form, data);
    let files = state
        .scoped(&here.tenant.id)
        .owned_files(&citizen.principal.owner(), ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.file_name))
        .collect();
    let mut t = views::ServiceTemplate::new(
        page(state, here, Some(citizen), &form.title),
        view,
        form.office.clone(),
        errors,
        submission_id.to_string(),
        files,
    );
    t.draft = shown.draft;
    t.saved = shown.saved;
    t.discard = shown.discard;
    if let Some(n) = shown.step {
        t.action = format!("/servizi/{}/passo/{}", form.id, n + 1);
        t.step = Some(views::StepView {
            number: n + 1,
            total: form.page_count(),
            titles: (0..form.page_count())
                .map(|i| form.page_title(i).unwrap_or_default().to_owned())
                .collect(),
        });
    }
    views::html_status(&t, status)
}

async fn service_submit(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    posted: Result<crate::web::urlencoded::FormFields, ServerError>,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(&state, &here, citizen.0.as_ref(), &id).await?;
    let Some(citizen) = citizen.0 else {
        return Ok(see_other(&login_url(form)));
    };
    let posted = posted?;
    let fields = &posted.fields;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    session::check_csrf(&citizen, field("_csrf"))?;
    finish_service_submit(&state, &here, &citizen, form, fields, posted.refusals()).await
}

/// Submits the posted `fields`, or shows the form again with the errors (`refused`: files that
/// were not accepted, or text that was not UTF-8, reported on their fields before the other
/// checks).
pub(in crate::web) async fn finish_service_submit(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    form: &Form,
    fields: &[(String, String)],
    refused: Vec<FieldError>,
) -> Result<HttpResponse, ServerError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if !allowed(citizen, form) {
        return Ok(see_other(&login_url(form)));
    }
    let submission_id = field("_id")
        .and_then(|v| uuid::Uuid::parse_str(v).ok())
        .unwrap_or_else(|| state.ids.uuid());
    let mut data = form.data_from_fields(fields);
    let locked = form.apply_prefill(&mut data, &citizen.principal.person.prefill_attributes());
    let action = field("_action");
    let (errors, shown) = if let Some(action) = action.filter(|a| istanze_forms::is_group_action(a))
    {
        // Rows are added or removed on the server, so this works without JavaScript; the
        // answers so far are kept in the draft, as at every other step.
        let focus = form.apply_group_action(&mut data, action);
        crate::drafts::save(
            &state.scoped(&here.tenant.id),
            &citizen.principal,
            form,
            &data,
            state.ids.uuid().to_string(),
            state.settings.drafts.expires_at(state.clock.now()),
            state.clock.now(),
        )
        .await?;
        (
            refused,
            Shown {
                focus,
                ..Shown::default()
            },
        )
    } else {
        // From here on, what is saved, checked and shown again is the same: empty rows and
        // answers that no longer apply are out, so that errors point where the citizen looks.
        form.prune(&mut data);
        let saved = action == Some("bozza");
        let errors = if saved {
            // Saved as it is: a draft need not be complete or valid.
            refused
        } else if refused.is_empty() {
            match submit::submit(
                &state.submitting(&here.tenant),
                &citizen.principal,
                form,
                data.clone(),
                // The page view's id is the key; on a page shown again it stays the same.
                submit::id_for_key(&here.tenant.id, &citizen.principal.owner(), submission_id),
                state.clock.now(),
            )
            .await?
            {
                Outcome::Accepted(s) | Outcome::Existing(s) => {
                    return Ok(see_other(&format!("/domande/{}", s.id)))
                }
                Outcome::Invalid(errors) => errors,
            }
        } else {
            // Say everything at once: the refused files, then what else is missing or wrong.
            let mut all = refused;
            for e in form.validate(&data).err().unwrap_or_default() {
                if !all.iter().any(|r| r.pointer == e.pointer) {
                    all.push(e);
                }
            }
            all
        };
        // Not sent, but not lost either: what was entered is kept as the draft, to be found
        // again from any device if the citizen stops here.
        crate::drafts::save(
            &state.scoped(&here.tenant.id),
            &citizen.principal,
            form,
            &data,
            state.ids.uuid().to_string(),
            state.settings.drafts.expires_at(state.clock.now()),
            state.clock.now(),
        )
        .await?;
        if saved && errors.is_empty() {
            return Ok(see_other(&format!("/servizi/{}?salvata=1", form.id)));
        }
        (
            errors,
            Shown {
                saved,
                ..Shown::default()
            },
        )
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_form(
        state,
        here,
        citizen,
        form,
        &data,
        &errors,
        &locked,
        submission_id,
        status,
        shown,
    )
    .await
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(rename = "_csrf")]
    csrf: String,
}

async fn discard_draft(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    body: web::Form<CsrfForm>,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(&state, &here, citizen.0.as_ref(), &id).await?;
    let Some(citizen) = citizen.0 else {
        return Ok(see_other(&login_url(form)));
    };
    session::check_csrf(&citizen, Some(&body.csrf))?;
    crate::drafts::discard(
        &state.scoped(&here.tenant.id),
        &citizen.principal.owner(),
        &form.id,
    )
    .await?;
    Ok(see_other(&format!("/servizi/{}", form.id)))
}

#[derive(Deserialize)]
struct LogoutForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

async fn logout(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, ServerError> {
    if let Some(c) = &citizen.0 {
        session::check_csrf(c, form.csrf.as_deref())?;
    }
    crate::web::login::spid::logout_redirect(&state, &here, citizen.0.as_ref()).await
}
