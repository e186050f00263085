//! Staff: who may act as a member of an administration's staff. A person is staff of an
//! administration while they hold at least one grant there ([`StaffStore`]); a login into the
//! staff's area (`/ufficio`) by anyone else is refused before a session exists, and the area's
//! guard reads the grants again at every request, so a revoked role ends at once. Demo mode
//! grants each role to one test person of the demo identity provider.

use chrono::{DateTime, NaiveDate, Utc};
use istanze_auth::demo_idp::DemoUser;
use istanze_domain::{Acting, FiscalCode, Principal, Reach, Role};

use crate::store::staff::{Grant, StaffStore};
use crate::store::StoreError;

/// Why a login into the staff's area was refused.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    /// The person holds no role at this administration (a citizen, or staff elsewhere).
    #[error("no role at this administration")]
    NotStaff,
    /// Identified without an Italian fiscal code (eIDAS): roles are granted to fiscal codes.
    #[error("no Italian fiscal code")]
    NoFiscalCode,
}

/// Whether a login that returns to `next` is a login into the staff's area. The path is the
/// one stored with the login request, on the server: a browser cannot change it afterwards.
pub fn is_staff_area(next: &str) -> bool {
    next == "/ufficio" || next.starts_with("/ufficio/") || next.starts_with("/ufficio?")
}

/// `principal` as a member of the staff of `store`'s administration, with their grants.
pub async fn as_staff(
    store: &impl StaffStore,
    mut principal: Principal,
) -> Result<(Principal, Vec<Grant>), StaffError> {
    let grants = grants_of(store, &principal).await?;
    principal.acting = Acting::Staff;
    Ok((principal, grants))
}

/// The grants `principal` holds at `store`'s administration; none is [`StaffError::NotStaff`].
pub async fn grants_of(
    store: &impl StaffStore,
    principal: &Principal,
) -> Result<Vec<Grant>, StaffError> {
    let cf = principal
        .person
        .subject
        .fiscal_code()
        .ok_or(StaffError::NoFiscalCode)?;
    let grants = store.grants_of(cf).await?;
    if grants.is_empty() {
        return Err(StaffError::NotStaff);
    }
    Ok(grants)
}

/// A test person of the demo identity provider who is staff, with the role they hold at every
/// administration of a demo installation.
#[derive(Debug, Clone, Copy)]
pub struct DemoStaff {
    pub fiscal_code: &'static str,
    pub name: &'static str,
    pub family_name: &'static str,
    pub role: Role,
}

/// One demo member of staff for each role.
pub const DEMO_STAFF: [DemoStaff; 6] = [
    demo("FRRNNA80A41L219D", "Anna", "Ferrari", Role::Administrator),
    demo("GLLPLA75B12L219L", "Paolo", "Gallo", Role::FormDesigner),
    demo("MRNLRA82C53L219U", "Laura", "Marino", Role::Operator),
    demo("CNTMRC79D14L219F", "Marco", "Conti", Role::ProcedureManager),
    demo("RCCSRA86E55L219B", "Sara", "Ricci", Role::RecordsManager),
    demo("LBRGNN72H16L219M", "Giovanni", "Alberti", Role::Auditor),
];

const fn demo(
    fiscal_code: &'static str,
    name: &'static str,
    family_name: &'static str,
    role: Role,
) -> DemoStaff {
    DemoStaff {
        fiscal_code,
        name,
        family_name,
        role,
    }
}

/// The demo staff as users of the demo identity provider.
pub fn demo_users() -> Vec<DemoUser> {
    DEMO_STAFF
        .iter()
        .map(|s| DemoUser {
            fiscal_number: s.fiscal_code.to_owned(),
            name: s.name.to_owned(),
            family_name: s.family_name.to_owned(),
            email: format!(
                "{}.{}@example.it",
                s.name.to_lowercase(),
                s.family_name.to_lowercase()
            ),
            date_of_birth: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or_default(),
        })
        .collect()
}

/// The role of a demo person, if they are demo staff.
pub fn demo_role(fiscal_code: &str) -> Option<Role> {
    DEMO_STAFF
        .iter()
        .find(|s| s.fiscal_code == fiscal_code)
        .map(|s| s.role)
}

