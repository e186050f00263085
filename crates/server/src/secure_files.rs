//! Files the server keeps to itself. What it creates (the data directory, the SQLite database,
//! uploads and their temporary files, generated keys) is for its own user only: directories
//! 0700, files 0600. Key and secret files it is given must be so too, or the start stops
//! naming the file, as ssh refuses a private key that others can read: a key readable by
//! another account on the machine is a key that may already have been copied.
//!
//! The process umask is set to 0o077 at start ([`restrict_umask`]) so that files made by
//! libraries (SQLite's `-wal` and `-shm`, the daily register) follow; the explicit modes here
//! hold even where the umask is not ours (a server embedded in another process, the tests).

use std::path::Path;

use serde_json::Value;

use crate::config::{ConfigError, Settings};

/// The bits that must be clear on a key or secret file: any access by group or others.
const OPEN_BITS: u32 = 0o077;

/// Makes every file and directory the process creates from now on private to its user.
pub fn restrict_umask() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

/// Refuses the key or secret file `path` (named by the setting `what`) when group or others
/// may read, write or run it.
pub fn check_private(path: &Path, what: &str) -> Result<(), ConfigError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ConfigError::Invalid(format!("{what} {}: {e}", path.display())))?;
    let mode = permission_bits(&meta);
    if mode & OPEN_BITS != 0 {
        return Err(ConfigError::Invalid(format!(
            "{what}: Permessi troppo aperti su {} ({mode:04o}): deve essere leggibile solo \
             dall'utente del server (chmod 600)",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(unix)]
fn permission_bits(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn permission_bits(_meta: &std::fs::Metadata) -> u32 {
    0
}

/// Every key and secret file of the settings, checked at start: also those read only later
/// (the SMTP password at the first e-mail), so that a bad one stops the start rather than a
/// filing or a notification days after.
pub fn check_settings(settings: &Settings) -> Result<(), ConfigError> {
    let paths = [
        ("spid.key_file", settings.spid.key_file.as_deref()),
        (
            "administration.seal_key_file",
            settings.administration.seal_key_file.as_deref(),
        ),
        ("database.url_file", settings.database.url_file.as_deref()),
    ];
    for (what, path) in paths {
        if let Some(path) = path {
            check_private(path, what)?;
        }
    }
    let n = &settings.notifications;
    let p = &settings.protocol;
    let mut secrets: Vec<(&str, Value)> = vec![
        (
            "notifications.email.password",
            n.email.as_ref().map(|e| e.password.clone()).into(),
        ),
        (
            "notifications.app_io.api_key",
            n.app_io.as_ref().map(|a| a.api_key.clone()).into(),
        ),
        (
            "protocol.pec.password",
            p.pec.as_ref().map(|s| s.password.clone()).into(),
        ),
        (
            "protocol.docarea.password",
            p.docarea.as_ref().map(|s| s.password.clone()).into(),
        ),
    ];
    if let Some(rest) = &p.rest {
        let auth = serde_json::to_value(&rest.auth)
            .map_err(|e| ConfigError::Invalid(format!("protocol.rest.auth: {e}")))?;
        secrets.push(("protocol.rest.auth", auth));
    }
    for (what, value) in &secrets {
        check_secret_values(value, what)?;
    }
    Ok(())
}

/// Checks every `file:/path` string in `value`.
fn check_secret_values(value: &Value, what: &str) -> Result<(), ConfigError> {
    match value {
        Value::String(s) => match s.strip_prefix("file:") {
            Some(path) => check_private(Path::new(path), what),
            None => Ok(()),
        },
        Value::Object(o) => o.values().try_for_each(|v| check_secret_values(v, what)),
        Value::Array(a) => a.iter().try_for_each(|v| check_secret_values(v, what)),
        _ => Ok(()),
    }
}

/// Creates `dir` and its missing parents, mode 0700. An existing directory is left as it is.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates the new file `path` for writing, mode 0600 from the first byte.
pub async fn create_private_file(path: &Path) -> std::io::Result<tokio::fs::File> {
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path).await
}

/// Creates `path` empty, mode 0600, unless it exists: for the SQLite database, whose `-wal`
/// and `-shm` files SQLite then creates with the database file's own mode.
pub fn create_private_file_if_missing(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether group or others may enter or read the directory `dir` (said at start: an existing
/// data directory is not changed behind the operator's back).
pub fn is_open_dir(dir: &Path) -> bool {
    std::fs::metadata(dir).is_ok_and(|m| permission_bits(&m) & OPEN_BITS != 0)
}

#[cfg(all(test, unix))]
mod tests;
