//! `istanze forms check|import|export`: form definitions kept in git, checked as the server
//! checks them at start, stored as versions of an administration's forms, written back out.

use std::path::PathBuf;

use clap::Subcommand;

use crate::config::Settings;

#[derive(Subcommand)]
pub enum FormsAction {
    /// Load and check every `*.json` of a folder as the server would at start: one line per
    /// form (id, version id, title); a broken one is named with the JSON pointer of the fault.
    Check { dir: PathBuf },
    /// Store the forms of a folder as versions of an administration's forms (an unchanged
    /// form stores nothing): one line per form, `new` or `unchanged`.
    Import {
        #[arg(long)]
        config: Option<PathBuf>,
        /// The administration (IPA code); the installation's own by default.
        #[arg(long)]
        ente: Option<String>,
        /// Defaults to the administration's `forms.dir`.
        dir: Option<PathBuf>,
    },
    /// Write the latest stored version of each of an administration's forms to a folder, as
    /// it was written.
    Export {
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        ente: Option<String>,
        out: PathBuf,
    },
}

/// Runs a `forms` command.
pub fn run(action: FormsAction) -> Result<(), Box<dyn std::error::Error>> {
    let line = |f: &istanze_forms::Form| format!("{}\t{}\t{}", f.id, f.version_id(), f.title);
    let (config, ente, dir, export) = match action {
        FormsAction::Check { dir } => {
            for form in istanze_forms::load_dir(&dir)?.iter() {
                println!("{}", line(form));
            }
            return Ok(());
        }
        FormsAction::Import { config, ente, dir } => (config, ente, dir, None),
        FormsAction::Export { config, ente, out } => (config, ente, None, Some(out)),
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
        if let Some(out) = export {
            for v in crate::form_store::export(&db, &out).await? {
                println!(
                    "{}\t{}\t{}",
                    v.form_id,
                    v.version_id,
                    out.join(format!("{}.json", v.form_id)).display()
                );
            }
            return Ok(());
        }
        let dir = dir.unwrap_or(settings.forms.dir.clone());
        let catalog = istanze_forms::load_dir(&dir)?;
        let source = dir.display().to_string();
        for i in
            crate::form_store::import(&db, admin.as_str(), &catalog, &source, chrono::Utc::now())
                .await?
        {
            println!(
                "{}\t{}\t{}",
                i.form_id,
                i.version_id,
                if i.new { "new" } else { "unchanged" }
            );
        }
        Ok(())
    })
}
