//! `istanze-server`: the web application, its storage and the filing worker.
//!
//! [`Application::build`] wires everything from [`config::Settings`] and binds the listener
//! (port 0 picks a free one, which is how the tests run many servers side by side).

pub mod annulments;
pub mod api_tokens;
pub mod attachments;
pub mod audit;
mod audit_cli;
pub mod branding;
pub mod bulk;
pub mod cases;
pub mod cli;
pub mod clock;
pub mod communication;
pub mod config;
pub mod cpu;
pub mod db;
pub mod desk;
mod document;
pub mod drafts;
pub mod error;
mod event_filing;
pub mod exports;
mod filing;
pub mod form_store;
mod forms_cli;
pub mod housekeeping;
pub mod i18n;
pub mod ids;
pub mod jobs_admin;
pub mod keys;
pub mod notify;

pub mod pec_inbox;
pub mod principal;
pub mod protocol_admin;
pub mod random;
mod receipt;
pub mod registry;
pub mod replies;
pub mod secure_files;
pub mod staff;
mod staff_cli;
pub mod state;
pub mod store;
mod submit;
pub mod tenant;
pub mod web;
pub mod worker;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use istanze_auth::saml::AttributeSet;
use istanze_protocol::docarea::DocareaRegister;
use istanze_protocol::embedded::{EmbeddedRegister, RegisterIdentity};
use istanze_protocol::pec::PecRegister;
use istanze_protocol::rest::{RestRegister, RestSettings};
use istanze_protocol::Register;
use tokio::sync::Notify;

use crate::config::Settings;
use crate::error::ServerError;
use crate::state::AppState;

/// The SP's AttributeConsumingServices: index 0 is the default set; each form that declares
/// `spid_attributes` gets the set with those attributes (shared by forms that ask the same).
pub(crate) fn attribute_sets(
    forms: &istanze_forms::FormCatalog,
) -> Result<(Vec<AttributeSet>, std::collections::BTreeMap<String, usize>), ServerError> {
    let default = [
        "spidCode",
        "name",
        "familyName",
        "fiscalNumber",
        "email",
        "dateOfBirth",
    ];
    let mut sets = vec![AttributeSet {
        name: "Istanze online".into(),
        attributes: default.map(String::from).to_vec(),
    }];
    let mut by_form = std::collections::BTreeMap::new();
    for form in forms.iter() {
        let Some(wanted) = &form.spid_attributes else {
            continue;
        };
        if let Some(unknown) = wanted
            .iter()
            .find(|a| !istanze_auth::saml::SPID_ATTRIBUTES.contains(&a.as_str()))
        {
            return Err(ServerError::Internal(format!(
                "forms/{}.json: /spid_attributes: {unknown:?} is not a SPID attribute",
                form.id
            )));
        }
        let mut sorted = wanted.clone();
        sorted.sort();
        let index = match sets.iter().position(|s| {
            let mut have = s.attributes.clone();
            have.sort();
            have == sorted
        }) {
            Some(i) => i,
            None => {
                sets.push(AttributeSet {
                    name: form.title.clone(),
                    attributes: wanted.clone(),
                });
                sets.len() - 1
            }
        };
        by_form.insert(form.id.clone(), index);
    }
    Ok((sets, by_form))
}

/// The register every filing goes to, and the PEC adapter again when it is that one.
type Registers = (Arc<dyn Register>, Option<Arc<PecRegister>>);

/// The configured register (the embedded one, or an external system's adapter), and the PEC
/// adapter again when it is the one, for reading the AOO's answers.
pub(crate) fn register(
    settings: &Settings,
    db: &sea_orm::DatabaseConnection,
) -> Result<Registers, ServerError> {
    let embedded = || {
        EmbeddedRegister::new(
            db.clone(),
            RegisterIdentity {
                ipa_code: settings.administration.ipa_code.clone(),
                aoo: settings.administration.aoo.clone(),
                register: settings.administration.register.clone(),
            },
        )
    };
    Ok(match settings.protocol.adapter {
        config::Adapter::Embedded => (Arc::new(embedded()), None),
        config::Adapter::Rest => {
            let rest = settings
                .protocol
                .rest
                .clone()
                .ok_or_else(|| ServerError::Internal("protocol.rest missing".into()))?;
            (
                Arc::new(RestRegister::new(secrets_from_files(rest)?)?),
                None,
            )
        }
        config::Adapter::Pec => {
            let pec = pec_register(settings, embedded())?;
            (pec.clone(), Some(pec))
        }
        config::Adapter::Docarea => (Arc::new(docarea_register(settings, db)?), None),
    })
}

