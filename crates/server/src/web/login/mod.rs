//! Logging in and out: SPID, CIE and eIDAS over SAML ([`spid`]), and the demo identity
//! provider ([`demo_idp`], demo mode only). OpenID Connect joins here as a sibling.

pub mod demo_idp;
pub mod spid;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(spid::routes).configure(demo_idp::routes);
}
