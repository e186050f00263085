//! What every request handler and the worker share.

use std::sync::Arc;

use istanze_auth::demo_idp::DemoIdp;
use istanze_auth::saml::{IdpDescriptor, ServiceProvider};
use istanze_forms::FormCatalog;
use istanze_protocol::Register;
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::config::Settings;

/// The application's shared state.
#[derive(Debug)]
pub struct AppState {
    pub settings: Settings,
    pub db: DatabaseConnection,
    pub forms: FormCatalog,
    pub sp: ServiceProvider,
    /// Trusted identity providers (the demo IdP among them in demo mode).
    pub idps: Vec<IdpDescriptor>,
    /// The AttributeConsumingService index of each form that asks for its own attributes.
    pub form_attribute_sets: std::collections::BTreeMap<String, usize>,
    /// Entity id of the CIE identity provider, if configured.
    pub cie_idp: Option<String>,
    /// Entity id of the eIDAS node, if configured.
    pub eidas_idp: Option<String>,
    pub demo_idp: Option<DemoIdp>,
    pub register: Arc<dyn Register>,
    /// The PEC adapter, when it is the register: its inbox holds the AOO's answers.
    pub pec: Option<Arc<istanze_protocol::pec::PecRegister>>,
    /// Base URL without trailing slash.
    pub public_url: String,
    /// Wakes the filing worker when a submission is committed.
    pub wake_worker: Arc<Notify>,
    /// The administration's logo: its media type and bytes, read at start.
    pub logo: Option<(&'static str, Vec<u8>)>,
    /// CPU-heavy work (signatures, PDFs) runs here, off the request threads.
    pub cpu: crate::cpu::CpuPool,
    /// The signed SP metadata (SPID, CIE), made once at start: the keys are read at start,
    /// so a key rotation is a restart, which makes them again.
    pub metadata: Metadata,
    /// The time every handler, service and background job reads (see [`crate::clock`]).
    pub clock: Arc<dyn crate::clock::Clock>,
}

impl AppState {
    pub fn idp(&self, entity_id: &str) -> Option<&IdpDescriptor> {
        self.idps.iter().find(|i| i.entity_id == entity_id)
    }

    pub fn demo(&self) -> bool {
        self.settings.server.demo
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
