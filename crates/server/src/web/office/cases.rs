//! The back office's applications: the queues (to take, mine, waiting for the citizen,
//! expiring, decided) with a form filter and pages, and the case page with the answers as the
//! citizen gave them (in the form version they used), the term, the timeline and the events
//! the procedure allows next. Everything through [`crate::cases`], which decides who sees and
//! does what.

use actix_web::{web, HttpResponse};
use chrono::{Duration, NaiveDate};
use istanze_domain::procedure::EventKind;
use serde::Deserialize;

use super::views::{self, CaseView, CasesView, EventRow, QueueLink, Row};
use crate::cases::{CaseError, StaffEvent};
use crate::error::ServerError;
use crate::i18n::tr;
use crate::state::AppState;
use crate::store::cases::{CaseQuery, CaseStore, Queue};
use crate::store::submissions::SubmissionStore;
use crate::web::guards::StaffMember;
use crate::web::see_other;
use crate::web::tenant::Here;

/// Cases a page of a queue shows.
const PER_PAGE: u64 = 50;
/// "Expiring": the term ends within this many days.
const EXPIRING_DAYS: i64 = 7;

/// The queues, by their path parameter, with their title's message id.
const QUEUES: [(&str, &str); 5] = [
    ("da-prendere", "coda-da-prendere"),
    ("mie", "coda-mie"),
    ("in-attesa", "coda-in-attesa-del-cittadino"),
    ("in-scadenza", "coda-in-scadenza"),
    ("decise", "coda-decise"),
];

#[derive(Deserialize)]
pub(super) struct ListQuery {
    coda: Option<String>,
    modulo: Option<String>,
    etichetta: Option<String>,
    pagina: Option<u64>,
    stato: Option<String>,
    ufficio: Option<String>,
    assegnata: Option<String>,
    dal: Option<String>,
    al: Option<String>,
}

fn today(state: &AppState) -> NaiveDate {
    istanze_protocol::rome::local(state.clock.now()).date_naive()
}

/// The member's fiscal code: what grants, assignments and events name them by (a staff
/// session always has one: see [`crate::staff::grants_of`]).
pub(super) fn member(staff: &StaffMember) -> Result<String, crate::staff::StaffError> {
    staff
        .who
        .principal
        .person
        .subject
        .fiscal_code()
        .map(|cf| cf.to_string())
        .ok_or(crate::staff::StaffError::NoFiscalCode)
}

/// "0000042/2026", or nothing before the registration.
fn protocol_of(s: &crate::store::submissions::Submission) -> String {
    s.protocol_number
        .map(|n| format!("{n:07}/{}", s.protocol_year.unwrap_or_default()))
        .unwrap_or_default()
}

