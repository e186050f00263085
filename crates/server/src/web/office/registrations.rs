//! `/ufficio/registrazioni/{anno}/{numero}`: one registration of the administration's register
//! as the register keeps it, with its annulment; the records manager annuls it there, naming
//! the authorising act and the reason and confirming, since an annulment cannot be undone.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::annulments::{self, AnnulError};
use crate::error::ServerError;
use crate::state::AppState;
use crate::web::guards::StaffMember;
use crate::web::see_other;
use crate::web::tenant::Here;
use crate::web::views::Page;

/// An annulment as the page shows it.
#[derive(Debug, Clone)]
pub struct AnnulmentView {
    pub at: String,
    pub act: String,
    pub reason: String,
    pub operator: String,
}

#[derive(Template)]
#[template(path = "office_registration.html")]
pub struct RegistrationView {
    pub page: Page,
    pub year: i32,
    pub number: String,
    pub register: String,
    pub at: String,
    pub direction: String,
    pub subject: String,
    pub classification: String,
    pub case_file: String,
    pub document: String,
    pub sha256: String,
    /// The case page of the application it belongs to, if any.
    pub case_href: Option<String>,
    pub annulment: Option<AnnulmentView>,
    pub can_annul: bool,
    pub problem: Option<String>,
    /// What was written before a refusal, given back.
    pub act: String,
    pub reason: String,
    /// Set after an annulment: it is done.
    pub annulled_now: bool,
}

#[derive(Deserialize)]
pub(super) struct ShowQuery {
    annullata: Option<String>,
}

pub(super) async fn show(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    path: web::Path<(i32, i64)>,
    q: web::Query<ShowQuery>,
) -> Result<HttpResponse, ServerError> {
    let (year, number) = *path;
    let mut view = render(&state, &here, &staff, year, number).await?;
    view.annulled_now = q.annullata.is_some() && view.annulment.is_some();
    crate::web::views::html(&view)
}

async fn render(
    state: &AppState,
    here: &Here,
    staff: &StaffMember,
    year: i32,
    number: i64,
) -> Result<RegistrationView, ServerError> {
    let tenant = &here.tenant;
    let r = annulments::registration(
        &tenant.settings,
        &tenant.register_db,
        &staff.grants,
        year,
        number,
    )
    .await?;
    let time = crate::web::citizen::pages::italian_time;
    let e = r.entry;
    Ok(RegistrationView {
        page: crate::web::page(state, here, Some(&staff.who), "uff-registrazione"),
        year: e.year,
        number: format!("{:07}", e.number),
        register: e.register,
        at: time(e.registered_at),
        direction: crate::i18n::tr(match e.direction.as_str() {
            "P" => "uff-in-uscita",
            "I" => "uff-interna",
            _ => "uff-in-entrata",
        }),
        subject: e.subject,
        classification: e.classification,
        case_file: e.case_file_code,
        document: e.primary_name,
        sha256: e.primary_sha256,
        case_href: r
            .application
            .map(|id| format!("{}/ufficio/domande/{id}", here.base)),
        annulment: r.annulment.map(|a| AnnulmentView {
            at: time(a.annulled_at),
            act: a.authorising_act,
            reason: a.reason,
            operator: a.operator,
        }),
        can_annul: annulments::may_annul(&staff.grants),
        problem: None,
        act: String::new(),
        reason: String::new(),
        annulled_now: false,
    })
}

#[derive(Deserialize)]
pub(super) struct AnnulForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    #[serde(default)]
    atto: String,
    #[serde(default)]
    motivo: String,
    /// The box that confirms an annulment that cannot be undone.
    conferma: Option<String>,
}

pub(super) async fn annul(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    path: web::Path<(i32, i64)>,
    form: web::Form<AnnulForm>,
) -> Result<HttpResponse, ServerError> {
    crate::web::session::check_csrf(&staff.who, form.csrf.as_deref())?;
    let (year, number) = *path;
    let refused = |e: ServerError| (e.status(), e.message());
    let outcome = if form.conferma.is_none() {
        Err(refused(ServerError::Refused(
            "annullamento-da-confermare".into(),
        )))
    } else {
        let request = annulments::Request {
            authorising_act: form.atto.clone(),
            reason: form.motivo.clone(),
        };
        let tenant = &here.tenant;
        match annulments::annul(
            &tenant.settings,
            &tenant.register_db,
            &staff.grants,
            &operator(&staff),
            (year, number),
            &request,
            state.clock.now(),
        )
        .await
        {
            Ok(_) => Ok(()),
            Err(e @ (AnnulError::Register(_) | AnnulError::NotFound)) => return Err(e.into()),
            Err(e) => Err(refused(e.into())),
        }
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "{}/ufficio/registrazioni/{year}/{number}?annullata=1#annullamento",
            here.base
        ))),
        Err((status, message)) => {
            let mut view = render(&state, &here, &staff, year, number).await?;
            view.problem = Some(message);
            view.act = form.atto.clone();
            view.reason = form.motivo.clone();
            crate::web::views::html_status(&view, status)
        }
    }
}

/// The records manager as the register names them: name and fiscal code.
pub(super) fn operator(staff: &StaffMember) -> String {
    let person = &staff.who.principal.person;
    match person.subject.fiscal_code() {
        Some(cf) => format!("{} ({cf})", person.display_name()),
        None => person.display_name(),
    }
}
