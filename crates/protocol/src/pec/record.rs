//! Entity: one application sent by PEC, and what the receiving AOO answered.
//!
//! The row is written once the SMTP server has accepted the message; confirmation, exception
//! and annulment fields are filled when the AOO's messages arrive.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pec_messages")]
pub struct Model {
    /// The registration's idempotency key (the submission id).
    #[sea_orm(primary_key, auto_increment = false)]
    pub idempotency_key: String,
    /// The Message-ID header, derived from the key so that a resend carries the same one.
    pub message_id: String,
    /// The sending registration (the platform's register).
    pub register: String,
    pub year: i32,
    pub number: i64,
    /// `2021` or `2013`: the Segnatura form that was sent.
    pub segnatura_format: String,
    pub sent_at: DateTimeUtc,
    /// The receiving AOO's registration, from its ConfermaRicezione.
    pub remote_register: Option<String>,
    pub remote_number: Option<String>,
    pub remote_date: Option<String>,
    pub confirmed_at: Option<DateTimeUtc>,
    /// The reason given by a NotificaEccezione.
    pub exception: Option<String>,
    pub exception_at: Option<DateTimeUtc>,
    /// The reason given by an AnnullamentoProtocollazione of the receiving AOO.
    pub remote_annulment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
