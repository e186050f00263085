//! The procedure of each filed application (issue 12): `cases`, one row per filed application
//! with its state, assignment and term, and `case_events`, its events in order with their
//! registrations. Both under row-level security; applications filed before this start as
//! received, with the default term (30 days) from the day of their registration.

use istanze_domain::procedure::Rules;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sea_orm_migration::prelude::*;

#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    SubmissionId,
    Administration,
    FormId,
    State,
    Office,
    Assignee,
    TermDays,
    TacitConsent,
    ReceivedOn,
    DueOn,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CaseEvents {
    Table,
    Id,
    Administration,
    SubmissionId,
    Kind,
    Actor,
    OnDate,
    At,
    Message,
    Details,
    Register,
    Year,
    Number,
    RegisteredAt,
}

pub(super) struct CasesTable;

impl MigrationName for CasesTable {
    fn name(&self) -> &str {
        "m20261203_000016_cases"
    }
}

fn text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).string().not_null().to_owned()
}

/// A foreign key from `table.column` to the application it belongs to (never deleted under it).
pub(super) fn of_submission<T: IntoIden + Copy + 'static>(
    table: T,
    column: T,
    name: &str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(table, column)
        .to(Alias::new("submissions"), Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for CasesTable {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Cases::Table)
                .col(text(Cases::SubmissionId).primary_key().to_owned())
                .col(text(Cases::Administration))
                .col(text(Cases::FormId))
                .col(text(Cases::State))
                .col(ColumnDef::new(Cases::Office).string().null())
                .col(ColumnDef::new(Cases::Assignee).string().null())
                .col(ColumnDef::new(Cases::TermDays).integer().not_null())
                .col(ColumnDef::new(Cases::TacitConsent).boolean().not_null())
                .col(text(Cases::ReceivedOn))
                .col(text(Cases::DueOn))
                .col(
                    ColumnDef::new(Cases::UpdatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .foreign_key(&mut of_submission(
                    Cases::Table,
                    Cases::SubmissionId,
                    "cases_submission",
                ))
                .to_owned(),
        )
        .await?;
        // The queues: by state and term within an administration.
        m.create_index(
            Index::create()
                .name("cases_by_state")
                .table(Cases::Table)
                .col(Cases::Administration)
                .col(Cases::State)
                .col(Cases::DueOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CaseEvents::Table)
                .col(
                    ColumnDef::new(CaseEvents::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(text(CaseEvents::Administration))
                .col(text(CaseEvents::SubmissionId))
                .col(text(CaseEvents::Kind))
                .col(text(CaseEvents::Actor))
                .col(text(CaseEvents::OnDate))
                .col(
                    ColumnDef::new(CaseEvents::At)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(ColumnDef::new(CaseEvents::Message).text().not_null())
                .col(ColumnDef::new(CaseEvents::Details).text().not_null())
                .col(ColumnDef::new(CaseEvents::Register).string().null())
                .col(ColumnDef::new(CaseEvents::Year).integer().null())
                .col(ColumnDef::new(CaseEvents::Number).big_integer().null())
                .col(
                    ColumnDef::new(CaseEvents::RegisteredAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut of_submission(
                    CaseEvents::Table,
                    CaseEvents::SubmissionId,
                    "case_events_submission",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_events_by_case")
                .table(CaseEvents::Table)
                .col(CaseEvents::SubmissionId)
                .col(CaseEvents::Id)
                .to_owned(),
        )
        .await?;
        backfill(m.get_connection()).await?;
        let db = m.get_connection();
        super::rls::enable(db, "cases").await?;
        super::rls::enable(db, "case_events").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CaseEvents::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Cases::Table).to_owned())
            .await
    }
}

/// Applications filed before cases existed: received on the day of their registration.
async fn backfill(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    use super::{case, submission};
    let rules = Rules::default();
    let filed = submission::Entity::find()
        .filter(submission::Column::ProtocolAt.is_not_null())
        .all(db)
        .await?;
    for s in filed {
        let Some(at) = s.protocol_at else { continue };
        let received = istanze_protocol::rome::local(at).date_naive();
        let due = istanze_domain::procedure::Case::received(received, rules)
            .term(received)
            .due;
        case::Entity::insert(case::ActiveModel {
            submission_id: Set(s.id),
            administration: Set(s.administration),
            form_id: Set(s.form_id),
            state: Set(istanze_domain::procedure::CaseState::Received
                .code()
                .to_owned()),
            office: Set(None),
            assignee: Set(None),
            term_days: Set(<i32 as TryFrom<u32>>::try_from(rules.term_days).unwrap_or(30)),
            tacit_consent: Set(rules.tacit_consent),
            received_on: Set(received.to_string()),
            due_on: Set(due.to_string()),
            updated_at: Set(at),
        })
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}