/// The filters a queue's page, its export and the API share: the case's state, office,
/// assignee and the days it was received between. A value that is none of its kind is refused
/// (400), not ignored, so that a list never looks narrowed when it is not.
#[derive(Debug, Clone, Default)]
pub(super) struct Narrowing {
    state: Option<istanze_domain::procedure::CaseState>,
    office: Option<String>,
    assignee: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl Narrowing {
    /// Takes the filter `key` (Italian on the pages, English in the API); `false` for a key
    /// that is no filter.
    pub(super) fn take(&mut self, key: &str, value: &str) -> Result<bool, ServerError> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(matches!(
                key,
                "stato"
                    | "state"
                    | "ufficio"
                    | "office"
                    | "assegnata"
                    | "assignee"
                    | "dal"
                    | "received_from"
                    | "al"
                    | "received_to"
            ));
        }
        let day = |name: &str| {
            value
                .parse::<NaiveDate>()
                .map_err(|_| ServerError::BadRequest(name.into()))
        };
        match key {
            "stato" | "state" => {
                self.state = Some(
                    istanze_domain::procedure::CaseState::parse(value)
                        .ok_or_else(|| ServerError::BadRequest(key.into()))?,
                )
            }
            "ufficio" | "office" => self.office = Some(value.to_owned()),
            "assegnata" | "assignee" => self.assignee = Some(value.to_uppercase()),
            "dal" | "received_from" => self.from = Some(day(key)?),
            "al" | "received_to" => self.to = Some(day(key)?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub(super) fn apply(&self, q: &mut CaseQuery) {
        q.state = self.state;
        q.office = self.office.clone();
        q.assignee = self.assignee.clone();
        q.received_from = self.from;
        q.received_to = self.to;
    }
}

/// The queue named `coda` on the page (`da-prendere`, `mie`, `in-attesa`, `in-scadenza`,
/// `decise`).
/// Whether `code` names a queue.
pub(super) fn is_queue(code: &str) -> bool {
    QUEUES.iter().any(|(c, _)| *c == code)
}

pub(super) fn queue_of(
    state: &AppState,
    staff: &StaffMember,
    coda: &str,
) -> Result<Queue, ServerError> {
    Ok(match coda {
        "da-prendere" => Queue::ToTake,
        "mie" => Queue::Mine(member(staff)?),
        "in-attesa" => Queue::WaitingForCitizen,
        "in-scadenza" => Queue::Expiring(today(state) + Duration::days(EXPIRING_DAYS)),
        "decise" => Queue::Decided,
        _ => return Err(ServerError::NotFound),
    })
}

pub(super) async fn list(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ServerError> {
    let coda = q.coda.as_deref().unwrap_or("da-prendere");
    let queue = queue_of(&state, &staff, coda)?;
    let form_id = q
        .modulo
        .as_deref()
        .filter(|m| here.tenant.forms.get(m).is_some())
        .map(str::to_owned);
    let page_number = q.pagina.unwrap_or(0).min(100_000);
    let label = q.etichetta.as_deref().and_then(crate::desk::label_of);
    let mut narrowing = Narrowing::default();
    let filters = [
        ("stato", &q.stato),
        ("ufficio", &q.ufficio),
        ("assegnata", &q.assegnata),
        ("dal", &q.dal),
        ("al", &q.al),
    ];
    for (key, value) in filters {
        if let Some(v) = value {
            narrowing.take(key, v)?;
        }
    }
    let mut query = CaseQuery {
        queue,
        form_id: form_id.clone(),
        state: None,
        office: None,
        assignee: None,
        received_from: None,
        received_to: None,
        label: label.clone(),
        offices: crate::cases::offices(&staff.grants),
        ids: None,
        page: page_number,
        per_page: PER_PAGE,
    };
    narrowing.apply(&mut query);
    let db = state.scoped(&here.tenant.id);
    let (cases, total) = db.list(&query).await?;
    let mut rows = Vec::with_capacity(cases.len());
    for c in cases {
        let Some(s) = db.get(&c.submission_id).await? else {
            continue;
        };
        rows.push(Row {
            id: c.submission_id,
            protocol: protocol_of(&s),
            subject: s.subject,
            form_title: s.form_title,
            state: views::state_label(c.state),
            due: c.due_on.format("%d/%m/%Y").to_string(),
        });
    }
    let link = |p: u64| {
        let mut q = vec![("coda", coda.to_owned()), ("pagina", p.to_string())];
        if let Some(f) = &form_id {
            q.push(("modulo", f.clone()));
        }
        if let Some(l) = &label {
            q.push(("etichetta", l.clone()));
        }
        for (key, value) in filters {
            if let Some(v) = value.as_ref().filter(|v| !v.trim().is_empty()) {
                q.push((key, v.clone()));
            }
        }
        format!(
            "{}/ufficio/domande?{}",
            here.base,
            serde_urlencoded::to_string(q).unwrap_or_default()
        )
    };
    let pages = total.div_ceil(PER_PAGE);
    let title_id = QUEUES
        .iter()
        .find(|(c, _)| *c == coda)
        .map_or("coda-da-prendere", |(_, t)| t);
    views::html(&CasesView {
        page: crate::web::page(&state, &here, Some(&staff.who), title_id),
        queues: QUEUES
            .iter()
            .map(|(code, title)| QueueLink {
                href: format!("{}/ufficio/domande?coda={code}", here.base),
                title: tr(title),
                current: *code == coda,
            })
            .collect(),
        coda: coda.to_owned(),
        forms: here
            .tenant
            .forms
            .iter()
            .map(|f| {
                (
                    f.id.clone(),
                    f.title.clone(),
                    Some(&f.id) == form_id.as_ref(),
                )
            })
            .collect(),
        rows,
        columns: form_id
            .as_deref()
            .and_then(|f| here.tenant.forms.get(f))
            .map(|f| {
                f.columns()
                    .into_iter()
                    .map(|c| (c.pointer, c.label))
                    .collect()
            })
            .unwrap_or_default(),
        modulo: form_id.clone().unwrap_or_default(),
        etichetta: label.clone().unwrap_or_default(),
        states: istanze_domain::procedure::CaseState::ALL
            .into_iter()
            .map(|s| {
                (
                    s.code().to_owned(),
                    views::state_label(s),
                    q.stato.as_deref() == Some(s.code()),
                )
            })
            .collect(),
        ufficio: q.ufficio.clone().unwrap_or_default(),
        assegnata: q.assegnata.clone().unwrap_or_default(),
        dal: q.dal.clone().unwrap_or_default(),
        al: q.al.clone().unwrap_or_default(),
        narrowed: filters
            .iter()
            .filter_map(|(k, v)| {
                v.as_ref()
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| ((*k).to_owned(), v.clone()))
            })
            .collect(),
        bulk_events: istanze_domain::procedure::EventKind::ALL
            .into_iter()
            .filter(|e| e.actor() == istanze_domain::procedure::Actor::Staff)
            .map(|e| (e.code().to_owned(), views::event_label(e)))
            .collect(),
        caption: crate::i18n::trn(
            "uff-domande-in-coda",
            "count",
            i64::try_from(total).unwrap_or(i64::MAX),
        ),
        previous: (page_number > 0).then(|| link(page_number - 1)),
        next: (page_number + 1 < pages).then(|| link(page_number + 1)),
    })
}

pub(super) async fn show(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    id: web::Path<String>,
) -> Result<HttpResponse, ServerError> {
    render(&state, &here, &staff, &id, None).await
}

/// The case page; `problem` is the refusal of an event just asked for.
pub(super) async fn render(
    state: &AppState,
    here: &Here,
    staff: &StaffMember,
    id: &str,
    problem: Option<(actix_web::http::StatusCode, String)>,
) -> Result<HttpResponse, ServerError> {
    let db = state.scoped(&here.tenant.id);
    let (case, events) = crate::cases::open(&db, &staff.grants, id).await?;
    let sub = db.get(id).await?.ok_or(ServerError::NotFound)?;
    let current = here.tenant.forms.get(&sub.form_id);
    let pinned =
        crate::form_store::version(&db, current, &sub.form_id, &sub.form_version_id).await?;
    let data: serde_json::Value = serde_json::from_str(&sub.data).unwrap_or_default();
    let answers = pinned
        .as_ref()
        .or(current)
        .map(|f| views::answers(&f.summary(&data)))
        .unwrap_or_default();
    let form = pinned.as_ref().or(current);
    let files = crate::attachments::of_submission(&db, id, form)
        .await?
        .into_iter()
        .map(|a| {
            let label = form
                .and_then(|f| f.file_field(&a.field))
                .map_or_else(|| a.field.clone(), |f| f.label);
            (a.id, label, a.file_name)
        })
        .collect();
    let tenant = &here.tenant;
    // Only this register's numbers can be looked up in it (an older one, kept elsewhere, not).
    let ours = |register: &str| register == tenant.settings.administration.register;
    let mut numbers: Vec<(i32, i64)> = events
        .iter()
        .filter_map(|e| e.registration.as_ref())
        .filter(|(r, _, _, _)| ours(r))
        .map(|(_, y, n, _)| (*y, *n))
        .collect();
    if sub.protocol_register.as_deref().is_some_and(ours) {
        numbers.extend(sub.protocol_year.zip(sub.protocol_number));
    }
    // The marker is a help: a register that does not answer does not take the page down.
    let annulled =
        match crate::annulments::annulled(&tenant.settings, &tenant.register_db, &numbers).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "annulments not read for the case page");
                Vec::new()
            }
        };
    let overseer = crate::jobs_admin::may_oversee(&staff.grants);
    let reference = |year: i32, number: i64| views::RegistrationRef {
        text: format!("{number:07}/{year}"),
        href: if overseer {
            format!("{}/ufficio/registrazioni/{year}/{number}", here.base)
        } else {
            String::new()
        },
        annulled: annulled.contains(&(year, number)),
    };
    let mut rows = Vec::with_capacity(events.len());
    for e in &events {
        let details = crate::communication::Details::of(e);
        let files = if e.kind.is_incoming() {
            crate::attachments::of_reply(&db, id, e.id)
                .await?
                .into_iter()
                .map(|a| (a.id, a.file_name))
                .collect()
        } else {
            Vec::new()
        };
        rows.push(EventRow {
            id: e.id,
            kind: views::event_label(e.kind),
            on: e.on.format("%d/%m/%Y").to_string(),
            message: e.message.clone(),
            items: details.items,
            registration: e
                .registration
                .as_ref()
                .map(|(_, year, n, _)| reference(*year, *n)),
            filed: e.is_filed(),
            document: e.document.is_some(),
            files,
        });
    }
    let today = today(state);
    let procedure = crate::cases::replay(&case, &events).map_err(CaseError::from)?;
    let term = procedure.term(today);
    let allowed = procedure.staff_events();
    let case_file = crate::filing::case_file(&sub).code;
    let can_work = crate::cases::holds(&staff.grants, &case, istanze_domain::Role::Operator);
    let everyone = crate::store::staff::StaffStore::all_grants(&db).await?;
    let mut offices: Vec<(String, bool)> = Vec::new();
    for g in &everyone {
        if let istanze_domain::Reach::Office(o) = &g.reach {
            if !offices.iter().any(|(c, _)| c == o.as_str()) {
                offices.push((
                    o.as_str().to_owned(),
                    case.office.as_deref() == Some(o.as_str()),
                ));
            }
        }
    }
    let mut people: Vec<(String, String, bool)> = Vec::new();
    for g in &everyone {
        let works = matches!(
            g.role,
            istanze_domain::Role::Operator | istanze_domain::Role::ProcedureManager
        );
        if works && !people.iter().any(|(cf, _, _)| cf == g.person.as_str()) {
            let cf = g.person.to_string();
            let chosen = case.assignee.as_deref() == Some(cf.as_str());
            people.push((cf, crate::web::office::role_label(g.role), chosen));
        }
    }
    let notes = crate::store::desk::DeskStore::notes(&db, id)
        .await?
        .into_iter()
        .map(|n| {
            (
                n.author,
                crate::web::citizen::pages::italian_time(n.at),
                n.text,
            )
        })
        .collect();
    let labels = crate::store::desk::DeskStore::labels(&db, id).await?;
    let view = CaseView {
        can_work,
        offices,
        people,
        notes,
        labels,
        page: crate::web::page(state, here, Some(&staff.who), "uff-domanda"),
        id: sub.id.clone(),
        protocol: protocol_of(&sub),
        registration: sub
            .protocol_year
            .zip(sub.protocol_number)
            .map(|(y, n)| reference(y, n)),
        subject: sub.subject,
        form_title: sub.form_title,
        form_version: sub.form_version,
        state: views::state_label(case.state),
        due: term.due.format("%d/%m/%Y").to_string(),
        days_left: term
            .days_left
            .map(|d| crate::i18n::trn("uff-giorni-rimanenti", "count", d.max(0))),
        suspended: term.suspended,
        answers,
        files,
        case_file,
        events: rows,
        actions: allowed
            .iter()
            .map(|e| (e.code().to_owned(), views::event_label(*e)))
            .collect(),
        problem: problem.as_ref().map(|(_, m)| m.clone()),
        decided: case.state.is_final(),
    };
    match problem {
        Some((status, _)) => views::html_status(&view, status),
        None => views::html(&view),
    }
}

