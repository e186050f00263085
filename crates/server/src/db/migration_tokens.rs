//! API credentials of staff (issue 12): personal tokens, OAuth2 clients and the access tokens
//! clients obtain, in one table under row-level security. Only a secret's SHA-256 is kept.

use sea_orm_migration::prelude::*;

#[derive(DeriveIden, Clone, Copy)]
enum ApiTokens {
    Table,
    Id,
    Administration,
    Kind,
    Person,
    GivenName,
    FamilyName,
    Name,
    SecretSha256,
    Roles,
    Parent,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

pub(super) struct ApiTokensTable;

impl MigrationName for ApiTokensTable {
    fn name(&self) -> &str {
        "m20261206_000020_api_tokens"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for ApiTokensTable {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(
                    ColumnDef::new(ApiTokens::Id)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(ApiTokens::Administration)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(ApiTokens::Kind).string().not_null())
                .col(ColumnDef::new(ApiTokens::Person).string().not_null())
                .col(ColumnDef::new(ApiTokens::GivenName).string().not_null())
                .col(ColumnDef::new(ApiTokens::FamilyName).string().not_null())
                .col(ColumnDef::new(ApiTokens::Name).string().not_null())
                .col(ColumnDef::new(ApiTokens::SecretSha256).string().not_null())
                .col(ColumnDef::new(ApiTokens::Roles).string().not_null())
                .col(ColumnDef::new(ApiTokens::Parent).string().null())
                .col(
                    ColumnDef::new(ApiTokens::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(ApiTokens::ExpiresAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(ApiTokens::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        // A member's own credentials, listed on their page.
        m.create_index(
            Index::create()
                .name("api_tokens_by_person")
                .table(ApiTokens::Table)
                .col(ApiTokens::Administration)
                .col(ApiTokens::Person)
                .to_owned(),
        )
        .await?;
        super::rls::enable(m.get_connection(), "api_tokens").await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await
    }
}
