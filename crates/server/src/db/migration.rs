//! The server's tables. Each migration is frozen once released: changes are new migrations.

use sea_orm_migration::prelude::*;

pub(super) fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    vec![
        Box::new(Initial),
        Box::new(DocumentPdf),
        Box::new(CreateAttachments),
        Box::new(CreateNotifications),
        Box::new(CreateDrafts),
        Box::new(super::migration_uploads::UploadsInChunks),
        Box::new(super::migration_tenants::Tenants),
        Box::new(super::rls::RowLevelSecurity),
        Box::new(super::migration_forms::FormVersionsTable),
        Box::new(super::migration_jobs::OneJobQueue),
        Box::new(super::migration_quota::QuotaPerAdministration),
        Box::new(super::migration_registers::RegistersUnderPolicy),
        Box::new(super::migration_staff::StaffGrantsTable),
        Box::new(super::migration_cases::CasesTable),
        Box::new(super::migration_communications::Communications),
        Box::new(super::migration_audit::AuditLogTables),
        Box::new(super::migration_desk::NotesAndLabels),
        Box::new(super::migration_tokens::ApiTokensTable),
    ]
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Identity,
    Csrf,
    SamlIdp,
    SamlNameId,
    SamlNameQualifier,
    SamlSessionIndex,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum AuthnRequests {
    Table,
    Id,
    Idp,
    Level,
    Next,
    Binding,
    CreatedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Id,
    FormId,
    FormVersion,
    FormTitle,
    Owner,
    Identity,
    Data,
    Subject,
    Classification,
    Document,
    DocumentSha256,
    Status,
    SubmittedAt,
    ProtocolRegister,
    ProtocolYear,
    ProtocolNumber,
    ProtocolAt,
    Segnatura,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    SubmissionId,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    CreatedAt,
    DoneAt,
}

struct Initial;

impl MigrationName for Initial {
    fn name(&self) -> &str {
        "m20261123_000002_server_initial"
    }
}

fn text(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).text().not_null().to_owned()
}

fn string(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c).string().not_null().to_owned()
}

