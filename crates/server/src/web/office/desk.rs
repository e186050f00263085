//! The case page's own work: assignment to an office and a person, private notes, labels.
//! Each posts a small form and comes back to the case page, with the refusal said there.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::desk::DeskError;
use crate::error::ServerError;
use crate::state::AppState;
use crate::web::guards::StaffMember;
use crate::web::see_other;
use crate::web::tenant::Here;

fn back(here: &Here, id: &str, anchor: &str) -> HttpResponse {
    see_other(&format!("{}/ufficio/domande/{id}#{anchor}", here.base))
}

/// The case page again with the refusal, or the error itself when it is no refusal.
async fn refused(
    state: &AppState,
    here: &Here,
    staff: &StaffMember,
    id: &str,
    e: DeskError,
) -> Result<HttpResponse, ServerError> {
    match e {
        DeskError::Case(crate::cases::CaseError::Store(e)) => Err(e.into()),
        DeskError::Case(crate::cases::CaseError::NotFound) => Err(ServerError::NotFound),
        refusal => {
            let e = ServerError::Desk(refusal);
            super::cases::render(state, here, staff, id, Some((e.status(), e.message()))).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct AssignForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    ufficio: String,
    #[serde(default)]
    persona: String,
}

pub(super) async fn assign(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    id: web::Path<String>,
    form: web::Form<AssignForm>,
) -> Result<HttpResponse, ServerError> {
    crate::web::session::check_csrf(&staff.who, form.csrf.as_deref())?;
    let office = Some(form.ufficio.trim()).filter(|o| !o.is_empty());
    let person = Some(form.persona.trim()).filter(|p| !p.is_empty());
    let db = state.scoped(&here.tenant.id);
    match crate::desk::assign(&db, &staff.grants, &id, office, person, state.clock.now()).await {
        Ok(()) => Ok(back(&here, &id, "assegnazione")),
        Err(e) => refused(&state, &here, &staff, &id, e).await,
    }
}

#[derive(Deserialize)]
pub(super) struct NoteForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    testo: String,
}

pub(super) async fn note(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    id: web::Path<String>,
    form: web::Form<NoteForm>,
) -> Result<HttpResponse, ServerError> {
    crate::web::session::check_csrf(&staff.who, form.csrf.as_deref())?;
    if form.testo.chars().count() > crate::desk::MAX_NOTE {
        return Err(ServerError::TooLarge);
    }
    let author = super::cases::member(&staff)?;
    let db = state.scoped(&here.tenant.id);
    let now = state.clock.now();
    match crate::desk::note(&db, &staff.grants, &author, &id, &form.testo, now).await {
        Ok(_) => Ok(back(&here, &id, "note")),
        Err(e) => refused(&state, &here, &staff, &id, e).await,
    }
}

#[derive(Deserialize)]
pub(super) struct LabelForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    etichetta: String,
    /// `aggiungi` or `togli`.
    azione: String,
}

pub(super) async fn label(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    id: web::Path<String>,
    form: web::Form<LabelForm>,
) -> Result<HttpResponse, ServerError> {
    crate::web::session::check_csrf(&staff.who, form.csrf.as_deref())?;
    let add = match form.azione.as_str() {
        "aggiungi" => true,
        "togli" => false,
        _ => return Err(ServerError::BadRequest("azione".into())),
    };
    let db = state.scoped(&here.tenant.id);
    match crate::desk::label(&db, &staff.grants, &id, &form.etichetta, add).await {
        Ok(()) => Ok(back(&here, &id, "etichette")),
        Err(e) => refused(&state, &here, &staff, &id, e).await,
    }
}
