//! The citizen's pages: the catalogue, the login choice, a service's form (one page, or one
//! page per step with a summary), uploads, drafts, my applications and their receipts.
//! Everything here works without JavaScript.

pub(crate) mod applications;
pub(in crate::web) mod case_view;
mod form_for;
pub mod pages;
pub(in crate::web) mod pages_upload;
mod replies;
mod steps;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(steps::routes)
        .configure(replies::routes)
        .configure(pages::routes);
}
