//! Staff's own work on a case beside the procedure: assigning it to an office and a person,
//! private notes and labels. The same reach as the case page; office operators and procedure
//! managers do this work (auditors only read), and nothing of it reaches the citizen.

use chrono::{DateTime, Utc};
use istanze_domain::{Reach, Role};

use crate::cases::{holds, open, CaseError};
use crate::store::cases::CaseStore;
use crate::store::desk::{DeskStore, Note};
use crate::store::staff::{Grant, StaffStore};

/// The longest note and label.
pub const MAX_NOTE: usize = 5000;
pub const MAX_LABEL: usize = 40;

/// Why the desk's work was refused (besides the case's own refusals).
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("{0}")]
    Case(#[from] CaseError),
    /// The person is not staff of this administration who could work on the case there.
    #[error("the person cannot be assigned this case")]
    NotAssignable,
    /// An office the member's grants do not reach.
    #[error("the office is outside the member's reach")]
    OfficeOutOfReach,
    /// An office no grant of the administration names.
    #[error("no one works at that office")]
    UnknownOffice,
    #[error("an empty note")]
    EmptyNote,
    /// A label is 1 to 40 letters, digits, spaces or dashes.
    #[error("a label of letters, digits, spaces and dashes")]
    BadLabel,
}

impl From<crate::store::StoreError> for DeskError {
    fn from(e: crate::store::StoreError) -> DeskError {
        DeskError::Case(CaseError::Store(e))
    }
}

/// Opens case `id` for a member who does the office's work on it.
async fn for_work(
    store: &impl CaseStore,
    grants: &[Grant],
    id: &str,
) -> Result<crate::store::cases::CaseRow, DeskError> {
    let (case, _) = open(store, grants, id).await?;
    if !holds(grants, &case, Role::Operator) {
        return Err(CaseError::Role {
            event: istanze_domain::procedure::EventKind::Review,
            needed: Role::Operator,
        }
        .into());
    }
    Ok(case)
}

/// Assigns case `id` to `office` and `assignee` (a fiscal code), either of which may be none.
pub async fn assign(
    store: &(impl CaseStore + StaffStore),
    grants: &[Grant],
    id: &str,
    office: Option<&str>,
    assignee: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DeskError> {
    for_work(store, grants, id).await?;
    let everyone = store.all_grants().await?;
    if let Some(o) = office {
        // An office that some grant names: a case sent elsewhere would reach nobody.
        let known = everyone
            .iter()
            .any(|g| matches!(&g.reach, Reach::Office(c) if c.as_str() == o));
        if !known {
            return Err(DeskError::UnknownOffice);
        }
        // An operator of some offices hands cases on within those offices only: the reach of
        // the grants that do the work, not of those that only read.
        let workers = grants
            .iter()
            .filter(|g| matches!(g.role, Role::Operator | Role::ProcedureManager));
        let mut whole = false;
        let mut own = Vec::new();
        for g in workers {
            match &g.reach {
                Reach::Administration => whole = true,
                Reach::Office(c) => own.push(c.as_str()),
            }
        }
        if !whole && !own.contains(&o) {
            return Err(DeskError::OfficeOutOfReach);
        }
    }
    if let Some(person) = assignee {
        let works_there = everyone.iter().any(|g| {
            g.person.as_str() == person
                && matches!(g.role, Role::Operator | Role::ProcedureManager)
                && match &g.reach {
                    Reach::Administration => true,
                    Reach::Office(o) => office == Some(o.as_str()),
                }
        });
        if !works_there {
            return Err(DeskError::NotAssignable);
        }
    }
    if !store.assign(id, office, assignee, now).await? {
        return Err(CaseError::NotFound.into());
    }
    Ok(())
}

/// Adds a private note by `author` to case `id`.
pub async fn note(
    store: &(impl CaseStore + DeskStore),
    grants: &[Grant],
    author: &str,
    id: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Note, DeskError> {
    for_work(store, grants, id).await?;
    let text = text.trim();
    if text.is_empty() {
        return Err(DeskError::EmptyNote);
    }
    Ok(store.add_note(id, author, text, now).await?)
}

/// `label` as it is kept (trimmed, lower case), if it is one.
pub fn label_of(label: &str) -> Option<String> {
    let l = label.trim().to_lowercase();
    let fits = !l.is_empty()
        && l.chars().count() <= MAX_LABEL
        && l.chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-');
    fits.then_some(l)
}

/// Puts `label` on case `id` (`add`) or takes it off.
pub async fn label(
    store: &(impl CaseStore + DeskStore),
    grants: &[Grant],
    id: &str,
    label: &str,
    add: bool,
) -> Result<(), DeskError> {
    for_work(store, grants, id).await?;
    let label = label_of(label).ok_or(DeskError::BadLabel)?;
    if add {
        store.add_label(id, &label).await?;
    } else {
        store.remove_label(id, &label).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short_words_in_lower_case() {
        assert_eq!(label_of("  Urgente "), Some("urgente".into()));
        assert_eq!(label_of("da-verificare 2"), Some("da-verificare 2".into()));
        assert_eq!(label_of(""), None);
        assert_eq!(label_of("<script>"), None);
        assert_eq!(label_of(&"x".repeat(41)), None);
    }
}
