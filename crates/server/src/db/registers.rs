//! The registers' side of the isolation between administrations (see
//! [`super::migration_registers`]): which administration each AOO's register belongs to, and
//! the connections the registers run on.

use istanze_domain::AdministrationId;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, QueryFilter, QuerySelect,
};

/// Entity: the administration an AOO's register belongs to.
pub mod register_aoo {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "register_aoos")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub aoo: String,
        pub administration: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// How many connections one administration's register may hold at once: filings of one AOO
/// queue on its numbering row anyway, and an installation of many municipalities must not
/// hold a pool's worth for each.
const REGISTER_CONNECTIONS: u32 = 4;

/// Records that the register of `aoo` belongs to `admin`; the first configuration to name an
/// AOO claims it for good. `Err` names the administration that holds it already: a
/// configuration that moves an AOO (a typo, two files swapped) would otherwise hand one
/// administration's register to another.
pub async fn claim(
    db: &DatabaseConnection,
    admin: &AdministrationId,
    aoo: &str,
) -> Result<Result<(), String>, DbErr> {
    register_aoo::Entity::insert(register_aoo::ActiveModel {
        aoo: Set(aoo.to_owned()),
        administration: Set(admin.as_str().to_owned()),
    })
    .on_conflict(
        OnConflict::column(register_aoo::Column::Aoo)
            .do_nothing()
            .to_owned(),
    )
    .do_nothing()
    .exec(db)
    .await?;
    let holder: Option<String> = register_aoo::Entity::find()
        .select_only()
        .column(register_aoo::Column::Administration)
        .filter(register_aoo::Column::Aoo.eq(aoo))
        .into_tuple()
        .one(db)
        .await?;
    Ok(match holder {
        Some(h) if h != admin.as_str() => Err(h),
        _ => Ok(()),
    })
}

/// The connection the register of `admin` runs on. The protocol crate begins its own
/// transactions, so on PostgreSQL these connections say their administration for the whole
/// session (a pool of their own, opened lazily, with `istanze.administration` set at
/// connect) and the policies apply to everything the register does. SQLite has no policies:
/// the installation's connection serves.
pub fn connection(db: &DatabaseConnection, admin: &AdministrationId) -> DatabaseConnection {
    if db.get_database_backend() != DbBackend::Postgres {
        return db.clone();
    }
    use sea_orm::sqlx::postgres::PgPoolOptions;
    // The installation's options, role included, plus the administration.
    let options = (*db.get_postgres_connection_pool().connect_options())
        .clone()
        .options([("istanze.administration", admin.as_str())]);
    let pool = PgPoolOptions::new()
        .max_connections(REGISTER_CONNECTIONS)
        .min_connections(0)
        .idle_timeout(std::time::Duration::from_secs(60))
        .connect_lazy_with(options);
    sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(pool)
}