fn instant(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn optional_instant(c: impl IntoIden) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Initial {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string(Sessions::Id).primary_key())
                .col(text(Sessions::Identity))
                .col(string(Sessions::Csrf))
                .col(ColumnDef::new(Sessions::SamlIdp).string().null())
                .col(ColumnDef::new(Sessions::SamlNameId).string().null())
                .col(ColumnDef::new(Sessions::SamlNameQualifier).string().null())
                .col(ColumnDef::new(Sessions::SamlSessionIndex).string().null())
                .col(instant(Sessions::CreatedAt))
                .col(instant(Sessions::ExpiresAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AuthnRequests::Table)
                .col(string(AuthnRequests::Id).primary_key())
                .col(string(AuthnRequests::Idp))
                .col(
                    ColumnDef::new(AuthnRequests::Level)
                        .small_integer()
                        .not_null(),
                )
                .col(text(AuthnRequests::Next))
                .col(string(AuthnRequests::Binding))
                .col(instant(AuthnRequests::CreatedAt))
                .col(optional_instant(AuthnRequests::UsedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Submissions::Table)
                .col(string(Submissions::Id).primary_key())
                .col(string(Submissions::FormId))
                .col(string(Submissions::FormVersion))
                .col(text(Submissions::FormTitle))
                .col(string(Submissions::Owner))
                .col(text(Submissions::Identity))
                .col(text(Submissions::Data))
                .col(text(Submissions::Subject))
                .col(string(Submissions::Classification))
                .col(text(Submissions::Document))
                .col(string(Submissions::DocumentSha256))
                .col(string(Submissions::Status))
                .col(instant(Submissions::SubmittedAt))
                .col(
                    ColumnDef::new(Submissions::ProtocolRegister)
                        .string()
                        .null(),
                )
                .col(ColumnDef::new(Submissions::ProtocolYear).integer().null())
                .col(
                    ColumnDef::new(Submissions::ProtocolNumber)
                        .big_integer()
                        .null(),
                )
                .col(optional_instant(Submissions::ProtocolAt))
                .col(ColumnDef::new(Submissions::Segnatura).text().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("submissions_owner")
                .table(Submissions::Table)
                .col(Submissions::Owner)
                .col(Submissions::SubmittedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(
                    ColumnDef::new(Outbox::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(string(Outbox::SubmissionId).unique_key())
                .col(ColumnDef::new(Outbox::Attempts).integer().not_null())
                .col(instant(Outbox::NextAttemptAt))
                .col(optional_instant(Outbox::LeaseUntil))
                .col(ColumnDef::new(Outbox::LastError).text().null())
                .col(instant(Outbox::CreatedAt))
                .col(optional_instant(Outbox::DoneAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outbox_due")
                .table(Outbox::Table)
                .col(Outbox::DoneAt)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "submissions are never dropped by a migration".into(),
        ))
    }
}

#[derive(DeriveIden)]
enum DocumentColumns {
    DocumentPdf,
}

/// The application document as PDF/A-2b: the primary document of new registrations. The JSON
/// copy stays in `document` (machine-readable); earlier submissions keep it as their primary.
struct DocumentPdf;

impl MigrationName for DocumentPdf {
    fn name(&self) -> &str {
        "m20261124_000004_submission_pdf"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for DocumentPdf {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Submissions::Table)
                .add_column(ColumnDef::new(DocumentColumns::DocumentPdf).binary().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "submissions are never dropped by a migration".into(),
        ))
    }
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    Owner,
    FormId,
    Field,
    FileName,
    MediaType,
    Size,
    Sha256,
    Content,
    Path,
    SubmissionId,
    CreatedAt,
}

/// Uploaded files (see `db::attachment`).
struct CreateAttachments;

impl MigrationName for CreateAttachments {
    fn name(&self) -> &str {
        "m20261124_000005_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateAttachments {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let s = |c: Attachments| ColumnDef::new(c).string().not_null().to_owned();
        m.create_table(
            Table::create()
                .table(Attachments::Table)
                .col(
                    ColumnDef::new(Attachments::Id)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(s(Attachments::Owner))
                .col(s(Attachments::FormId))
                .col(s(Attachments::Field))
                .col(s(Attachments::FileName))
                .col(s(Attachments::MediaType))
                .col(ColumnDef::new(Attachments::Size).big_integer().not_null())
                .col(s(Attachments::Sha256))
                .col(ColumnDef::new(Attachments::Content).binary().null())
                .col(ColumnDef::new(Attachments::Path).string().null())
                .col(ColumnDef::new(Attachments::SubmissionId).string().null())
                .col(
                    ColumnDef::new(Attachments::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("attachments_submission")
                .table(Attachments::Table)
                .col(Attachments::SubmissionId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "submissions are never dropped by a migration".into(),
        ))
    }
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    SubmissionId,
    Channel,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    DoneAt,
    Outcome,
    CreatedAt,
}

/// Notifications to citizens (see `notify`).
struct CreateNotifications;

impl MigrationName for CreateNotifications {
    fn name(&self) -> &str {
        "m20261124_000006_notifications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateNotifications {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let when = |c: Notifications| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .not_null()
                .to_owned()
        };
        let maybe = |c: Notifications| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .null()
                .to_owned()
        };
        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(
                    ColumnDef::new(Notifications::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(Notifications::SubmissionId)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(Notifications::Channel).string().not_null())
                .col(ColumnDef::new(Notifications::Attempts).integer().not_null())
                .col(when(Notifications::NextAttemptAt))
                .col(maybe(Notifications::LeaseUntil))
                .col(maybe(Notifications::DoneAt))
                .col(ColumnDef::new(Notifications::Outcome).text().null())
                .col(when(Notifications::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notifications_due")
                .table(Notifications::Table)
                .col(Notifications::DoneAt)
                .col(Notifications::NextAttemptAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Notifications::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Drafts {
    Table,
    Id,
    Owner,
    FormId,
    FormVersion,
    Data,
    Email,
    CreatedAt,
    UpdatedAt,
    ExpiresAt,
    WarnedAt,
}

/// Drafts (see `db::draft`).
struct CreateDrafts;

impl MigrationName for CreateDrafts {
    fn name(&self) -> &str {
        "m20261124_000007_drafts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDrafts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let when = |c: Drafts| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .not_null()
                .to_owned()
        };
        m.create_table(
            Table::create()
                .table(Drafts::Table)
                .col(ColumnDef::new(Drafts::Id).string().not_null().primary_key())
                .col(ColumnDef::new(Drafts::Owner).string().not_null())
                .col(ColumnDef::new(Drafts::FormId).string().not_null())
                .col(ColumnDef::new(Drafts::FormVersion).string().not_null())
                .col(ColumnDef::new(Drafts::Data).text().not_null())
                .col(ColumnDef::new(Drafts::Email).string().null())
                .col(when(Drafts::CreatedAt))
                .col(when(Drafts::UpdatedAt))
                .col(when(Drafts::ExpiresAt))
                .col(
                    ColumnDef::new(Drafts::WarnedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // One draft per citizen and form: a second one is never made by accident.
        m.create_index(
            Index::create()
                .name("drafts_owner_form")
                .table(Drafts::Table)
                .col(Drafts::Owner)
                .col(Drafts::FormId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Drafts::Table).to_owned())
            .await
    }
}
