//! `istanze staff grant|revoke|list`: an administration's staff roles from the command line,
//! for the first administrator and for installations that manage roles from their own
//! scripts. What the back office's administrators do with the same store.

use std::path::PathBuf;

use clap::Subcommand;
use istanze_domain::{FiscalCode, OfficeCode, Reach, Role};

use crate::config::Settings;
use crate::store::staff::StaffStore;

#[derive(Subcommand)]
pub enum StaffAction {
    /// Give a person a role, for the whole administration or for one office.
    Grant {
        #[command(flatten)]
        who: Who,
    },
    /// Take a role away (with the same office it was granted for).
    Revoke {
        #[command(flatten)]
        who: Who,
    },
    /// Every role granted at the administration: fiscal code, role, office, by whom, when.
    List {
        #[arg(long)]
        config: Option<PathBuf>,
        /// The administration (IPA code); the installation's own by default.
        #[arg(long)]
        ente: Option<String>,
    },
}

#[derive(clap::Args)]
pub struct Who {
    #[arg(long)]
    config: Option<PathBuf>,
    /// The administration (IPA code); the installation's own by default.
    #[arg(long)]
    ente: Option<String>,
    /// The person's fiscal code (checked).
    #[arg(long = "codice-fiscale")]
    fiscal_code: String,
    /// amministratore, progettista, operatore, responsabile, protocollista or revisore.
    #[arg(long = "ruolo")]
    role: String,
    /// An office code; without it the role reaches the whole administration.
    #[arg(long = "ufficio")]
    office: Option<String>,
}

/// Runs a `staff` command.
pub fn run(action: StaffAction) -> Result<(), Box<dyn std::error::Error>> {
    let (config, ente) = match &action {
        StaffAction::Grant { who } | StaffAction::Revoke { who } => (&who.config, &who.ente),
        StaffAction::List { config, ente } => (config, ente),
    };
    let installation = Settings::load(config.as_deref())?;
    let settings = crate::cli::one(&installation, ente.as_deref())?;
    let admin = istanze_domain::AdministrationId::parse(&settings.administration.ipa_code)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let db = crate::db::connect(&settings.database_url()?, 2, None).await?;
        let db = crate::db::scope::Scoped::new(&db, &admin);
        let now = chrono::Utc::now();
        match action {
            StaffAction::Grant { who } => {
                let (cf, role, reach) = parse(&who)?;
                let by = format!("cli:{}", std::env::var("USER").unwrap_or_default());
                let new = db.grant(&cf, role, &reach, &by, now).await?;
                if new {
                    audited(&db, &by, "staff grant", &cf, role, &reach, now).await?;
                }
                println!(
                    "{admin}\t{cf}\t{role}\t{}\t{}",
                    office(&reach),
                    if new { "granted" } else { "already held" }
                );
            }
            StaffAction::Revoke { who } => {
                let (cf, role, reach) = parse(&who)?;
                let by = format!("cli:{}", std::env::var("USER").unwrap_or_default());
                if !db.revoke(&cf, role, &reach).await? {
                    return Err(format!(
                        "{cf} does not hold {role} {} at {admin}",
                        describe(&reach)
                    )
                    .into());
                }
                audited(&db, &by, "staff revoke", &cf, role, &reach, now).await?;
                println!("{admin}\t{cf}\t{role}\t{}\trevoked", office(&reach));
            }
            StaffAction::List { .. } => {
                for g in db.all_grants().await? {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        g.person,
                        g.role,
                        office(&g.reach),
                        g.granted_by,
                        g.granted_at.to_rfc3339()
                    );
                }
            }
        }
        Ok(())
    })
}

/// Records a change of roles made in the audit log.
async fn audited(
    db: &crate::db::scope::Scoped,
    by: &str,
    action: &str,
    cf: &FiscalCode,
    role: Role,
    reach: &Reach,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), crate::audit::AuditError> {
    let entry = crate::store::audit::NewEntry {
        actor: by,
        action,
        object: &cf.to_string(),
        origin: "riga di comando",
        details: serde_json::json!({"role": role.code(), "office": office(reach)}),
    };
    crate::audit::record(db, entry, now).await.map(|_| ())
}

fn parse(who: &Who) -> Result<(FiscalCode, Role, Reach), Box<dyn std::error::Error>> {
    let cf = FiscalCode::parse(&who.fiscal_code)?;
    let role = Role::parse(&who.role)?;
    let reach = match &who.office {
        None => Reach::Administration,
        Some(o) => Reach::Office(OfficeCode::parse(o)?),
    };
    Ok((cf, role, reach))
}

/// The office column: `-` for the whole administration.
fn office(reach: &Reach) -> &str {
    match reach {
        Reach::Administration => "-",
        Reach::Office(o) => o.as_str(),
    }
}

fn describe(reach: &Reach) -> String {
    match reach {
        Reach::Administration => "for the whole administration".into(),
        Reach::Office(o) => format!("for office {o}"),
    }
}
