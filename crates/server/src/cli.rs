//! The `istanze` command line: `serve`, `keygen`, `administrations list`, `forms` (check,
//! import, export), `staff` (grant, revoke, list), `protocol` (verify, annul, segnatura,
//! daily-register, pec-receive, docarea-resolve), `outbox`, `spid-registry`.
//! In the library so that test harnesses can run the same binary logic. Commands about one
//! administration's records take `--ente <ipa_code>` (the installation's own by default);
//! `protocol verify` and `outbox` without it go through every administration. A command's time
//! is read here, once, from the system clock, and handed to the services it calls.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::{AdministrationConfig, Settings};
use crate::store::jobs::JobKind;
use crate::Application;
use chrono::Utc;
use clap::{Parser, Subcommand};
use istanze_auth::keys::{generate, CertificateRequest};

#[derive(Parser)]
#[command(
    name = "istanze",
    version,
    about = "Istanze online per la pubblica amministrazione"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server. Without a configuration file it runs the demo on 127.0.0.1:8080.
    Serve {
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Form definitions: check a folder, import it as versions, export the latest versions.
    Forms {
        #[command(subcommand)]
        action: crate::forms_cli::FormsAction,
    },
    /// The audit log of staff work: verify the chain, export for the data protection officer.
    Audit {
        #[command(subcommand)]
        action: crate::audit_cli::AuditAction,
    },
    /// Staff roles of an administration: grant, revoke, list.
    Staff {
        #[command(subcommand)]
        action: crate::staff_cli::StaffAction,
    },
    /// The administrations this installation serves.
    Administrations {
        #[arg(long)]
        config: Option<PathBuf>,
        #[command(subcommand)]
        action: AdministrationsAction,
    },
    /// The protocol register: verify it, annul a registration.
    Protocol {
        #[arg(long)]
        config: Option<PathBuf>,
        /// The administration (IPA code); `verify` checks every one without it.
        #[arg(long)]
        ente: Option<String>,
        #[command(subcommand)]
        action: ProtocolAction,
    },
    /// Jobs still to do (filings, notifications): list them (stuck ones marked), retry those
    /// of one submission now.
    Outbox {
        #[arg(long)]
        config: Option<PathBuf>,
        /// The administration (IPA code); every one without it.
        #[arg(long)]
        ente: Option<String>,
        /// Make the pending jobs of this submission due now.
        #[arg(long)]
        retry: Option<String>,
    },
    /// Download AgID's registry of SPID identity providers, verify it, replace the snapshot.
    SpidRegistry {
        #[arg(long)]
        config: Option<PathBuf>,
        /// Defaults to spid.registry_url.
        #[arg(long)]
        url: Option<String>,
        /// Defaults to spid.registry_file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Make a self-signed SP certificate (RSA 3072, SHA-256) and its private key.
    Keygen {
        /// The SP entity id (public base URL).
        #[arg(long)]
        entity_id: String,
        /// The administration's name.
        #[arg(long)]
        organization: String,
        /// The administration's IPA code.
        #[arg(long)]
        ipa_code: String,
        #[arg(long, default_value = "Roma")]
        locality: String,
        #[arg(long, default_value_t = 730)]
        days: u32,
        #[arg(long, default_value = "sp-key.pem")]
        key_out: PathBuf,
        #[arg(long, default_value = "sp-cert.pem")]
        cert_out: PathBuf,
    },
}

#[derive(Subcommand)]
enum AdministrationsAction {
    /// One line per administration: IPA code, AOO, register, base path, name.
    List,
}

/// The administrations a command is for: the one named by `--ente`, or every one.
pub(crate) fn chosen(
    settings: &Settings,
    ente: Option<&str>,
) -> Result<Vec<AdministrationConfig>, Box<dyn std::error::Error>> {
    let all = settings.administrations()?;
    match ente {
        None => Ok(all),
        Some(code) => {
            let one: Vec<_> = all.into_iter().filter(|a| a.id.as_str() == code).collect();
            if one.is_empty() {
                return Err(format!("no administration with IPA code {code:?}").into());
            }
            Ok(one)
        }
    }
}

/// The one administration a command is for: `--ente`, or the installation's own.
pub(crate) fn one(
    settings: &Settings,
    ente: Option<&str>,
) -> Result<Settings, Box<dyn std::error::Error>> {
    let code = ente.unwrap_or(&settings.administration.ipa_code).to_owned();
    let mut chosen = chosen(settings, Some(&code))?;
    Ok(chosen.remove(0).settings)
}

#[derive(Subcommand)]
enum ProtocolAction {
    /// Check the hash chain and every registered document digest; prints `N entries verified`.
    Verify,
    /// Write the daily register of a day: JSON with digests and the chain head, and PDF/A-2b.
    DailyRegister {
        /// The day, YYYY-MM-DD (Italian calendar).
        #[arg(long)]
        date: chrono::NaiveDate,
        /// Defaults to `<data_dir>/registro-giornaliero`.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the sealed Segnatura XML of a registration.
    Segnatura {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        number: i64,
    },
    /// Read one message from standard input and record the AOO's answers in it (Conferma.xml,
    /// Eccezione.xml, ...): for a mail fetcher's delivery command, e.g. fetchmail `--mda`.
    PecReceive,
    /// Record how a DOCAREA filing whose answer was lost turned out, as found in the protocol
    /// system: registered with --number and --date, or --not-registered (filed again).
    DocareaResolve {
        #[arg(long)]
        submission: String,
        #[arg(long, requires = "date", conflicts_with = "not_registered")]
        number: Option<i64>,
        /// YYYY-MM-DD
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        #[arg(long)]
        not_registered: bool,
    },
    /// Annul a registration (DPR 445/2000 art. 54); the entry stays readable.
    Annul {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        number: i64,
        /// Reference of the records manager's authorising act.
        #[arg(long)]
        act: String,
        #[arg(long)]
        operator: String,
        #[arg(long)]
        reason: String,
    },
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    // Before any file is made: the database, uploads and keys are for this user only.
    crate::secure_files::restrict_umask();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm_migration=warn".into()),
        )
        .init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("istanze: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::Serve { config } => {
            let settings = Settings::load(config.as_deref())?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let app = Application::build(settings).await?;
                tracing::info!(url = %app.public_url(), "istanze is listening");
                app.run_until_stopped().await?;
                Ok(())
            })
        }
        Command::Forms { action } => crate::forms_cli::run(action),
        Command::Staff { action } => crate::staff_cli::run(action),
        Command::Audit { action } => crate::audit_cli::run(action),
        Command::Administrations {
            config,
            action: AdministrationsAction::List,
        } => {
            let settings = Settings::load(config.as_deref())?;
            for a in settings.administrations()? {
                let s = &a.settings.administration;
                println!(
                    "{}\t{}\t{}\t/enti/{}/\t{}{}",
                    a.id,
                    s.aoo,
                    s.register,
                    a.id,
                    s.name,
                    if a.default { "\t(default)" } else { "" }
                );
            }
            Ok(())
        }
        Command::Protocol {
            config,
            ente,
            action,
        } => {
            let installation = Settings::load(config.as_deref())?;
            // `verify` goes through every administration unless one is named; the others act
            // on one administration's register.
            let this_one = || one(&installation, ente.as_deref());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                match action {
                    ProtocolAction::Verify => {
                        let mut failed = Vec::new();
                        for a in chosen(&installation, ente.as_deref())? {
                            match crate::protocol_admin::verify(&a.settings).await? {
                                Ok(n) => println!("{}: {n} entries verified", a.id),
                                Err(inconsistency) => {
                                    println!("{}: inconsistency: {inconsistency}", a.id);
                                    failed.push(a.id.to_string());
                                }
                            }
                        }
                        if failed.is_empty() {
                            Ok(())
                        } else {
                            Err(format!("inconsistent registers: {}", failed.join(", ")).into())
                        }
                    }
                    ProtocolAction::DailyRegister { date, out } => {
                        let settings = this_one()?;
                        let dir =
                            out.unwrap_or_else(|| crate::protocol_admin::daily_dir(&settings));
                        let (path, digest) = crate::protocol_admin::daily_register(
                            &settings,
                            date,
                            &dir,
                            Utc::now(),
                        )
                        .await?;
                        println!("{} sha256={digest}", path.display());
                        Ok(())
                    }
                    ProtocolAction::Segnatura { year, number } => {
                        let settings = this_one()?;
                        println!(
                            "{}",
                            crate::protocol_admin::segnatura(&settings, year, number).await?
                        );
                        Ok(())
                    }
                    ProtocolAction::DocareaResolve {
                        submission,
                        number,
                        date,
                        not_registered,
                    } => {
                        let settings = this_one()?;
                        use istanze_protocol::docarea::Outcome;
                        let outcome = match (number, date, not_registered) {
                            (Some(number), Some(date), false) => {
                                Outcome::Registered { number, date }
                            }
                            (None, None, true) => Outcome::NotRegistered,
                            _ => return Err("give --number and --date, or --not-registered".into()),
                        };
                        crate::protocol_admin::docarea_resolve(
                            &settings,
                            &submission,
                            outcome,
                            Utc::now(),
                        )
                        .await?;
                        println!("outcome of {submission} recorded");
                        Ok(())
                    }
                    ProtocolAction::PecReceive => {
                        let settings = this_one()?;
                        // Answers are a few kilobytes; anything huge is not one.
                        let mut raw = Vec::new();
                        std::io::Read::read_to_end(
                            &mut std::io::Read::take(std::io::stdin(), 20 * 1024 * 1024),
                            &mut raw,
                        )?;
                        for r in
                            crate::protocol_admin::pec_receive(&settings, &raw, Utc::now()).await?
                        {
                            println!("{r:?}");
                        }
                        Ok(())
                    }
                    ProtocolAction::Annul {
                        year,
                        number,
                        act,
                        operator,
                        reason,
                    } => {
                        let settings = this_one()?;
                        let annulment = istanze_protocol::embedded::Annulment {
                            authorising_act: act,
                            operator,
                            reason,
                        };
                        crate::protocol_admin::annul(
                            &settings,
                            year,
                            number,
                            &annulment,
                            Utc::now(),
                        )
                        .await?;
                        println!("registration {number:07}/{year} annulled");
                        Ok(())
                    }
                }
            })
        }
        Command::Outbox {
            config,
            ente,
            retry,
        } => {
            let settings = Settings::load(config.as_deref())?;
            let administrations = chosen(&settings, ente.as_deref())?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let db = crate::db::connect(&settings.database_url()?, 2, None).await?;
                let now = chrono::Utc::now();
                if let Some(id) = retry {
                    let mut found = false;
                    for a in &administrations {
                        let db = crate::db::scope::Scoped::new(&db, &a.id);
                        for kind in JobKind::ALL {
                            found |= crate::jobs_admin::retry(&db, kind, &id, now).await?;
                        }
                    }
                    if !found {
                        return Err(format!("no pending job for submission {id}").into());
                    }
                    println!("jobs of {id} due now");
                }
                let stuck_after = chrono::Duration::minutes(settings.worker.stuck_after_minutes);
                for a in &administrations {
                    let db = crate::db::scope::Scoped::new(&db, &a.id);
                    for p in
                        crate::jobs_admin::pending(&db, &JobKind::ALL, now, stuck_after).await?
                    {
                        println!(
                            "{} {} {} {} attempts={} since={} next={} error={}",
                            if p.stuck { "STUCK  " } else { "waiting" },
                            a.id,
                            p.kind,
                            p.submission_id,
                            p.attempts,
                            p.created_at.to_rfc3339(),
                            p.next_attempt_at.to_rfc3339(),
                            p.last_error.unwrap_or_default()
                        );
                    }
                }
                Ok(())
            })
        }
        Command::SpidRegistry { config, url, out } => {
            let settings = Settings::load(config.as_deref())?;
            let url = url.unwrap_or(settings.spid.registry_url.clone());
            let out = out
                .or(settings.spid.registry_file.clone())
                .ok_or("spid.registry_file or --out is needed")?;
            let cert = settings
                .spid
                .registry_cert
                .clone()
                .ok_or("spid.registry_cert is needed")?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let count = runtime.block_on(crate::registry::refresh(&url, &cert, &out))?;
            println!(
                "{count} identity providers verified and written to {}",
                out.display()
            );
            Ok(())
        }
        Command::Keygen {
            entity_id,
            organization,
            ipa_code,
            locality,
            days,
            key_out,
            cert_out,
        } => {
            if key_out.exists() || cert_out.exists() {
                return Err(format!(
                    "{} or {} already exists: not overwritten",
                    key_out.display(),
                    cert_out.display()
                )
                .into());
            }
            let key = generate(&CertificateRequest {
                entity_id,
                organization,
                ipa_code,
                locality,
                days,
            })?;
            crate::keys::write_secret_file(&key_out, &key.key_pem()?)?;
            std::fs::write(&cert_out, key.cert_pem()?)?;
            println!("wrote {} and {}", key_out.display(), cert_out.display());
            Ok(())
        }
    }
}
