//! What every request handler and the worker share.

use std::sync::Arc;

use istanze_auth::demo_idp::DemoIdp;
use istanze_auth::saml::{IdpDescriptor, ServiceProvider};
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::config::Settings;

/// The application's shared state.
#[derive(Debug)]
pub struct AppState {
    pub settings: Settings,
    pub db: DatabaseConnection,
    /// The administrations served, each with its forms, SP and register.
    pub tenants: crate::tenant::Tenants,
    /// Trusted identity providers (the demo IdP among them in demo mode).
    pub idps: Vec<IdpDescriptor>,
    /// Entity id of the CIE identity provider, if configured.
    pub cie_idp: Option<String>,
    /// Entity id of the eIDAS node, if configured.
    pub eidas_idp: Option<String>,
    pub demo_idp: Option<DemoIdp>,
    /// The installation's base URL, without trailing slash.
    pub public_url: String,
    /// Wakes the filing worker when a submission is committed.
    pub wake_worker: Arc<Notify>,
    /// CPU-heavy work (signatures, PDFs) runs here, off the request threads.
    pub cpu: crate::cpu::CpuPool,
    /// The time every handler, service and background job reads (see [`crate::clock`]).
    pub clock: Arc<dyn crate::clock::Clock>,
    /// The interface texts of every language (see [`crate::i18n`]).
    pub catalogues: Arc<crate::i18n::Catalogues>,
    /// Where identifiers and tokens come from (see [`crate::ids`]).
    pub ids: Arc<dyn crate::ids::Ids>,
}

impl AppState {
    pub fn idp(&self, entity_id: &str) -> Option<&IdpDescriptor> {
        self.idps.iter().find(|i| i.entity_id == entity_id)
    }

    pub fn demo(&self) -> bool {
        self.settings.server.demo
    }

    /// A connection acting for administration `admin` (see [`crate::db::scope`]).
    pub fn scoped(&self, admin: &istanze_domain::AdministrationId) -> crate::db::scope::Scoped {
        crate::db::scope::Scoped::new(&self.db, admin)
    }

    /// What a submit at `tenant` needs (see [`crate::submit::Submitting`]).
    pub(crate) fn submitting<'a>(
        &'a self,
        tenant: &'a crate::tenant::Tenant,
    ) -> crate::submit::Submitting<'a> {
        crate::submit::Submitting {
            db: self.scoped(&tenant.id),
            administration: &tenant.admin().name,
            cpu: &self.cpu,
            max_total_bytes: self.settings.attachments.max_total_bytes,
            wake_worker: &self.wake_worker,
        }
    }

    /// Whether test identity providers are trusted (see [`crate::config::SpidSettings`]).
    pub fn test_idps(&self) -> bool {
        self.settings.spid.test_idps(self.demo())
    }
}

/// The SP's signed metadata documents, made once.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub spid: Arc<str>,
    pub cie: Arc<str>,
}

impl Metadata {
    pub fn of(sp: &ServiceProvider) -> Result<Metadata, istanze_auth::AuthError> {
        use istanze_auth::saml::metadata;
        Ok(Metadata {
            spid: metadata::sp_metadata(sp)?.into(),
            cie: metadata::cie_metadata(sp)?.into(),
        })
    }
}
