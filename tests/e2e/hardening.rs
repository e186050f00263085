//! Hardening of the web layer: links and redirects that stay on the site, `__Host-` cookies,
//! HSTS and an absolute session lifetime outside demo, the demo's refusal of proxied requests,
//! client addresses behind trusted proxies, per-client rate limits.
//!
//! A server outside demo mode is built here ([`Production`]): an https public URL served over
//! plain http on loopback (as behind a TLS-terminating proxy), real key files, and an identity
//! provider that the test itself plays, signing with the demo IdP's code and key.

mod cookies;
mod limits;
mod links;

use std::path::Path;
use std::time::Duration;

use istanze_auth::demo_idp::{DemoIdp, ResponseIds};
use istanze_auth::keys::SigningKey;
use istanze_server::config::Settings;
use istanze_server::Application;
use istanze_tests::{header, test_settings, Server};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};

/// The public URL of the production-mode server (what the SP metadata and the IdP see).
pub const PUBLIC_URL: &str = "https://istanze.test";
/// The entity id of the IdP the tests play.
pub const IDP: &str = "https://idp.test";

/// A running server outside demo mode.
pub struct Production {
    pub server: Server,
    pub idp: DemoIdp,
    sp_cert_der: Vec<u8>,
    _dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Production {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::ops::Deref for Production {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.server
    }
}

fn private(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

impl Production {
    /// Production settings (adjusted by `adjust`), built and running.
    pub async fn spawn(adjust: impl FnOnce(&mut Settings)) -> Production {
        let (mut s, dir) = test_settings().await;
        let d = dir.path();
        for name in ["sp-key.pem", "demo-idp-key.pem"] {
            private(&d.join(name));
        }
        let key = SigningKey::from_files(&d.join("demo-idp-key.pem"), &d.join("demo-idp-cert.pem"))
            .unwrap();
        let idp =
            DemoIdp::new(IDP.into(), format!("{IDP}/sso"), key).with_slo(format!("{IDP}/slo"));
        std::fs::write(d.join("idp.xml"), idp.metadata().unwrap()).unwrap();
        s.server.demo = false;
        s.server.public_url = Some(PUBLIC_URL.into());
        s.spid.key_file = Some(d.join("sp-key.pem"));
        s.spid.cert_file = Some(d.join("sp-cert.pem"));
        s.spid.test_idp_metadata = vec![d.join("idp.xml")];
        adjust(&mut s);
        let sp_cert_der =
            openssl::x509::X509::from_pem(&std::fs::read(d.join("sp-cert.pem")).unwrap())
                .unwrap()
                .to_der()
                .unwrap();
        let app = Application::build(s)
            .await
            .expect("a production server builds");
        let url = format!("http://127.0.0.1:{}", app.port());
        let task = tokio::spawn(app.run_until_stopped());
        Production {
            server: Server { url },
            idp,
            sp_cert_der,
            _dir: dir,
            task,
        }
    }

    /// Starts a login for `next` and returns the login cookie and the IdP's signed answer for
    /// Mario Rossi.
    pub async fn idp_answer(
        &self,
        c: &Client,
        next: &str,
    ) -> (actix_web::cookie::Cookie<'static>, String) {
        let r = c
            .get(self.at("/spid/login"))
            .query(&[("idp", IDP), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FOUND);
        let login_cookie = set_cookie(&r, "__Host-istanze_login");
        let location = header(&r, "location");
        let query = location
            .strip_prefix(&format!("{IDP}/sso?"))
            .unwrap_or_else(|| panic!("to the IdP: {location}"));
        let request = self.idp.receive_redirect(query, &self.sp_cert_der).unwrap();
        let ids = ResponseIds {
            response_id: format!("_r{}", uuid::Uuid::new_v4().simple()),
            assertion_id: format!("_a{}", uuid::Uuid::new_v4().simple()),
            name_id: format!("_n{}", uuid::Uuid::new_v4().simple()),
        };
        let answer = self
            .idp
            .respond(
                &request,
                "RSSMRA85T10A562S",
                &format!("{PUBLIC_URL}/spid/acs"),
                &ids,
                chrono::Utc::now(),
            )
            .unwrap();
        (login_cookie, answer)
    }
}

/// A client without a cookie store: the tests send the cookies they mean, by hand (a cookie
/// store would not send `Secure` cookies over the loopback's plain http anyway).
pub fn bare_client() -> Client {
    Client::builder()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The `Set-Cookie` of `r` that sets `name`, parsed.
pub fn set_cookie(r: &reqwest::Response, name: &str) -> actix_web::cookie::Cookie<'static> {
    let all: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    all.iter()
        .filter_map(|v| actix_web::cookie::Cookie::parse(v.clone()).ok())
        .find(|c| c.name() == name)
        .unwrap_or_else(|| panic!("no cookie {name} in {all:?}"))
}

/// `name=value`, for a `Cookie` request header.
pub fn pair(c: &actix_web::cookie::Cookie<'_>) -> String {
    format!("{}={}", c.name(), c.value())
}
