//! [`CaseStore`] over sea-orm: the `cases` and `case_events` tables, scoped to one
//! administration.

use chrono::{DateTime, NaiveDate, Utc};
use istanze_domain::procedure::{CaseState, EventKind, Rules};
use istanze_domain::AdministrationId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::cases::{CaseEvent, CaseQuery, CaseRow, CaseStore, NewEvent, Queue};
use super::StoreError;
use crate::db::scope::Scoped;
use crate::db::{attachment, case, case_document, case_event};
use crate::store::jobs::{self, JobKind};

fn corrupt(table: &'static str, why: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        table,
        why: why.to_string(),
    }
}

fn date(table: &'static str, text: &str) -> Result<NaiveDate, StoreError> {
    text.parse()
        .map_err(|e| corrupt(table, format!("date {text:?}: {e}")))
}

fn row_of(r: case::Model) -> Result<CaseRow, StoreError> {
    Ok(CaseRow {
        state: CaseState::parse(&r.state).ok_or_else(|| corrupt("cases", &r.state))?,
        rules: Rules {
            term_days: u32::try_from(r.term_days).map_err(|e| corrupt("cases", e))?,
            tacit_consent: r.tacit_consent,
        },
        received_on: date("cases", &r.received_on)?,
        due_on: date("cases", &r.due_on)?,
        submission_id: r.submission_id,
        form_id: r.form_id,
        office: r.office,
        assignee: r.assignee,
        updated_at: r.updated_at,
    })
}

fn event_of(e: case_event::Model) -> Result<CaseEvent, StoreError> {
    let registration = match (e.register, e.year, e.number, e.registered_at) {
        (Some(r), Some(y), Some(n), Some(at)) => Some((r, y, n, at)),
        _ => None,
    };
    let document = e.document_name.zip(e.document_sha256);
    Ok(CaseEvent {
        id: e.id,
        kind: EventKind::parse(&e.kind).ok_or_else(|| corrupt("case_events", &e.kind))?,
        on: date("case_events", &e.on_date)?,
        details: serde_json::from_str(&e.details).map_err(|err| corrupt("case_events", err))?,
        actor: e.actor,
        at: e.at,
        message: e.message,
        registration,
        document,
    })
}