/// The DOCAREA adapter, with its password read from a file where configured.
pub(crate) fn docarea_register(
    settings: &Settings,
    db: &sea_orm::DatabaseConnection,
) -> Result<DocareaRegister, ServerError> {
    let mut d = settings
        .protocol
        .docarea
        .clone()
        .ok_or_else(|| ServerError::Internal("protocol.docarea missing".into()))?;
    d.password = secret(&d.password)?;
    Ok(DocareaRegister::new(d, db.clone())?)
}

/// The PEC adapter, with its password, extra CA and trust anchors read from files.
pub(crate) fn pec_register(
    settings: &Settings,
    embedded: EmbeddedRegister,
) -> Result<Arc<PecRegister>, ServerError> {
    let mut pec = settings
        .protocol
        .pec
        .clone()
        .ok_or_else(|| ServerError::Internal("protocol.pec missing".into()))?;
    pec.password = secret(&pec.password)?;
    let ca = pec
        .ca_file
        .as_ref()
        .map(|f| std::fs::read(f).map_err(|e| ServerError::Internal(format!("{f}: {e}"))))
        .transpose()?;
    let anchors = pec_inbox::trust_anchors(&pec, settings.server.demo)?;
    let registrar = istanze_protocol::segnatura::Registrar {
        administration: settings.administration.name.clone(),
        ipa_code: settings.administration.ipa_code.clone(),
        aoo: settings.administration.aoo.clone(),
    };
    Ok(Arc::new(PecRegister::new(
        embedded,
        registrar,
        keys::seal(settings)?,
        pec,
        ca.as_deref(),
        anchors,
    )?))
}

/// A secret given as `file:/path` is read from that file (trimmed); any other value is itself.
pub(crate) fn secret(value: &str) -> Result<String, ServerError> {
    let Some(path) = value.strip_prefix("file:") else {
        return Ok(value.to_owned());
    };
    secure_files::check_private(std::path::Path::new(path), "secret")?;
    Ok(std::fs::read_to_string(path)
        .map_err(|e| ServerError::Internal(format!("{path}: {e}")))?
        .trim()
        .to_owned())
}

/// Replaces every string `file:/path` of the REST settings by the trimmed content of the file.
fn secrets_from_files(rest: RestSettings) -> Result<RestSettings, ServerError> {
    fn walk(v: &mut serde_json::Value) -> Result<(), ServerError> {
        match v {
            serde_json::Value::String(s) if s.starts_with("file:") => *s = secret(s)?,
            serde_json::Value::Object(o) => o.values_mut().try_for_each(walk)?,
            serde_json::Value::Array(a) => a.iter_mut().try_for_each(walk)?,
            _ => {}
        }
        Ok(())
    }
    let internal = |e: serde_json::Error| ServerError::Internal(e.to_string());
    let mut value = serde_json::to_value(&rest.auth).map_err(internal)?;
    walk(&mut value)?;
    Ok(RestSettings {
        auth: serde_json::from_value(value).map_err(internal)?,
        ..rest
    })
}

