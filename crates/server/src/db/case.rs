//! Entity: the procedure of a filed application: its state, where it is assigned and its
//! term, kept up to date with each event so that the back office's queues are queries on
//! indexed columns (the events themselves are [`super::case_event`]).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub submission_id: String,
    pub administration: String,
    pub form_id: String,
    /// A `CaseState` code.
    pub state: String,
    /// An office code, once assigned to one.
    pub office: Option<String>,
    /// The fiscal code of the member of staff it is assigned to.
    pub assignee: Option<String>,
    /// The form's term when the application was registered, in days.
    pub term_days: i32,
    pub tacit_consent: bool,
    /// The day of registration (Europe/Rome), `YYYY-MM-DD`.
    pub received_on: String,
    /// The last day of the term as of the last event, `YYYY-MM-DD`.
    pub due_on: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
