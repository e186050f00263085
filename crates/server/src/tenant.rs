//! The administrations an installation serves (tenants), each with what it has of its own:
//! forms, SPID/CIE Service Provider and its signed metadata, register, logo.
//!
//! Built once at start from [`crate::config::Settings::administrations`]; a request finds its
//! administration by path (`/enti/<ipa_code>/`) or host name (see `web::tenant`), a background
//! job by the `administration` column of the row it works on.

use std::collections::BTreeMap;
use std::sync::Arc;

use istanze_auth::saml::{Organization, ServiceProvider};
use istanze_domain::AdministrationId;
use istanze_forms::FormCatalog;
use istanze_protocol::pec::PecRegister;
use istanze_protocol::Register;
use sea_orm::DatabaseConnection;

use crate::config::{Administration, AdministrationConfig, Settings};
use crate::error::ServerError;
use crate::state::Metadata;

/// One administration, ready to serve.
#[derive(Debug)]
pub struct Tenant {
    pub id: AdministrationId,
    /// The installation's own administration, also served at `/`.
    pub default: bool,
    /// `/enti/<ipa_code>`: where all of it lives, without a trailing slash.
    pub base_path: String,
    /// Its absolute base URL, without a trailing slash: the installation's public URL for the
    /// default administration (so its SP entity id is unchanged), plus the base path for the
    /// others.
    pub public_url: String,
    pub forms: FormCatalog,
    /// Where the forms come from (`forms.dir`), as the stored versions say.
    pub forms_source: String,
    pub sp: ServiceProvider,
    pub metadata: Metadata,
    /// The AttributeConsumingService index of each form that asks for its own attributes.
    pub form_attribute_sets: BTreeMap<String, usize>,
    pub register: Arc<dyn Register>,
    /// The PEC adapter, when it is the register: its inbox holds the AOO's answers.
    pub pec: Option<Arc<PecRegister>>,
    /// The connection its register runs on (see [`crate::db::registers::connection`]).
    pub register_db: DatabaseConnection,
    /// The logo: its media type and bytes, read at start.
    pub logo: Option<(&'static str, Vec<u8>)>,
    /// `administration.languages`, read once.
    languages: Vec<crate::i18n::Lang>,
    /// The installation's settings as they apply to this administration (its register's
    /// commands and nightly jobs take them).
    pub settings: Settings,
}

/// The languages `admin` lists, Italian first and once each.
fn offered_languages(admin: &Administration) -> Vec<crate::i18n::Lang> {
    let mut out = vec![crate::i18n::Lang::IT];
    for lang in admin
        .languages
        .iter()
        .filter_map(|c| crate::i18n::Lang::from_code(c))
    {
        if !out.contains(&lang) {
            out.push(lang);
        }
    }
    out
}

/// Refuses an administration whose languages leave out Italian, are not language codes, or
/// have no catalogue.
pub fn check_languages(
    admin: &Administration,
    catalogues: &crate::i18n::Catalogues,
) -> Result<(), crate::config::ConfigError> {
    let invalid = |why: String| {
        crate::config::ConfigError::Invalid(format!(
            "administration {}: languages: {why}",
            admin.ipa_code
        ))
    };
    if !admin.languages.iter().any(|c| c == "it") {
        return Err(invalid(
            "Italian (\"it\") is always offered: list it".into(),
        ));
    }
    for code in &admin.languages {
        let lang = crate::i18n::Lang::from_code(code)
            .filter(|l| l.code() == code)
            .ok_or_else(|| invalid(format!("{code:?} is not a language code (it, en, de, sl)")))?;
        if !catalogues.has(lang) {
            return Err(invalid(format!(
                "no catalogue for {code:?}: add {code}.ftl to i18n.locales_dir"
            )));
        }
    }
    Ok(())
}

impl Tenant {
    /// Who the administration is (name, IPA code, AOO, contact, host names).
    pub fn admin(&self) -> &Administration {
        &self.settings.administration
    }

    /// The languages its pages are offered in, Italian first (checked at start: see
    /// [`check_languages`]).
    pub fn languages(&self) -> &[crate::i18n::Lang] {
        &self.languages
    }

