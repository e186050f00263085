//! The citizen's own applications: "Le mie domande" (drafts and submitted applications with
//! their protocol numbers) and the receipt page of one application, to its owner only.

use crate::store::submissions::{Submission, SubmissionStore};
use actix_web::{web, HttpResponse};

use crate::error::ServerError;
use crate::state::AppState;
use crate::web::citizen::pages::italian_time;
use crate::web::page;
use crate::web::see_other;
use crate::web::session::{Citizen, MaybeCitizen};
use crate::web::tenant::Here;
use crate::web::views;
use istanze_domain::AdministrationId;

pub(in crate::web) async fn mine(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
) -> Result<HttpResponse, ServerError> {
    let Some(citizen) = citizen.0 else {
        return Ok(see_other("/accedi?next=/domande"));
    };
    let rows = state
        .scoped(&here.tenant.id)
        .submitted_by(&citizen.principal.owner())
        .await?;
    let items = rows
        .into_iter()
        .map(|s| views::MineRow {
            protocol: match (s.protocol_number, s.protocol_at) {
                (Some(n), Some(at)) => crate::i18n::trf(
                    "protocollo-numero-data",
                    &[
                        ("n", &format!("{n:07}")),
                        (
                            "date",
                            &istanze_protocol::rome::local(at)
                                .format("%d/%m/%Y")
                                .to_string(),
                        ),
                    ],
                ),
                _ => crate::i18n::tr("in-corso"),
            },
            id: s.id,
            form_title: s.form_title,
            submitted_at: italian_time(s.submitted_at),
        })
        .collect();
    let drafts = crate::store::drafts::DraftStore::drafts_of(
        &state.scoped(&here.tenant.id),
        &citizen.principal.owner(),
    )
    .await?
    .into_iter()
    .map(|d| views::DraftRow {
        form_title: here
            .tenant
            .forms
            .get(&d.form_id)
            .map_or(d.form_id.clone(), |f| f.title.clone()),
        form_id: d.form_id,
        saved_at: italian_time(d.updated_at),
        expires_at: istanze_protocol::rome::local(d.expires_at)
            .format("%d/%m/%Y")
            .to_string(),
    })
    .collect();
    views::html(&views::MineTemplate {
        page: page(&state, &here, Some(&citizen), "mie-domande"),
        items,
        drafts,
    })
}

/// `YYYY-MM-DD` as `DD/MM/YYYY`; anything else as it is.
fn italian_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_owned(),
    }
}

/// A submission, to its owner only: anyone else gets the same 404 as for a missing one.
pub async fn owned(
    state: &AppState,
    admin: &AdministrationId,
    citizen: &Citizen,
    id: &str,
) -> Result<Submission, ServerError> {
    state
        .scoped(admin)
        .owned(&citizen.principal.owner(), id)
        .await?
        .ok_or(ServerError::NotFound)
}

pub(in crate::web) async fn receipt(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
) -> Result<HttpResponse, ServerError> {
    let Some(citizen) = citizen.0 else {
        return Ok(see_other(&format!(
            "/accedi?next=/domande/{}",
            safe_path_segment(&id)
        )));
    };
    render_receipt(&state, &here, &citizen, &id, None).await
}

/// The application's page; `problem` is the refusal of a reply just sent (its status and
/// message).
pub(in crate::web) async fn render_receipt(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    id: &str,
    problem: Option<(actix_web::http::StatusCode, String)>,
) -> Result<HttpResponse, ServerError> {
    let s = owned(state, &here.tenant.id, citizen, id).await?;
    let db = state.scoped(&here.tenant.id);
    let case = match crate::store::cases::CaseStore::case(&db, id).await? {
        Some(case) => {
            let events = crate::store::cases::CaseStore::events(&db, id).await?;
            let today = istanze_protocol::rome::local(state.clock.now()).date_naive();
            Some(crate::web::citizen::case_view::build(&case, &events, today))
        }
        None => None,
    };
    let delivery = match &here.tenant.pec {
        Some(pec) if s.protocol_number.is_some() => Some(match pec.status(&s.id).await? {
            Some(r) => match (&r.remote_number, &r.remote_date, &r.exception) {
                (Some(n), Some(d), _) if r.remote_annulment.is_some() => crate::i18n::trf(
                    "registrazione-n-dell-ufficio-protocollo",
                    &[("n", n), ("date", &italian_date(d))],
                ),
                (Some(n), Some(d), _) => crate::i18n::trf(
                    "registrata-dall-ufficio-protocollo-dell",
                    &[("n", n), ("date", &italian_date(d))],
                ),
                (_, _, Some(reason)) => {
                    crate::i18n::trf("l-ufficio-protocollo-dell-ente", &[("reason", reason)])
                }
                _ => crate::i18n::tr("inviata-all-ufficio-protocollo-dell"),
            },
            None => crate::i18n::tr("invio-all-ufficio-protocollo-dell"),
        }),
        _ => None,
    };
    let view = views::ReceiptTemplate {
        delivery,
        case,
        problem: problem.as_ref().map(|(_, m)| m.clone()),
        page: page(state, here, Some(citizen), "ricevuta"),
        pending: s.protocol_number.is_none(),
        protocol_number: s
            .protocol_number
            .map(|n| format!("{n:07}"))
            .unwrap_or_default(),
        protocol_date: s.protocol_at.map(italian_time).unwrap_or_default(),
        segnatura: s.segnatura,
        form_title: s.form_title,
        subject: s.subject,
        submitted_at: italian_time(s.submitted_at),
        document_sha256: s.document_sha256,
        id: s.id,
    };
    match problem {
        Some((status, _)) => views::html_status(&view, status),
        None => views::html(&view),
    }
}

/// Keeps only the characters a submission id (a UUID) can have, for use in a `next` path.
fn safe_path_segment(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
