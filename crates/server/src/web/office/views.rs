//! The back office's page views and the names of states and events in the request's
//! language.

use askama::Template;
use istanze_domain::procedure::{CaseState, EventKind};
use istanze_forms::SummaryItem;

use crate::i18n::tr;
pub(crate) use crate::web::views::{html, html_status, Page};

/// A queue's tab.
#[derive(Debug, Clone)]
pub struct QueueLink {
    pub href: String,
    pub title: String,
    pub current: bool,
}

/// A case in a queue.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: String,
    pub subject: String,
    pub form_title: String,
    pub protocol: String,
    pub state: String,
    pub due: String,
}

#[derive(Debug, Template)]
#[template(path = "office_cases.html")]
pub struct CasesView {
    pub page: Page,
    pub queues: Vec<QueueLink>,
    pub coda: String,
    /// (id, title, chosen)
    pub forms: Vec<(String, String, bool)>,
    pub rows: Vec<Row>,
    /// The chosen form's answers that an export can include: (pointer, label).
    pub columns: Vec<(String, String)>,
    /// The chosen form's id, for the export.
    pub modulo: String,
    /// The label the queue is narrowed to, if any.
    pub etichetta: String,
    /// The states to narrow to: (code, name, chosen).
    pub states: Vec<(String, String, bool)>,
    /// The other filters as given (office, assignee, from, to), and all of them as
    /// (name, value) for the export's form.
    pub ufficio: String,
    pub assegnata: String,
    pub dal: String,
    pub al: String,
    pub narrowed: Vec<(String, String)>,
    /// The events a bulk action can record: (code, name).
    pub bulk_events: Vec<(String, String)>,
    /// How many cases the queue holds, said in words.
    pub caption: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// An event on the case page's timeline.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub id: i64,
    pub kind: String,
    pub on: String,
    pub message: String,
    /// What an integration request asked for.
    pub items: Vec<String>,
    pub registration: Option<RegistrationRef>,
    /// Whether it is filed in the register (then its registration is shown, or "in progress").
    pub filed: bool,
    pub document: bool,
    /// The files of a citizen's reply: (id, name).
    pub files: Vec<(String, String)>,
}

/// A registration as a case page names it: "0000042/2026", a link to the register's page
/// for who may see it (empty otherwise), and whether it is annulled.
#[derive(Debug, Clone)]
pub struct RegistrationRef {
    pub text: String,
    pub href: String,
    pub annulled: bool,
}

/// A section title (`None` label) or an answer of the application.
#[derive(Debug, Clone)]
pub struct Answer {
    pub section: Option<String>,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Template)]
#[template(path = "office_case.html")]
pub struct CaseView {
    pub page: Page,
    pub id: String,
    pub subject: String,
    pub form_title: String,
    pub form_version: String,
    pub protocol: String,
    /// The application's registration, once filed.
    pub registration: Option<RegistrationRef>,
    pub state: String,
    pub due: String,
    /// "N days left", while the term runs.
    pub days_left: Option<String>,
    pub suspended: bool,
    pub answers: Vec<Answer>,
    /// The application's own files: (id, label, name).
    pub files: Vec<(String, String, String)>,
    /// The case file (fascicolo) of the procedure's registrations.
    pub case_file: String,
    /// Whether the member does the office's work on it (assignment, notes, labels).
    pub can_work: bool,
    /// The offices it can be assigned to: (code, chosen).
    pub offices: Vec<(String, bool)>,
    /// The people it can be assigned to: (fiscal code, role, chosen).
    pub people: Vec<(String, String, bool)>,
    /// Private notes: (author, when, text).
    pub notes: Vec<(String, String, String)>,
    pub labels: Vec<String>,
    pub events: Vec<EventRow>,
    /// (code, label) of the events the procedure allows now.
    pub actions: Vec<(String, String)>,
    /// Why the event just asked for was refused.
    pub problem: Option<String>,
    pub decided: bool,
}

/// The answers as the page lists them.
pub fn answers(items: &[SummaryItem]) -> Vec<Answer> {
    items
        .iter()
        .map(|i| match i {
            SummaryItem::Section { title, .. } => Answer {
                section: Some(title.clone()),
                label: String::new(),
                value: String::new(),
            },
            SummaryItem::Answer { label, value, .. } => Answer {
                section: None,
                label: label.clone(),
                value: value.clone(),
            },
        })
        .collect()
}

/// The state's name in the request's language.
pub fn state_label(state: CaseState) -> String {
    tr(crate::cases::state_message(state))
}

/// The event's name in the request's language.
pub fn event_label(event: EventKind) -> String {
    tr(match event {
        EventKind::Start => "evento-avvio",
        EventKind::Review => "evento-istruttoria",
        EventKind::IntegrationRequest => "evento-richiesta-integrazione",
        EventKind::IntegrationReceived => "evento-integrazione",
        EventKind::NoticeOfRefusal => "evento-preavviso-rigetto",
        EventKind::ObservationsReceived => "evento-osservazioni",
        EventKind::Accept => "evento-accoglimento",
        EventKind::Refuse => "evento-rigetto",
        EventKind::Withdraw => "evento-ritiro",
        EventKind::Close => "evento-archiviazione",
        EventKind::TacitConsent => "evento-silenzio-assenso",
    })
}
