//! `istanze audit verify|export`: the audit log from the command line. `verify` checks every
//! administration's chain (or one, with `--ente`) and names the first entry that is not as it
//! was written; `export` prints the entries of a period as JSON lines for the data protection
//! officer, optionally only those about one citizen (`--codice-fiscale`).

use std::path::PathBuf;

use chrono::{NaiveDate, TimeZone};
use clap::Subcommand;
use istanze_domain::FiscalCode;

use crate::config::Settings;

#[derive(Subcommand)]
pub enum AuditAction {
    /// Check the hash chain; prints `<administration>: N entries verified`.
    Verify {
        #[arg(long)]
        config: Option<PathBuf>,
        /// One administration (IPA code); all of them by default.
        #[arg(long)]
        ente: Option<String>,
    },
    /// The entries of a period (Italian calendar days, both included), one JSON object a line.
    Export {
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        ente: Option<String>,
        /// First day, YYYY-MM-DD.
        #[arg(long = "dal")]
        from: NaiveDate,
        /// Last day, YYYY-MM-DD.
        #[arg(long = "al")]
        to: NaiveDate,
        /// Only what concerns this citizen and their applications.
        #[arg(long = "codice-fiscale")]
        fiscal_code: Option<String>,
    },
}

/// The start of Italian day `d`, in UTC (Italy is one or two hours ahead).
fn start_of(d: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    let utc_midnight = chrono::Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    [2, 1]
        .into_iter()
        .map(|h| utc_midnight - chrono::Duration::hours(h))
        .find(|t| istanze_protocol::rome::local(*t).date_naive() == d)
        .unwrap_or(utc_midnight)
}

/// Runs an `audit` command.
pub fn run(action: AuditAction) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match action {
        AuditAction::Verify { config, ente } => {
            let installation = Settings::load(config.as_deref())?;
            runtime.block_on(async {
                let mut failed = Vec::new();
                for a in crate::cli::chosen(&installation, ente.as_deref())? {
                    let db = crate::db::connect(&a.settings.database_url()?, 2, None).await?;
                    let scoped = crate::db::scope::Scoped::new(&db, &a.id);
                    match crate::audit::verify(&scoped).await? {
                        Ok(n) => println!("{}: {n} entries verified", a.id),
                        Err(broken) => {
                            println!("{}: {broken}", a.id);
                            failed.push(a.id.to_string());
                        }
                    }
                }
                if failed.is_empty() {
                    Ok(())
                } else {
                    Err(format!("audit log not intact: {}", failed.join(", ")).into())
                }
            })
        }
        AuditAction::Export {
            config,
            ente,
            from,
            to,
            fiscal_code,
        } => {
            let installation = Settings::load(config.as_deref())?;
            let settings = crate::cli::one(&installation, ente.as_deref())?;
            let admin = istanze_domain::AdministrationId::parse(&settings.administration.ipa_code)?;
            let citizen = fiscal_code
                .map(|cf| FiscalCode::parse(&cf).map(|cf| cf.to_string()))
                .transpose()?;
            runtime.block_on(async {
                let db = crate::db::connect(&settings.database_url()?, 2, None).await?;
                let scoped = crate::db::scope::Scoped::new(&db, &admin);
                let until =
                    start_of(to + chrono::Duration::days(1)) - chrono::Duration::microseconds(1);
                for e in
                    crate::audit::export(&scoped, start_of(from), until, citizen.as_deref()).await?
                {
                    let details: serde_json::Value =
                        serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null);
                    println!(
                        "{}",
                        serde_json::json!({
                            "seq": e.seq,
                            "at": e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                            "actor": e.actor,
                            "action": e.action,
                            "object": e.object,
                            "origin": e.origin,
                            "details": details,
                        })
                    );
                }
                Ok(())
            })
        }
    }
}
