//! `/ufficio/protocollazioni`: the filings not done yet (applications and communications),
//! with their attempts and last error, and the retry of one at once; for the administration's
//! administrators and records managers. Retrying only makes the job due now: the job queue's
//! idempotent filing does the rest, so pressing twice files once.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::error::ServerError;
use crate::jobs_admin;
use crate::state::AppState;
use crate::store::jobs::JobKind;
use crate::web::guards::StaffMember;
use crate::web::see_other;
use crate::web::tenant::Here;
use crate::web::views::Page;

/// A filing waiting, as the page lists it.
#[derive(Debug, Clone)]
pub struct FilingRow {
    pub id: i64,
    pub submission_id: String,
    /// What is filed: the application or a communication.
    pub what: String,
    pub attempts: i32,
    pub since: String,
    pub next: String,
    pub error: String,
    pub stuck: bool,
}

#[derive(Template)]
#[template(path = "office_filings.html")]
pub struct FilingsView {
    pub page: Page,
    pub rows: Vec<FilingRow>,
    /// Set after a retry: the job made due.
    pub retried: bool,
}

fn overseer(staff: &StaffMember) -> Result<(), ServerError> {
    if jobs_admin::may_oversee(&staff.grants) {
        Ok(())
    } else {
        Err(ServerError::Case(crate::cases::CaseError::Role {
            event: istanze_domain::procedure::EventKind::Review,
            needed: istanze_domain::Role::RecordsManager,
        }))
    }
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    riprovata: Option<String>,
}

pub(super) async fn list(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ServerError> {
    overseer(&staff)?;
    let now = state.clock.now();
    let stuck_after = chrono::Duration::minutes(state.settings.worker.stuck_after_minutes);
    let time = crate::web::citizen::pages::italian_time;
    let rows = jobs_admin::pending(
        &state.scoped(&here.tenant.id),
        &JobKind::FILINGS,
        now,
        stuck_after,
    )
    .await?
    .into_iter()
    .map(|j| FilingRow {
        id: j.id,
        what: crate::i18n::tr(if j.event_id == 0 {
            "uff-filing-domanda"
        } else {
            "uff-filing-comunicazione"
        }),
        submission_id: j.submission_id,
        attempts: j.attempts,
        since: time(j.created_at),
        next: time(j.next_attempt_at),
        error: j.last_error.unwrap_or_default(),
        stuck: j.stuck,
    })
    .collect();
    crate::web::views::html(&FilingsView {
        page: crate::web::page(&state, &here, Some(&staff.who), "uff-protocollazioni"),
        rows,
        retried: q.riprovata.is_some(),
    })
}

#[derive(Deserialize)]
pub(super) struct RetryForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

pub(super) async fn retry(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    id: web::Path<i64>,
    form: web::Form<RetryForm>,
) -> Result<HttpResponse, ServerError> {
    crate::web::session::check_csrf(&staff.who, form.csrf.as_deref())?;
    overseer(&staff)?;
    let db = state.scoped(&here.tenant.id);
    if !jobs_admin::retry_job(&db, *id, &JobKind::FILINGS, state.clock.now()).await? {
        // Filed meanwhile, or no such job here.
        return Ok(see_other(&format!("{}/ufficio/protocollazioni", here.base)));
    }
    state.wake_worker.notify_one();
    Ok(see_other(&format!(
        "{}/ufficio/protocollazioni?riprovata=1",
        here.base
    )))
}