/// Grants the demo staff their roles at `store`'s administration (what they hold already is
/// left as it is).
pub async fn grant_demo_staff(
    store: &impl StaffStore,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for s in DEMO_STAFF {
        let cf = FiscalCode::parse(s.fiscal_code).map_err(|e| StoreError::Corrupt {
            table: "staff_grants",
            why: format!("demo staff: {e}"),
        })?;
        store
            .grant(&cf, s.role, &Reach::Administration, "demo", now)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! The staff service over a fake store.

    use std::sync::Mutex;

    use istanze_domain::{LevelOfAssurance, Login, LoginMethod, Person, Subject};

    use super::*;

    #[derive(Default)]
    struct Fake(Mutex<Vec<Grant>>);

    impl StaffStore for Fake {
        async fn grant(
            &self,
            person: &FiscalCode,
            role: Role,
            reach: &Reach,
            by: &str,
            now: DateTime<Utc>,
        ) -> Result<bool, StoreError> {
            let mut all = self.0.lock().unwrap();
            if all
                .iter()
                .any(|g| &g.person == person && g.role == role && &g.reach == reach)
            {
                return Ok(false);
            }
            all.push(Grant {
                person: person.clone(),
                role,
                reach: reach.clone(),
                granted_by: by.into(),
                granted_at: now,
            });
            Ok(true)
        }
        async fn revoke(
            &self,
            person: &FiscalCode,
            role: Role,
            reach: &Reach,
        ) -> Result<bool, StoreError> {
            let mut all = self.0.lock().unwrap();
            let before = all.len();
            all.retain(|g| !(&g.person == person && g.role == role && &g.reach == reach));
            Ok(all.len() < before)
        }
        async fn grants_of(&self, person: &FiscalCode) -> Result<Vec<Grant>, StoreError> {
            let all = self.0.lock().unwrap();
            Ok(all
                .iter()
                .filter(|g| &g.person == person)
                .cloned()
                .collect())
        }
        async fn all_grants(&self) -> Result<Vec<Grant>, StoreError> {
            Ok(self.0.lock().unwrap().clone())
        }
    }

    fn principal(subject: Subject) -> Principal {
        Principal {
            login: Login {
                method: LoginMethod::Demo,
                level: LevelOfAssurance::SpidL2,
                provider: "demo".into(),
            },
            person: Person {
                subject,
                name: None,
                family_name: None,
                email: None,
                date_of_birth: None,
                attributes: Default::default(),
            },
            acting: Acting::Citizen,
        }
    }

    #[tokio::test]
    async fn only_a_person_with_a_grant_becomes_staff() {
        let store = Fake::default();
        let laura = FiscalCode::parse("MRNLRA82C53L219U").unwrap();
        let citizen = principal(Subject::FiscalCode(laura.clone()));
        assert!(matches!(
            as_staff(&store, citizen.clone()).await,
            Err(StaffError::NotStaff)
        ));
        grant_demo_staff(&store, DateTime::<Utc>::UNIX_EPOCH)
            .await
            .unwrap();
        let (staff, grants) = as_staff(&store, citizen).await.unwrap();
        assert_eq!(staff.acting, Acting::Staff);
        assert_eq!(
            grants.iter().map(|g| g.role).collect::<Vec<_>>(),
            [Role::Operator]
        );
        // Granting again changes nothing.
        grant_demo_staff(&store, DateTime::<Utc>::UNIX_EPOCH)
            .await
            .unwrap();
        assert_eq!(store.all_grants().await.unwrap().len(), DEMO_STAFF.len());
    }

    #[tokio::test]
    async fn a_foreign_citizen_without_a_fiscal_code_is_refused_as_such() {
        let eidas = istanze_domain::EidasId::parse("DE/IT/123456").unwrap();
        assert!(matches!(
            as_staff(&Fake::default(), principal(Subject::Eidas(eidas))).await,
            Err(StaffError::NoFiscalCode)
        ));
    }

    #[test]
    fn the_staff_area_is_told_by_its_path() {
        for staff in [
            "/ufficio",
            "/ufficio/",
            "/ufficio/domande?x=1",
            "/ufficio?a=b",
        ] {
            assert!(is_staff_area(staff), "{staff}");
        }
        for citizen in ["/", "/ufficiox", "/servizi/ufficio", "/domande"] {
            assert!(!is_staff_area(citizen), "{citizen}");
        }
    }

    #[test]
    fn every_demo_member_of_staff_has_a_valid_code_and_a_role_of_their_own() {
        for s in DEMO_STAFF {
            FiscalCode::parse(s.fiscal_code).unwrap();
        }
        for r in Role::ALL {
            assert_eq!(DEMO_STAFF.iter().filter(|s| s.role == r).count(), 1, "{r}");
        }
    }
}
