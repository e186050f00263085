//! [`StaffStore`] over sea-orm: the `staff_grants` table, scoped to one administration.

use chrono::{DateTime, Utc};
use istanze_domain::{FiscalCode, OfficeCode, Reach, Role};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::staff::{Grant, StaffStore};
use super::StoreError;
use crate::db::scope::Scoped;
use crate::db::staff_grant as row;

fn office_of(reach: &Reach) -> &str {
    match reach {
        Reach::Administration => "",
        Reach::Office(o) => o.as_str(),
    }
}

fn corrupt(why: String) -> StoreError {
    StoreError::Corrupt {
        table: "staff_grants",
        why,
    }
}

fn grant_of(r: row::Model) -> Result<Grant, StoreError> {
    Ok(Grant {
        person: FiscalCode::parse(&r.fiscal_code).map_err(|e| corrupt(e.to_string()))?,
        role: Role::parse(&r.role).map_err(|e| corrupt(e.to_string()))?,
        reach: if r.office.is_empty() {
            Reach::Administration
        } else {
            Reach::Office(OfficeCode::parse(&r.office).map_err(|e| corrupt(e.to_string()))?)
        },
        granted_by: r.granted_by,
        granted_at: r.granted_at,
    })
}

impl StaffStore for Scoped {
    async fn grant(
        &self,
        person: &FiscalCode,
        role: Role,
        reach: &Reach,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let inserted = row::Entity::insert(row::ActiveModel {
            administration: Set(self.admin().to_owned()),
            fiscal_code: Set(person.to_string()),
            role: Set(role.code().to_owned()),
            office: Set(office_of(reach).to_owned()),
            granted_by: Set(by.to_owned()),
            granted_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                row::Column::Administration,
                row::Column::FiscalCode,
                row::Column::Role,
                row::Column::Office,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(self)
        .await?;
        Ok(inserted == 1)
    }

    async fn revoke(
        &self,
        person: &FiscalCode,
        role: Role,
        reach: &Reach,
    ) -> Result<bool, StoreError> {
        let gone = row::Entity::delete_many()
            .filter(row::Column::Administration.eq(self.admin()))
            .filter(row::Column::FiscalCode.eq(person.to_string()))
            .filter(row::Column::Role.eq(role.code()))
            .filter(row::Column::Office.eq(office_of(reach)))
            .exec(self)
            .await?;
        Ok(gone.rows_affected == 1)
    }

    async fn grants_of(&self, person: &FiscalCode) -> Result<Vec<Grant>, StoreError> {
        row::Entity::find()
            .filter(row::Column::Administration.eq(self.admin()))
            .filter(row::Column::FiscalCode.eq(person.to_string()))
            .order_by_asc(row::Column::Role)
            .order_by_asc(row::Column::Office)
            .all(self)
            .await?
            .into_iter()
            .map(grant_of)
            .collect()
    }

    async fn all_grants(&self) -> Result<Vec<Grant>, StoreError> {
        row::Entity::find()
            .filter(row::Column::Administration.eq(self.admin()))
            .order_by_asc(row::Column::FiscalCode)
            .order_by_asc(row::Column::Role)
            .order_by_asc(row::Column::Office)
            .all(self)
            .await?
            .into_iter()
            .map(grant_of)
            .collect()
    }
}
