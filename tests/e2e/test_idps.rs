//! Identity providers from outside AgID's registry are test IdPs: outside demo mode they are
//! trusted only when the configuration lists them as such (`spid.test_idp_metadata`), and then
//! every page, error pages included, says that test identity providers are active.

use std::path::{Path, PathBuf};

use istanze_auth::demo_idp::DemoIdp;
use istanze_auth::keys::SigningKey;
use istanze_server::config::Settings;
use istanze_server::Application;
use istanze_tests::{test_settings, unescape, TestApp};

const BANNER_IT: &str =
    "<strong>Ambiente di prova</strong>: sono attivi identity provider di test.</div>";
const BANNER_EN: &str =
    "<strong>Test environment</strong>: test identity providers are active.</div>";

/// Production settings trusting nothing but an IdP whose metadata is written to `idp.xml`
/// (listed by the caller).
async fn production() -> (Settings, tempfile::TempDir, PathBuf) {
    let (mut s, dir) = test_settings().await;
    let d = dir.path();
    let key =
        SigningKey::from_files(&d.join("demo-idp-key.pem"), &d.join("demo-idp-cert.pem")).unwrap();
    let idp = DemoIdp::new(
        "https://idp.test".into(),
        "https://idp.test/sso".into(),
        key,
    );
    let metadata = d.join("idp.xml");
    std::fs::write(&metadata, idp.metadata().unwrap()).unwrap();
    s.server.demo = false;
    s.server.public_url = Some("https://istanze.test".into());
    s.spid.key_file = Some(d.join("sp-key.pem"));
    s.spid.cert_file = Some(d.join("sp-cert.pem"));
    (s, dir, metadata)
}

async fn page(url: &str) -> String {
    let r = reqwest::get(url).await.unwrap();
    unescape(&r.text().await.unwrap())
}

async fn running(s: Settings) -> (String, tokio::task::JoinHandle<std::io::Result<()>>) {
    let app = Application::build(s).await.expect("the server builds");
    let url = format!("http://127.0.0.1:{}", app.port());
    (url, tokio::spawn(app.run_until_stopped()))
}

#[tokio::test]
async fn extra_idp_metadata_not_marked_as_test_stops_a_production_start() {
    let (mut s, _dir, metadata) = production().await;
    s.spid.idp_metadata = vec![metadata.clone()];
    let err = Application::build(s).await.unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "configuration: spid.idp_metadata lists {}: outside demo mode identity providers \
             come from AgID's registry",
            metadata.display()
        )),
        "{err}"
    );
    assert!(err.contains("spid.test_idp_metadata"), "{err}");
}

#[tokio::test]
async fn test_idps_marked_as_such_are_trusted_and_every_page_says_so() {
    let (mut s, _dir, metadata) = production().await;
    s.spid.test_idp_metadata = vec![metadata];
    let (url, task) = running(s).await;
    let home = page(&url).await;
    assert_eq!(home.matches(BANNER_IT).count(), 1, "{home}");
    assert!(!home.contains("Ambiente dimostrativo"), "not a demo");
    let login = page(&format!("{url}/accedi?next=/servizi/patrocinio&level=2")).await;
    assert!(login.contains(BANNER_IT));
    assert!(
        login.contains("idp=https%3A%2F%2Fidp.test"),
        "the test IdP is offered"
    );
    let missing = page(&format!("{url}/non-esiste")).await;
    assert!(missing.contains(BANNER_IT), "error pages too: {missing}");
    assert!(page(&format!("{url}/?lang=en")).await.contains(BANNER_EN));
    task.abort();
}

#[tokio::test]
async fn a_server_without_test_idps_shows_no_such_banner() {
    let (mut s, _dir, _metadata) = production().await;
    s.spid.registry_file = Some(config_idp("spid-registry.xml"));
    s.spid.registry_cert = Some(config_idp("agid-registry-signing.pem"));
    let (url, task) = running(s).await;
    assert!(!page(&url).await.contains("Ambiente di prova"));
    task.abort();
    let demo = TestApp::spawn().await;
    let home = page(&demo.url).await;
    assert!(home.contains("Ambiente dimostrativo") && !home.contains("Ambiente di prova"));
}

#[tokio::test]
async fn the_demo_still_takes_extra_metadata_and_calls_it_test() {
    let (mut s, dir, metadata) = production().await;
    s.server.demo = true;
    s.server.public_url = None;
    s.spid.key_file = None;
    s.spid.cert_file = None;
    s.spid.idp_metadata = vec![metadata];
    let app = TestApp::spawn_with(s, dir).await;
    let home = page(&app.url).await;
    assert!(home.contains("Ambiente dimostrativo"));
    assert!(home.contains(BANNER_IT));
}

fn config_idp(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../config/idp")
        .join(name)
}
