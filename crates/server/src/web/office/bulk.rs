//! `POST /ufficio/domande/azioni`: the queue page's bulk actions on the applications ticked
//! (`domanda`, repeated): `assegna` (to `ufficio` and/or `persona`), `aggiungi-etichetta` /
//! `togli-etichetta` (`etichetta`), `evento` (`evento`, with `messaggio`, `voci`, `entro` as
//! on the case page), or `esporta` (`formato`: the selection as a file). The answer lists each
//! application with what happened to it.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::bulk::{self, Action};
use crate::error::ServerError;
use crate::state::AppState;
use crate::store::submissions::SubmissionStore;
use crate::web::guards::StaffMember;
use crate::web::tenant::Here;
use crate::web::urlencoded::FormFields;
use crate::web::views::Page;

/// One application of the selection, as the answer shows it.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub id: String,
    /// Protocol number and subject, when it is an application of the administration.
    pub name: String,
    pub done: bool,
    /// Why it was refused.
    pub refusal: String,
}

#[derive(Template)]
#[template(path = "office_bulk.html")]
pub struct BulkView {
    pub page: Page,
    pub summary: String,
    pub rows: Vec<ResultRow>,
    pub back: String,
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// The action the fields ask for.
fn action_of(fields: &[(String, String)]) -> Result<Action, ServerError> {
    let some = |name: &str| Some(field(fields, name).to_owned()).filter(|v| !v.is_empty());
    Ok(match field(fields, "azione") {
        "assegna" => Action::Assign {
            office: some("ufficio"),
            person: some("persona").map(|p| p.to_uppercase()),
        },
        "aggiungi-etichetta" | "togli-etichetta" => Action::Label {
            label: field(fields, "etichetta").to_owned(),
            add: field(fields, "azione") == "aggiungi-etichetta",
        },
        "evento" => {
            if field(fields, "evento").is_empty() {
                return Err(ServerError::Refused("scegli-evento".into()));
            }
            let message = field(fields, "messaggio").to_owned();
            let (kind, items, reply_by) = super::cases::event_of_form(
                field(fields, "evento"),
                &message,
                field(fields, "voci"),
                field(fields, "entro"),
            )?;
            Action::Event {
                kind,
                message,
                items,
                reply_by,
            }
        }
        _ => return Err(ServerError::Refused("scegli-azione".into())),
    })
}

pub(super) async fn post(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    req: actix_web::HttpRequest,
    form: FormFields,
) -> Result<HttpResponse, ServerError> {
    let fields = &form.fields;
    crate::web::session::check_csrf(&staff.who, Some(field(fields, "_csrf")))?;
    let ids: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "domanda")
        .map(|(_, v)| v.trim().to_owned())
        .collect();
    let actor = super::cases::member(&staff)?;
    let origin = crate::web::client_addr::origin_of(&state, &req);
    if field(fields, "azione") == "esporta" {
        // The selection alone: the other boxes of the form (an office to assign to, a label to
        // add) are no filters of it.
        let chosen = bulk::selection(&ids)?;
        let db = state.scoped(&here.tenant.id);
        let now = state.clock.now();
        let mut pairs: Vec<(String, String)> = fields
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "formato" | "modulo" | "colonne" | "colonne-scelte"
                )
            })
            .cloned()
            .collect();
        for (id, _) in chosen {
            // Who exported which application's personal data.
            crate::audit::record(
                &db,
                crate::store::audit::NewEntry {
                    actor: &actor,
                    action: "bulk export",
                    object: &id,
                    origin: &origin,
                    details: serde_json::json!({ "format": field(fields, "formato") }),
                },
                now,
            )
            .await?;
            pairs.push(("domanda".to_owned(), id));
        }
        return super::export::run(&state, &here, &staff, &pairs).await;
    }
    let action = action_of(fields)?;
    let by = staff.who.principal.person.display_name();
    let member = bulk::Member {
        actor: &actor,
        by: &by,
        grants: &staff.grants,
        origin: &origin,
    };
    let db = state.scoped(&here.tenant.id);
    let now = state.clock.now();
    let today = istanze_protocol::rome::local(now).date_naive();
    let outcomes = bulk::run(&db, member, &ids, &action, today, now).await?;
    if matches!(action, Action::Event { .. }) {
        state.wake_worker.notify_one();
    }
    let mut rows = Vec::with_capacity(outcomes.len());
    let mut done = 0;
    for (id, outcome) in outcomes {
        let ok = outcome.is_ok();
        let name = match outcome {
            Err(crate::desk::DeskError::Case(crate::cases::CaseError::NotFound)) => String::new(),
            _ => db
                .get(&id)
                .await?
                .map(|s| match s.protocol_number {
                    Some(n) => format!(
                        "{n:07}/{} {}",
                        s.protocol_year.unwrap_or_default(),
                        s.subject
                    ),
                    None => s.subject,
                })
                .unwrap_or_default(),
        };
        done += usize::from(ok);
        rows.push(ResultRow {
            refusal: outcome
                .err()
                .map(|e| ServerError::Desk(e).message())
                .unwrap_or_default(),
            done: ok,
            id,
            name,
        });
    }
    let refused = rows.len() - done;
    let back = match field(fields, "coda") {
        coda if super::cases::is_queue(coda) => {
            format!("{}/ufficio/domande?coda={coda}", here.base)
        }
        _ => format!("{}/ufficio/domande", here.base),
    };
    let summary = format!(
        "{} {}",
        crate::i18n::trn("uff-azioni-fatte", "count", to_i64(done)),
        crate::i18n::trn("uff-azioni-rifiutate", "count", to_i64(refused))
    );
    crate::web::views::html(&BulkView {
        page: crate::web::page(&state, &here, Some(&staff.who), "uff-esito-azioni"),
        summary,
        rows,
        back,
    })
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