    /// Loads the forms (writing their own words with `words`), keys and register of one
    /// administration. `aggregator` is the installation's own administration, for an
    /// aggregated one.
    pub fn build(
        config: &AdministrationConfig,
        db: &DatabaseConnection,
        installation_url: &str,
        aggregator: Option<&Tenant>,
        words: &Arc<istanze_forms::Words>,
    ) -> Result<Tenant, ServerError> {
        let settings = &config.settings;
        let base_path = format!("/enti/{}", config.id);
        let aggregator = aggregator.filter(|_| config.aggregated);
        // An administration on its own host name has its SP there (outside demo, which runs
        // on loopback only); the others live under the installation's URL.
        // The installation's own keeps its SP at the installation's URL whatever hosts it has.
        let own_host = settings
            .administration
            .hosts
            .first()
            .filter(|_| !settings.server.demo && !config.default);
        let public_url = match own_host {
            Some(host) => format!("https://{host}"),
            None if config.default => installation_url.to_owned(),
            None => format!("{installation_url}{base_path}"),
        };
        let forms = istanze_forms::load_dir(&settings.forms.dir)?.with_words(words);
        let (attribute_sets, form_attribute_sets) = crate::attribute_sets(&forms)?;
        let (entity_id, key, aggregated_by) = match aggregator {
            // Avviso SPID n.19 v4: the aggregated SP's entity id is under the aggregator's,
            // and the aggregator's key signs; its endpoints stay under its base path.
            Some(ag) => (
                format!("{installation_url}/pub-ag-full/{}", config.id),
                ag.sp.key.clone(),
                Some(istanze_auth::saml::Aggregator {
                    company: ag.admin().name.clone(),
                    ipa_code: Some(ag.admin().ipa_code.clone()),
                    email: ag.admin().contact_email.clone(),
                }),
            ),
            None => (
                public_url.clone(),
                crate::keys::sp_key(settings, &public_url)?,
                None,
            ),
        };
        let sp = ServiceProvider {
            entity_id,
            acs_url: format!("{public_url}/spid/acs"),
            slo_url: format!("{public_url}/spid/slo"),
            organization: organization(&settings.administration),
            attribute_sets,
            key,
            clock_skew: chrono::Duration::seconds(settings.spid.clock_skew_seconds),
            aggregator: aggregated_by,
        };
        let register_db = crate::db::registers::connection(db, &config.id);
        let (register, pec) = crate::register(settings, &register_db)?;
        let logo = settings
            .administration
            .logo_file
            .as_deref()
            .map(crate::web::logo::load)
            .transpose()?;
        let metadata = Metadata::of(&sp)?;
        Ok(Tenant {
            id: config.id.clone(),
            default: config.default,
            base_path,
            public_url,
            forms,
            forms_source: settings.forms.dir.display().to_string(),
            sp,
            metadata,
            form_attribute_sets,
            register,
            register_db,
            pec,
            logo,
            languages: offered_languages(&settings.administration),
            settings: settings.clone(),
        })
    }
}

fn organization(a: &Administration) -> Organization {
    Organization {
        name: a.name.clone(),
        display_name: a.name.clone(),
        url: a.url.clone(),
        ipa_code: a.ipa_code.clone(),
        municipality: a.municipality.clone(),
        contact_email: a.contact_email.clone(),
    }
}

/// Claims the register of `aoo` for `admin` (see [`crate::db::registers::claim`]), refusing a
/// configuration that gives an AOO's register to another administration than the one it
/// already belongs to.
pub async fn claim_register(
    db: &DatabaseConnection,
    admin: &istanze_domain::AdministrationId,
    aoo: &str,
) -> Result<(), ServerError> {
    match crate::db::registers::claim(db, admin, aoo).await? {
        Ok(()) => Ok(()),
        Err(holder) => Err(crate::config::ConfigError::Invalid(format!(
            "the register of AOO {aoo} belongs to administration {holder} in the database; \
             the configuration gives it to {admin}"
        ))
        .into()),
    }
}

/// Every administration of the installation; the default one first.
#[derive(Debug, Clone)]
pub struct Tenants {
    all: Vec<Arc<Tenant>>,
}

impl Tenants {
    /// Builds every administration of `settings`.
    pub fn build(
        settings: &Settings,
        db: &DatabaseConnection,
        installation_url: &str,
        words: &Arc<istanze_forms::Words>,
    ) -> Result<Tenants, ServerError> {
        let mut all: Vec<Arc<Tenant>> = Vec::new();
        for config in settings.administrations()? {
            // The first is the installation's own: the aggregator of those that choose it.
            let tenant = Tenant::build(
                &config,
                db,
                installation_url,
                all.first().map(|t| &**t),
                words,
            )?;
            all.push(Arc::new(tenant));
        }
        Ok(Tenants { all })
    }

    /// The installation's own administration.
    pub fn default_tenant(&self) -> &Arc<Tenant> {
        // `build` always puts the default one first, and there is always one.
        &self.all[0]
    }

    pub fn get(&self, ipa_code: &str) -> Option<&Arc<Tenant>> {
        self.all.iter().find(|t| t.id.as_str() == ipa_code)
    }

    /// The administration served at the root of `host` (without its port), if any.
    pub fn by_host(&self, host: &str) -> Option<&Arc<Tenant>> {
        self.all
            .iter()
            .find(|t| t.admin().hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
    }

    /// Whether any administration has a host name of its own.
    pub fn has_hosts(&self) -> bool {
        self.all.iter().any(|t| !t.admin().hosts.is_empty())
    }

    /// The administration whose SP has this entity id.
    pub fn by_entity_id(&self, entity_id: &str) -> Option<&Arc<Tenant>> {
        self.all.iter().find(|t| t.sp.entity_id == entity_id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Tenant>> {
        self.all.iter()
    }

    /// Every administration, starting one further at each call on the same `turn`: a loop
    /// that serves them one at a time (filings, notifications) takes them in turns, so that
    /// one administration's rush does not keep the others waiting.
    pub fn in_turns<'a>(
        &'a self,
        turn: &std::sync::atomic::AtomicUsize,
    ) -> impl Iterator<Item = &'a Arc<Tenant>> {
        let start = turn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let n = self.all.len();
        (0..n).filter_map(move |k| self.all.get((start + k) % n))
    }
}
