//! The mode checks and the private creation of files and directories.

#![allow(clippy::unwrap_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::*;

fn with_mode(path: &Path, mode: u32) {
    std::fs::write(path, "secret\n").unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn owner_only_files_pass() {
    let dir = tempfile::tempdir().unwrap();
    for m in [0o600, 0o400, 0o700] {
        let f = dir.path().join(format!("k{m:o}"));
        with_mode(&f, m);
        check_private(&f, "spid.key_file").unwrap();
    }
}

#[test]
fn a_file_others_or_the_group_can_read_or_write_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sp-key.pem");
    with_mode(&f, 0o644);
    let err = check_private(&f, "spid.key_file").unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "configuration: spid.key_file: Permessi troppo aperti su {} (0644): deve essere \
             leggibile solo dall'utente del server (chmod 600)",
            f.display()
        )
    );
    for m in [0o640, 0o620, 0o604, 0o602, 0o666, 0o610] {
        with_mode(&f, m);
        let err = check_private(&f, "x").unwrap_err().to_string();
        assert!(err.contains(&format!("({m:04o})")), "{m:o}: {err}");
    }
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("none.pem");
    let err = check_private(&f, "administration.seal_key_file")
        .unwrap_err()
        .to_string();
    assert!(err.contains("administration.seal_key_file"), "{err}");
    assert!(err.contains(&f.display().to_string()), "{err}");
}

#[test]
fn every_key_and_file_secret_of_the_settings_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let open = dir.path().join("open");
    let closed = dir.path().join("closed");
    with_mode(&open, 0o644);
    with_mode(&closed, 0o600);
    let email = |password: String| crate::config::EmailSettings {
        smtp_host: "127.0.0.1".into(),
        smtp_port: 465,
        security: Default::default(),
        username: "u".into(),
        password,
        from: "a@example.it".into(),
        ca_file: None,
        timeout_seconds: 5,
    };
    let mut s = Settings::default();
    check_settings(&s).unwrap();
    s.notifications.email = Some(email("plain password".into()));
    check_settings(&s).unwrap();
    s.notifications.email = Some(email(format!("file:{}", closed.display())));
    check_settings(&s).unwrap();
    s.notifications.email = Some(email(format!("file:{}", open.display())));
    let err = check_settings(&s).unwrap_err().to_string();
    assert!(err.contains("notifications.email.password"), "{err}");
    assert!(err.contains(&open.display().to_string()), "{err}");
    s.notifications.email = None;
    s.database.url_file = Some(open.clone());
    let err = check_settings(&s).unwrap_err().to_string();
    assert!(
        err.contains("database.url_file: Permessi troppo aperti"),
        "{err}"
    );
    s.database.url_file = Some(closed.clone());
    s.administration.seal_key_file = Some(open.clone());
    let err = check_settings(&s).unwrap_err().to_string();
    assert!(err.contains("administration.seal_key_file"), "{err}");
}

#[test]
fn the_database_url_file_is_checked_where_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("url");
    with_mode(&f, 0o640);
    let mut s = Settings::default();
    s.database.url_file = Some(f.clone());
    let err = s.database_url().unwrap_err().to_string();
    assert!(err.contains("(0640)"), "{err}");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(s.database_url().unwrap(), "secret");
}

#[test]
fn a_file_secret_is_checked_where_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("password");
    with_mode(&f, 0o644);
    let value = format!("file:{}", f.display());
    let err = crate::secret(&value).unwrap_err().to_string();
    assert!(err.contains("Permessi troppo aperti"), "{err}");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(crate::secret(&value).unwrap(), "secret");
}

#[tokio::test]
async fn what_the_server_creates_is_private_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("data").join("allegati").join("tmp");
    create_private_dir(&nested).unwrap();
    for d in [
        dir.path().join("data"),
        dir.path().join("data/allegati"),
        nested.clone(),
    ] {
        assert_eq!(mode(&d), 0o700, "{}", d.display());
    }
    assert!(!is_open_dir(&nested));
    let f = nested.join("att-1");
    drop(create_private_file(&f).await.unwrap());
    assert_eq!(mode(&f), 0o600);
    assert!(create_private_file(&f).await.is_err(), "never overwritten");
    let db = dir.path().join("data/istanze.db");
    create_private_file_if_missing(&db).unwrap();
    assert_eq!(mode(&db), 0o600);
    std::fs::write(&db, "kept").unwrap();
    create_private_file_if_missing(&db).unwrap();
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "kept");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(is_open_dir(dir.path()));
}
