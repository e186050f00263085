//! Domain types shared by every istanze crate, so that forms, login and the server speak of
//! the same things with the same types (and a reuser converts nothing between them).
//!
//! Today: [`LevelOfAssurance`], [`AdministrationId`] and [`FormVersionId`]. The fiscal code
//! parsed on construction and the `Principal` (citizen or staff, and how they logged in) come
//! here with the rest of the administrations issue.

mod administration;
mod form_version;
mod level;

pub use administration::{AdministrationId, AdministrationIdError};
pub use form_version::FormVersionId;
pub use level::LevelOfAssurance;