/// A built, bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    state: Arc<AppState>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Connects and migrates the database, loads forms and keys, binds the listener.
    pub async fn build(settings: Settings) -> Result<Application, ServerError> {
        Application::build_with_clock(settings, Arc::new(clock::SystemClock)).await
    }

    /// [`Application::build`] on a given clock (tests move time with a
    /// [`clock::ShiftedClock`]).
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn clock::Clock>,
    ) -> Result<Application, ServerError> {
        Application::build_with(settings, clock, Arc::new(ids::RandomIds)).await
    }

    /// [`Application::build`] on a given clock and source of ids (tests that want to know ids
    /// in advance give it [`ids::SequentialIds`]).
    pub async fn build_with(
        settings: Settings,
        clock: Arc<dyn clock::Clock>,
        ids: Arc<dyn ids::Ids>,
    ) -> Result<Application, ServerError> {
        settings.check()?;
        secure_files::check_settings(&settings)?;
        let data_dir = &settings.server.data_dir;
        secure_files::create_private_dir(data_dir)
            .map_err(|e| ServerError::Internal(format!("{}: {e}", data_dir.display())))?;
        if secure_files::is_open_dir(data_dir) {
            tracing::warn!(
                dir = %data_dir.display(),
                "other users of this machine can enter the data directory: chmod 700 it"
            );
        }
        let default = istanze_domain::AdministrationId::parse(&settings.administration.ipa_code)
            .map_err(|e| ServerError::Internal(format!("administration.ipa_code: {e}")))?;
        let db = db::connect(
            &settings.database_url()?,
            settings.database.max_connections,
            Some(&default),
        )
        .await?;
        let listener = TcpListener::bind(&settings.server.bind)
            .map_err(|e| ServerError::Internal(format!("bind {}: {e}", settings.server.bind)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServerError::Internal(e.to_string()))?;
        let public_url = settings
            .server
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();

        let catalogues = i18n::Catalogues::with_dir(settings.i18n.locales_dir.as_deref())
            .map_err(|e| config::ConfigError::Invalid(format!("i18n.locales_dir: {e}")))?;
        let tenants = tenant::Tenants::build(&settings, &db, &public_url, catalogues.form_words())?;
        for t in tenants.iter() {
            tenant::claim_register(&db, &t.id, &t.admin().aoo).await?;
            tenant::check_languages(t.admin(), &catalogues)?;
            // An administration's own secrets (its mail server's password) are held to the
            // same file permissions as the installation's (checked above for its own).
            if !t.default {
                secure_files::check_settings(&t.settings)?;
            }
            if branding::colour(&t.admin().colour).is_none() {
                return Err(config::ConfigError::Invalid(format!(
                    "administration {}: colour {:?} is not one of the palette: {}",
                    t.id,
                    t.admin().colour,
                    branding::names()
                ))
                .into());
            }
        }
        // The forms of the files, as versions of each administration's forms.
        for t in tenants.iter() {
            let db = db::scope::Scoped::new(&db, &t.id);
            form_store::import(&db, t.id.as_str(), &t.forms, &t.forms_source, clock.now()).await?;
        }
        let trusted = keys::trusted_idps(&settings)?;
        let mut idps = trusted.all;
        let demo_idp = if settings.server.demo {
            let idp = keys::demo_idp(&settings, &public_url)?.with_users(staff::demo_users());
            idps.push(idp.descriptor()?);
            for t in tenants.iter() {
                staff::grant_demo_staff(&db::scope::Scoped::new(&db, &t.id), clock.now()).await?;
            }
            Some(idp)
        } else {
            None
        };
        // The second line of defence for XML signatures is process-wide: in place before any
        // request is served, and a failure stops the start.
        istanze_xmlsig::lockdown().map_err(istanze_auth::AuthError::from)?;
        let cpu = crate::cpu::CpuPool::start(&settings.cpu)?;
        let state = Arc::new(AppState {
            settings,
            db,
            tenants,
            idps,
            cie_idp: trusted.cie,
            eidas_idp: trusted.eidas,
            demo_idp,
            public_url,
            wake_worker: Arc::new(Notify::new()),
            cpu,
            clock,
            ids,
            catalogues: Arc::new(catalogues),
        });
        let server = web::server(state.clone(), listener)?;
        Ok(Application {
            port: addr.port(),
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The shared state, for tests and embedders that drive a service (housekeeping, a
    /// filing pass) at a moment of their choosing.
    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    pub fn public_url(&self) -> &str {
        &self.state.public_url
    }

    /// Runs the web server and the filing worker until the server stops.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = self
            .state
            .settings
            .worker
            .enabled
            .then(|| tokio::spawn(worker::run(self.state.clone(), worker::Lane::Filing)));
        let housekeeping = tokio::spawn(housekeeping::run(self.state.clone()));
        let notifications =
            self.state.settings.worker.enabled.then(|| {
                tokio::spawn(worker::run(self.state.clone(), worker::Lane::Notifications))
            });
        let inbox = self
            .state
            .tenants
            .iter()
            .any(|t| {
                t.pec
                    .as_ref()
                    .is_some_and(|p| p.settings().inbox_maildir.is_some())
            })
            .then(|| tokio::spawn(pec_inbox::run(self.state.clone())));
        let result = self.server.await;
        if let Some(i) = inbox {
            i.abort();
        }
        if let Some(n) = notifications {
            n.abort();
        }
        if let Some(w) = worker {
            w.abort();
        }
        housekeeping.abort();
        result
    }
}
