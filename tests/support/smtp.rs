//! A real SMTP server on loopback for the tests: `tests/tools/smtp_sink.py` (aiosmtpd) with a
//! certificate made for 127.0.0.1, AUTH required, optional temporary failures. Messages land
//! in a directory; the server stops when the sink is dropped (its standard input closes).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509NameBuilder, X509};

pub const USER: &str = "istanze@pec.provincia.example.it";
pub const PASSWORD: &str = "password-pec-di-prova";

/// How the sink is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Implicit,
    Starttls,
}

/// The running SMTP server.
#[derive(Debug)]
pub struct SmtpSink {
    pub port: u16,
    /// The server certificate (PEM), to be trusted by the client.
    pub cert_file: PathBuf,
    pub dir: tempfile::TempDir,
    child: Child,
    _stdin: ChildStdin,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The test tools' Python (scripts/test-tools.sh): aiosmtpd, openapi-spec-validator.
pub fn python() -> PathBuf {
    std::env::var_os("ISTANZE_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-tools/venv/bin/python")
        })
}

fn certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "127.0.0.1").unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    let san = SubjectAlternativeName::new()
        .ip("127.0.0.1")
        .dns("localhost")
        .build(&b.x509v3_context(None, None))
        .unwrap();
    b.append_extension(san).unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    let cert = dir.join("smtp-cert.pem");
    let key_file = dir.join("smtp-key.pem");
    std::fs::write(&cert, b.build().to_pem().unwrap()).unwrap();
    std::fs::write(&key_file, key.private_key_to_pem_pkcs8().unwrap()).unwrap();
    (cert, key_file)
}

impl SmtpSink {
    /// Starts the server; the first `tempfail` messages get a 451 answer.
    pub fn start(security: Security, tempfail: usize) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let (cert_file, key_file) = certificate(dir.path());
        let messages = dir.path().join("messages");
        std::fs::create_dir(&messages).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/smtp_sink.py");
        let python = python();
        assert!(
            python.exists(),
            "{} is missing: run ./scripts/test.sh (it installs the test tools)",
            python.display()
        );
        let mut child = Command::new(python)
            .arg(script)
            .args(["--cert", cert_file.to_str().unwrap()])
            .args(["--key", key_file.to_str().unwrap()])
            .args(["--dir", messages.to_str().unwrap()])
            .args(["--user", USER, "--password", PASSWORD])
            .args([
                "--mode",
                match security {
                    Security::Implicit => "implicit",
                    Security::Starttls => "starttls",
                },
            ])
            .args(["--tempfail", &tempfail.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("SMTP sink did not start: {line:?}"))
            .parse()
            .unwrap();
        SmtpSink {
            port,
            cert_file,
            dir,
            child,
            _stdin: stdin,
        }
    }

    /// The accepted messages, in order, with their envelope (JSON).
    pub fn messages(&self) -> Vec<(Vec<u8>, serde_json::Value)> {
        let dir = self.dir.path().join("messages");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| {
                let meta = std::fs::read_to_string(p.with_extension("json")).unwrap();
                (
                    std::fs::read(&p).unwrap(),
                    serde_json::from_str(&meta).unwrap(),
                )
            })
            .collect()
    }

    /// Waits until `n` messages were accepted (or panics after a while).
    pub async fn wait_for(&self, n: usize) -> Vec<(Vec<u8>, serde_json::Value)> {
        for _ in 0..600 {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{n} messages never arrived");
    }
}

impl SmtpSink {
    /// Settings for the platform's confirmation e-mails through this server.
    pub fn email_settings(&self) -> istanze_server::config::EmailSettings {
        istanze_server::config::EmailSettings {
            smtp_host: "127.0.0.1".into(),
            smtp_port: self.port,
            security: istanze_protocol::pec::SmtpSecurity::Implicit,
            username: USER.into(),
            password: PASSWORD.into(),
            from: "Provincia di Prova <noreply@provincia.example.it>".into(),
            ca_file: Some(self.cert_file.display().to_string()),
            timeout_seconds: 10,
        }
    }
}
