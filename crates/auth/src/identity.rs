//! What a login proved: the person, the level of assurance and the identity provider. The
//! server turns it into an `istanze_domain::Principal` once it knows the login's scheme.

use serde::{Deserialize, Serialize};

/// SPID level of assurance (also used for CIE, whose logins are level 3): the one level type
/// that forms (`istanze-forms`) and the server use too.
pub use istanze_domain::LevelOfAssurance as Level;
pub use istanze_domain::Person;

/// Who logged in: taken from the signed assertion only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub person: Person,
    pub level: Level,
    /// The identity provider's entity id.
    pub provider: String,
}
