//! Domain types shared by every istanze crate, so that forms, login and the server speak of
//! the same things with the same types (and a reuser converts nothing between them).
//!
//! [`LevelOfAssurance`], [`AdministrationId`], [`FormVersionId`], the [`FiscalCode`] checked
//! on construction, and the [`Principal`]: who acts (citizen or staff) and how they logged in;
//! staff [`Role`]s and the [`Reach`] of a grant (the administration or one [`OfficeCode`]).

mod administration;
mod fiscal_code;
mod form_version;
mod level;
mod principal;
pub mod procedure;
mod role;

pub use administration::{AdministrationId, AdministrationIdError};
pub use fiscal_code::{FiscalCode, FiscalCodeError};
pub use form_version::FormVersionId;
pub use level::LevelOfAssurance;
pub use principal::{
    Acting, EidasId, EidasIdError, Login, LoginMethod, Person, Principal, Subject,
};
pub use role::{OfficeCode, OfficeCodeError, Reach, Role, RoleError};