/// Opens the case of an application filed on `received_on` (inside the filing's
/// transaction); a case opened already (a second filing after a lapsed lease) is kept.
pub async fn open_in(
    conn: &impl ConnectionTrait,
    admin: &AdministrationId,
    submission_id: &str,
    form_id: &str,
    rules: Rules,
    received_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let due = istanze_domain::procedure::Case::received(received_on, rules)
        .term(received_on)
        .due;
    case::Entity::insert(case::ActiveModel {
        submission_id: Set(submission_id.to_owned()),
        administration: Set(admin.as_str().to_owned()),
        form_id: Set(form_id.to_owned()),
        state: Set(CaseState::Received.code().to_owned()),
        office: Set(None),
        assignee: Set(None),
        term_days: Set(i32::try_from(rules.term_days).unwrap_or(i32::MAX)),
        tacit_consent: Set(rules.tacit_consent),
        received_on: Set(received_on.to_string()),
        due_on: Set(due.to_string()),
        updated_at: Set(now),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(case::Column::SubmissionId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// How the `field` of a reply's file begins: `#reply/<event id>/<n>`. Not a JSON pointer (those
/// begin with `/`), so no form field can be mistaken for it.
pub const REPLY_FIELD: &str = "#reply/";

/// Records the registration of event `event_id` of application `submission_id` with its
/// document (inside the filing's transaction); `false` when it was recorded already (a second
/// filing after a lapsed lease), and then the first stays.
pub async fn record_filed_in(
    conn: &impl ConnectionTrait,
    admin: &AdministrationId,
    submission_id: &str,
    event_id: i64,
    receipt: &istanze_protocol::Receipt,
    document: (&str, &str, Vec<u8>),
) -> Result<bool, StoreError> {
    let (name, sha256, content) = document;
    let r = case_event::Entity::update_many()
        .col_expr(
            case_event::Column::Register,
            Expr::value(Some(receipt.register.clone())),
        )
        .col_expr(case_event::Column::Year, Expr::value(Some(receipt.year)))
        .col_expr(
            case_event::Column::Number,
            Expr::value(Some(receipt.number)),
        )
        .col_expr(
            case_event::Column::RegisteredAt,
            Expr::value(Some(receipt.registered_at)),
        )
        .col_expr(
            case_event::Column::DocumentName,
            Expr::value(Some(name.to_owned())),
        )
        .col_expr(
            case_event::Column::DocumentSha256,
            Expr::value(Some(sha256.to_owned())),
        )
        .filter(case_event::Column::Id.eq(event_id))
        .filter(case_event::Column::SubmissionId.eq(submission_id))
        .filter(case_event::Column::Administration.eq(admin.as_str()))
        .filter(case_event::Column::Number.is_null())
        .exec(conn)
        .await?;
    if r.rows_affected != 1 {
        return Ok(false);
    }
    case_document::Entity::insert(case_document::ActiveModel {
        event_id: Set(event_id),
        administration: Set(admin.as_str().to_owned()),
        submission_id: Set(submission_id.to_owned()),
        content: Set(content),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(true)
}

/// The codes of the states the procedure has not ended in.
fn undecided() -> Vec<&'static str> {
    CaseState::ALL
        .into_iter()
        .filter(|s| !s.is_final())
        .map(CaseState::code)
        .collect()
}

fn codes(states: &[CaseState]) -> Vec<&'static str> {
    states.iter().map(|s| s.code()).collect()
}

impl CaseStore for Scoped {
    async fn case(&self, id: &str) -> Result<Option<CaseRow>, StoreError> {
        case::Entity::find_by_id(id)
            .filter(case::Column::Administration.eq(self.admin()))
            .one(self)
            .await?
            .map(row_of)
            .transpose()
    }

    async fn events(&self, id: &str) -> Result<Vec<CaseEvent>, StoreError> {
        case_event::Entity::find()
            .filter(case_event::Column::Administration.eq(self.admin()))
            .filter(case_event::Column::SubmissionId.eq(id))
            .order_by_asc(case_event::Column::Id)
            .all(self)
            .await?
            .into_iter()
            .map(event_of)
            .collect()
    }

    async fn list(&self, q: &CaseQuery) -> Result<(Vec<CaseRow>, u64), StoreError> {
        let mut find = case::Entity::find().filter(case::Column::Administration.eq(self.admin()));
        find = match &q.queue {
            Queue::ToTake => find.filter(case::Column::State.eq(CaseState::Received.code())),
            Queue::Mine(me) => find
                .filter(case::Column::Assignee.eq(me.as_str()))
                .filter(case::Column::State.is_in(undecided())),
            Queue::WaitingForCitizen => find.filter(case::Column::State.is_in(codes(&[
                CaseState::AwaitingIntegration,
                CaseState::AwaitingObservations,
            ]))),
            Queue::Expiring(by) => find
                .filter(case::Column::State.is_in(undecided()))
                .filter(case::Column::DueOn.lte(by.to_string())),
            Queue::Decided => find.filter(case::Column::State.is_not_in(undecided())),
            Queue::Any => find,
        };
        if let Some(form) = &q.form_id {
            find = find.filter(case::Column::FormId.eq(form.as_str()));
        }
        if let Some(ids) = &q.ids {
            find = find.filter(case::Column::SubmissionId.is_in(ids.iter().map(String::as_str)));
        }
        if let Some(state) = q.state {
            find = find.filter(case::Column::State.eq(state.code()));
        }
        if let Some(office) = &q.office {
            find = find.filter(case::Column::Office.eq(office.as_str()));
        }
        if let Some(assignee) = &q.assignee {
            find = find.filter(case::Column::Assignee.eq(assignee.as_str()));
        }
        // Days are kept as `YYYY-MM-DD`: their text order is their order.
        if let Some(from) = q.received_from {
            find = find.filter(case::Column::ReceivedOn.gte(from.to_string()));
        }
        if let Some(to) = q.received_to {
            find = find.filter(case::Column::ReceivedOn.lte(to.to_string()));
        }
        if let Some(label) = &q.label {
            let mut labelled = sea_orm::sea_query::Query::select();
            labelled
                .column(crate::db::case_label::Column::SubmissionId)
                .from(crate::db::case_label::Entity)
                .and_where(crate::db::case_label::Column::Administration.eq(self.admin()))
                .and_where(crate::db::case_label::Column::Label.eq(label.as_str()));
            find = find.filter(case::Column::SubmissionId.in_subquery(labelled));
        }
        if let Some(offices) = &q.offices {
            find = find.filter(case::Column::Office.is_in(offices.iter().map(String::as_str)));
        }
        let total = find.clone().count(self).await?;
        let rows = find
            .order_by_asc(case::Column::DueOn)
            .order_by_asc(case::Column::SubmissionId)
            .offset(q.page.saturating_mul(q.per_page))
            .limit(q.per_page)
            .all(self)
            .await?
            .into_iter()
            .map(row_of)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((rows, total))
    }

    async fn record(
        &self,
        id: &str,
        from: CaseState,
        to: CaseState,
        due_on: NaiveDate,
        e: NewEvent<'_>,
    ) -> Result<Option<CaseEvent>, StoreError> {
        let txn = self.begin().await?;
        // The state decides: of two events decided from the same state, one moves the case.
        let moved = case::Entity::update_many()
            .col_expr(case::Column::State, Expr::value(to.code()))
            .col_expr(case::Column::DueOn, Expr::value(due_on.to_string()))
            .col_expr(case::Column::UpdatedAt, Expr::value(e.at))
            .filter(case::Column::SubmissionId.eq(id))
            .filter(case::Column::Administration.eq(self.admin()))
            .filter(case::Column::State.eq(from.code()))
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            return Ok(None);
        }
        let row = case_event::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            administration: Set(self.admin().to_owned()),
            submission_id: Set(id.to_owned()),
            kind: Set(e.kind.code().to_owned()),
            actor: Set(e.actor.to_owned()),
            on_date: Set(e.on.to_string()),
            at: Set(e.at),
            message: Set(e.message.to_owned()),
            details: Set(e.details.to_string()),
            register: Set(None),
            year: Set(None),
            number: Set(None),
            registered_at: Set(None),
            document_name: Set(None),
            document_sha256: Set(None),
        }
        .insert(&txn)
        .await?;
        for (n, file) in e.files.iter().enumerate() {
            let linked = attachment::Entity::update_many()
                .col_expr(
                    attachment::Column::SubmissionId,
                    Expr::value(Some(id.to_owned())),
                )
                .col_expr(
                    attachment::Column::Field,
                    Expr::value(format!("{REPLY_FIELD}{}/{}", row.id, n + 1)),
                )
                .filter(attachment::Column::Id.eq(file.as_str()))
                .filter(attachment::Column::Administration.eq(self.admin()))
                .filter(attachment::Column::SubmissionId.is_null())
                .exec(&txn)
                .await?;
            // Purged or sent with another reply meanwhile: nothing is recorded.
            if linked.rows_affected != 1 {
                txn.rollback().await?;
                return Ok(None);
            }
        }
        let event = event_of(row)?;
        if event.is_filed() {
            jobs::enqueue_for_event(&txn, self.id(), JobKind::FileEvent, id, event.id, e.at)
                .await?;
        }
        txn.commit().await?;
        Ok(Some(event))
    }

    async fn event(&self, id: &str, event_id: i64) -> Result<Option<CaseEvent>, StoreError> {
        case_event::Entity::find_by_id(event_id)
            .filter(case_event::Column::Administration.eq(self.admin()))
            .filter(case_event::Column::SubmissionId.eq(id))
            .one(self)
            .await?
            .map(event_of)
            .transpose()
    }

    async fn document(&self, id: &str, event_id: i64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(case_document::Entity::find_by_id(event_id)
            .filter(case_document::Column::Administration.eq(self.admin()))
            .filter(case_document::Column::SubmissionId.eq(id))
            .one(self)
            .await?
            .map(|d| d.content))
    }

    async fn assign(
        &self,
        id: &str,
        office: Option<&str>,
        assignee: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let r = case::Entity::update_many()
            .col_expr(case::Column::Office, Expr::value(office.map(str::to_owned)))
            .col_expr(
                case::Column::Assignee,
                Expr::value(assignee.map(str::to_owned)),
            )
            .col_expr(case::Column::UpdatedAt, Expr::value(now))
            .filter(case::Column::SubmissionId.eq(id))
            .filter(case::Column::Administration.eq(self.admin()))
            .exec(self)
            .await?;
        Ok(r.rows_affected == 1)
    }
}
