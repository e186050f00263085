//! Domain types shared by every istanze crate, so that forms, login and the server speak of
//! the same things with the same types (and a reuser converts nothing between them).
//!
//! Today: [`LevelOfAssurance`] and [`AdministrationId`]. The submission and form-version ids,
//! the fiscal code parsed on construction and the `Principal` (citizen or staff, and how they
//! logged in) come here with the rest of the administrations issue.

mod administration;
mod level;

pub use administration::{AdministrationId, AdministrationIdError};
pub use level::LevelOfAssurance;