#[derive(Deserialize)]
pub(super) struct EventForm {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
    tipo: String,
    #[serde(default)]
    messaggio: String,
    /// What an integration request asks for, one item per line.
    #[serde(default)]
    voci: String,
    /// The citizen's deadline (`YYYY-MM-DD`, as a date input sends it); empty for the default.
    #[serde(default)]
    entro: String,
}

/// An event as a page's form writes it (`tipo`, `messaggio`, `voci` one per line, `entro`
/// as a date input sends it): its kind, items and deadline, its sizes checked.
pub(super) fn event_of_form(
    tipo: &str,
    messaggio: &str,
    voci: &str,
    entro: &str,
) -> Result<(EventKind, Vec<String>, Option<NaiveDate>), ServerError> {
    let kind = EventKind::parse(tipo).ok_or_else(|| ServerError::BadRequest("tipo".into()))?;
    if messaggio.chars().count() > 10_000 || voci.chars().count() > 10_000 {
        return Err(ServerError::TooLarge);
    }
    let reply_by = match entro.trim() {
        "" => None,
        text => Some(
            text.parse::<NaiveDate>()
                .map_err(|_| ServerError::BadRequest("entro".into()))?,
        ),
    };
    Ok((kind, voci.lines().map(str::to_owned).collect(), reply_by))
}

