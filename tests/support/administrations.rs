//! Administrations for the tests: the demo's municipality (its own SP), one the installation
//! aggregates, and a connection acting for one of them.

use std::path::Path;

use istanze_server::config::Settings;

use crate::{forms_dir, keys_dir};

/// The demo's second administration, a municipality, as a file of the administrations
/// directory `dir` (see config/administrations/).
pub fn add_municipality(settings: &mut Settings, dir: &Path) {
    let admins = dir.join("administrations");
    std::fs::create_dir_all(&admins).expect("administrations dir");
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/administrations/c_b999.toml");
    let text = std::fs::read_to_string(shipped).expect("the shipped municipality");
    // Its forms directory is relative to where the demo runs (the repository's root).
    let text = text.replace(
        "dir = \"forms\"",
        &format!("dir = {:?}", forms_dir().display().to_string()),
    );
    std::fs::write(admins.join("c_b999.toml"), text).expect("write the municipality");
    // Its demo keys too, made once per test process like the installation's.
    let keys = settings.server.data_dir.join("enti").join("c_b999");
    std::fs::create_dir_all(&keys).expect("keys dir");
    for part in ["key", "cert"] {
        std::fs::copy(
            keys_dir().join(format!("c_b999-sp-{part}.pem")),
            keys.join(format!("sp-{part}.pem")),
        )
        .expect("copy key");
    }
    settings.administrations.dir = Some(admins);
}

/// A second municipality, `c_b998`, for which the installation is the SPID aggregator (its SP
/// signs with the installation's key, under the entity id `<url>/pub-ag-full/c_b998`).
pub fn add_aggregated_municipality(settings: &mut Settings, dir: &Path) {
    let admins = dir.join("administrations");
    std::fs::create_dir_all(&admins).expect("administrations dir");
    let text = format!(
        "[administration]\nname = \"Comune di Valle Esempio\"\nipa_code = \"c_b998\"\n\
         aoo = \"AOOB998\"\nregister = \"PROT\"\nurl = \"https://www.comune.valleesempio.it\"\n\
         municipality = \"B998\"\ncontact_email = \"protocollo@comune.valleesempio.it\"\n\n\
         [forms]\ndir = {:?}\n\n[spid]\naggregated = true\n",
        forms_dir().display().to_string()
    );
    std::fs::write(admins.join("c_b998.toml"), text).expect("write the municipality");
    settings.administrations.dir = Some(admins);
}

/// `db` acting for administration `ipa_code`, as the server's services use it.
pub fn scoped(
    db: &sea_orm::DatabaseConnection,
    ipa_code: &str,
) -> istanze_server::db::scope::Scoped {
    let id = istanze_domain::AdministrationId::parse(ipa_code).expect("an IPA code");
    istanze_server::db::scope::Scoped::new(db, &id)
}
