//! [`DeskStore`] over sea-orm: `case_notes` and `case_labels`, scoped to one administration.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};

use super::desk::{DeskStore, Note};
use super::StoreError;
use crate::db::scope::Scoped;
use crate::db::{case_label, case_note};

impl DeskStore for Scoped {
    async fn add_note(
        &self,
        id: &str,
        author: &str,
        text: &str,
        at: DateTime<Utc>,
    ) -> Result<Note, StoreError> {
        Ok(case_note::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            administration: Set(self.admin().to_owned()),
            submission_id: Set(id.to_owned()),
            author: Set(author.to_owned()),
            at: Set(at),
            text: Set(text.to_owned()),
        }
        .insert(self)
        .await?)
    }

    async fn notes(&self, id: &str) -> Result<Vec<Note>, StoreError> {
        Ok(case_note::Entity::find()
            .filter(case_note::Column::Administration.eq(self.admin()))
            .filter(case_note::Column::SubmissionId.eq(id))
            .order_by_asc(case_note::Column::Id)
            .all(self)
            .await?)
    }

    async fn add_label(&self, id: &str, label: &str) -> Result<bool, StoreError> {
        let r = case_label::Entity::insert(case_label::ActiveModel {
            administration: Set(self.admin().to_owned()),
            submission_id: Set(id.to_owned()),
            label: Set(label.to_owned()),
        })
        .on_conflict(
            OnConflict::columns([
                case_label::Column::Administration,
                case_label::Column::SubmissionId,
                case_label::Column::Label,
            ])
            .do_nothing()
            .to_owned(),
        )
        .do_nothing()
        .exec_without_returning(self)
        .await?;
        Ok(matches!(r, sea_orm::TryInsertResult::Inserted(1)))
    }

    async fn remove_label(&self, id: &str, label: &str) -> Result<bool, StoreError> {
        let r = case_label::Entity::delete_many()
            .filter(case_label::Column::Administration.eq(self.admin()))
            .filter(case_label::Column::SubmissionId.eq(id))
            .filter(case_label::Column::Label.eq(label))
            .exec(self)
            .await?;
        Ok(r.rows_affected == 1)
    }

    async fn labels(&self, id: &str) -> Result<Vec<String>, StoreError> {
        Ok(case_label::Entity::find()
            .filter(case_label::Column::Administration.eq(self.admin()))
            .filter(case_label::Column::SubmissionId.eq(id))
            .order_by_asc(case_label::Column::Label)
            .all(self)
            .await?
            .into_iter()
            .map(|l| l.label)
            .collect())
    }
}