pub(super) async fn post_event(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    id: web::Path<String>,
    form: web::Form<EventForm>,
) -> Result<HttpResponse, ServerError> {
    crate::web::session::check_csrf(&staff.who, form.csrf.as_deref())?;
    let (kind, items, reply_by) =
        event_of_form(&form.tipo, &form.messaggio, &form.voci, &form.entro)?;
    let actor = member(&staff)?;
    let db = state.scoped(&here.tenant.id);
    let now = state.clock.now();
    let by = staff.who.principal.person.display_name();
    let event = StaffEvent {
        kind,
        message: &form.messaggio,
        items,
        reply_by,
        by: &by,
    };
    match crate::cases::record(&db, &actor, &staff.grants, &id, event, today(&state), now).await {
        Ok(_) => {
            // Its communication is filed by the worker at once.
            state.wake_worker.notify_one();
            Ok(see_other(&format!("{}/ufficio/domande/{}", here.base, id)))
        }
        Err(CaseError::Store(e)) => Err(e.into()),
        Err(CaseError::NotFound) => Err(ServerError::NotFound),
        // Refused by the procedure or the roles: the page again, saying why.
        Err(refusal) => {
            let e = ServerError::Case(refusal);
            tracing::info!(error = %e, "case event refused");
            render(&state, &here, &staff, &id, Some((e.status(), e.message()))).await
        }
    }
}
