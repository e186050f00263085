//! The bodies the office API answers with, as types (see [`crate::web::api::types`] for the
//! citizen's, which these reuse).

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::web::api::types::{Event, Submission};

/// A protocol number as a queue shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueProtocol {
    pub number: String,
    pub year: Option<i32>,
}

/// An application in a queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItem {
    pub id: String,
    pub form: String,
    pub form_title: String,
    pub subject: String,
    pub protocol: Option<QueueProtocol>,
    pub state: &'static str,
    #[schema(format = Date)]
    pub due: String,
    pub office: Option<String>,
    /// The fiscal code of the person it is assigned to.
    pub assignee: Option<String>,
}

/// A page of a queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueuePage {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub items: Vec<QueueItem>,
}

/// An answer as the citizen gave it, labelled as the form (in the version used) labels it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Answer {
    pub pointer: String,
    pub label: String,
    pub value: String,
}

/// A private note of the office.
#[derive(Debug, Serialize, ToSchema)]
pub struct Note {
    /// The fiscal code of who wrote it.
    pub author: String,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub at: String,
    pub text: String,
}

/// The procedure as the office follows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeCase {
    pub state: &'static str,
    #[schema(format = Date)]
    pub due: String,
    pub suspended: bool,
    pub days_left: Option<i64>,
    pub office: Option<String>,
    pub assignee: Option<String>,
    /// The case file (fascicolo) of its registrations.
    pub case_file: String,
}

/// An application as the office reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeApplication {
    #[serde(flatten)]
    pub submission: Submission,
    pub subject: String,
    pub answers: Vec<Answer>,
    /// The data as submitted.
    #[schema(value_type = Object)]
    pub data: Value,
    pub case: OfficeCase,
    /// Every event, oldest first; documents at the staff's address.
    pub events: Vec<Event>,
    pub notes: Vec<Note>,
    pub labels: Vec<String>,
}
