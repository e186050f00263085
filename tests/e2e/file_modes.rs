//! Files the server keeps to itself: the data directory, the SQLite database (with its `-wal`
//! and `-shm`), uploads and their temporary files, the demo's generated keys are for the
//! server's user only (0700 / 0600); a key or secret file that others can read stops the start
//! with a message naming it. Checked on the binary (with its umask) and in process (where the
//! umask is the test runner's, so only the explicit modes hold).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use istanze_server::config::AttachmentStorage;
use istanze_tests::{patrocinio, small_pdf, test_settings, write_private, Server, TestApp};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn assert_private(dirs: &[PathBuf], files: &[PathBuf]) {
    for d in dirs {
        assert_eq!(mode(d), 0o700, "{} is 0700", d.display());
    }
    for f in files {
        assert_eq!(mode(f), 0o600, "{} is 0600", f.display());
    }
}

/// Uploads a file with an application through the API; returns the stored file's path.
async fn submit_with_file(server: &Server, storage_dir: &Path) -> PathBuf {
    let c = server.client();
    server.login(&c, "RSSMRA85T10A562S", 2).await;
    let form = Form::new()
        .percent_encode_noop()
        .text("data", patrocinio().to_string())
        .part(
            "/evento/programma",
            Part::bytes(small_pdf("Programma")).file_name("programma.pdf"),
        );
    let r = c
        .post(server.at("/api/v1/forms/patrocinio/submissions"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let stored: Vec<PathBuf> = std::fs::read_dir(storage_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("att-"))
        })
        .collect();
    assert_eq!(stored.len(), 1, "one stored file");
    stored[0].clone()
}

#[tokio::test]
async fn a_demo_start_keeps_data_database_uploads_and_keys_private() {
    let (mut s, dir) = test_settings().await;
    let data = dir.path().join("data");
    s.server.data_dir = data.clone();
    // Always SQLite here: its files are the point.
    s.database.url = None;
    s.attachments.storage = AttachmentStorage::Directory;
    let app = TestApp::spawn_with(s, dir).await;
    let allegati = data.join("allegati");
    let stored = submit_with_file(&app, &allegati).await;
    assert_private(
        &[data.clone(), allegati.clone(), allegati.join("tmp")],
        &[
            data.join("istanze.db"),
            data.join("istanze.db-wal"),
            data.join("istanze.db-shm"),
            data.join("sp-key.pem"),
            data.join("demo-idp-key.pem"),
            stored,
        ],
    );
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(config: &Path) -> Process {
    Process(
        Command::new(env!("CARGO_BIN_EXE_istanze-test-server"))
            .args(["serve", "--config"])
            .arg(config)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    )
}

fn demo_config(dir: &Path, port: u16, data: &Path, extra: &str) -> PathBuf {
    let path = dir.join("istanze.toml");
    let toml = format!(
        "[server]\nbind = \"127.0.0.1:{port}\"\ndemo = true\ndata_dir = {data:?}\n\n\
         [forms]\ndir = {forms:?}\n\n[attachments]\nstorage = \"directory\"\n\n{extra}",
        data = data.display().to_string(),
        forms = istanze_tests::forms_dir().display().to_string(),
    );
    std::fs::write(&path, toml).unwrap();
    path
}

#[tokio::test]
async fn the_server_process_creates_everything_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let _process = serve(&demo_config(dir.path(), port, &data, ""));
    let server = Server {
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !client
        .get(server.at("/healthz"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            Instant::now() < deadline,
            "the server did not start in 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let allegati = data.join("allegati");
    let stored = submit_with_file(&server, &allegati).await;
    assert_private(
        &[data.clone(), allegati.clone(), allegati.join("tmp")],
        &[
            data.join("istanze.db"),
            data.join("istanze.db-wal"),
            data.join("istanze.db-shm"),
            data.join("sp-key.pem"),
            data.join("sp-cert.pem"),
            data.join("demo-idp-key.pem"),
            stored,
        ],
    );
}

/// Waits (at most 60 s) for the process to stop; its exit status and what it wrote to stderr.
fn exit_of(mut process: Process) -> (bool, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = process.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server should have stopped at start"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    use std::io::Read;
    process
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.success(), stderr)
}

#[tokio::test]
async fn a_key_file_others_can_read_stops_the_start_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = istanze_auth::keys::generate(&istanze_auth::keys::CertificateRequest {
        entity_id: "http://127.0.0.1/sp".into(),
        organization: "Provincia di Prova".into(),
        ipa_code: "p_pr".into(),
        locality: "Roma".into(),
        days: 30,
    })
    .unwrap();
    let key_file = dir.path().join("sp-key.pem");
    let cert_file = dir.path().join("sp-cert.pem");
    std::fs::write(&key_file, key.key_pem().unwrap()).unwrap();
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&cert_file, key.cert_pem().unwrap()).unwrap();
    let spid = format!(
        "[spid]\nkey_file = {key:?}\ncert_file = {cert:?}\n",
        key = key_file.display().to_string(),
        cert = cert_file.display().to_string(),
    );
    let config = demo_config(dir.path(), free_port(), &dir.path().join("data"), &spid);
    let (ok, stderr) = exit_of(serve(&config));
    assert!(!ok, "the start fails");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "istanze: configuration: spid.key_file: Permessi troppo aperti su {} (0644): deve \
             essere leggibile solo dall'utente del server (chmod 600)",
            key_file.display()
        )
    );
    // The same key, made private, is accepted.
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (mut s, tmp) = test_settings().await;
    s.spid.key_file = Some(key_file);
    s.spid.cert_file = Some(cert_file);
    istanze_server::Application::build(s).await.unwrap();
    drop(tmp);
}

#[tokio::test]
async fn a_secret_read_only_later_stops_the_start_too() {
    let (mut s, dir) = test_settings().await;
    let password = dir.path().join("smtp-password");
    write_private(&password, b"segreto\n");
    std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o640)).unwrap();
    s.notifications.email = Some(istanze_server::config::EmailSettings {
        smtp_host: "127.0.0.1".into(),
        smtp_port: 465,
        security: istanze_protocol::pec::SmtpSecurity::Implicit,
        username: "istanze".into(),
        password: format!("file:{}", password.display()),
        from: "Provincia di Prova <noreply@provincia.example.it>".into(),
        ca_file: None,
        timeout_seconds: 10,
    });
    let err = istanze_server::Application::build(s)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "configuration: notifications.email.password: Permessi troppo aperti su {} (0640): \
             deve essere leggibile solo dall'utente del server (chmod 600)",
            password.display()
        )
    );
}
