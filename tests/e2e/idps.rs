//! The identity providers a citizen can choose: the SPID registry (signature verified), CIE,
//! eIDAS; and the registry refresh that never keeps an unverified download.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use istanze_tests::{test_settings, unescape, TestApp};

fn config_idp(name: &str) -> PathBuf {
    istanze_tests::forms_dir().join("../config/idp").join(name)
}

#[tokio::test]
async fn the_login_page_offers_every_registry_idp_cie_and_eidas() {
    let (mut settings, dir) = test_settings().await;
    settings.spid.registry_file = Some(config_idp("spid-registry.xml"));
    settings.spid.registry_cert = Some(config_idp("agid-registry-signing.pem"));
    settings.spid.cie_metadata = Some(config_idp("cie-production.xml"));
    settings.spid.eidas_metadata = Some(config_idp("eidas-ficep.xml"));
    let app = TestApp::spawn_with(settings, dir).await;
    let page = unescape(
        &app.client()
            .get(app.at("/accedi?next=/servizi/patrocinio&level=2"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(page.contains("Entra con SPID"));
    assert_eq!(
        page.matches("class=\"spid-idp\"").count(),
        11,
        "10 registry IdPs and the demo IdP"
    );
    for name in [
        "Poste",
        "Aruba",
        "InfoCert",
        "Lepida",
        "Namirial",
        "Sielte",
        "TIM",
        "Register",
        "Intesa",
        "TeamSystem",
    ] {
        assert!(
            page.to_lowercase().contains(&name.to_lowercase()),
            "{name} missing"
        );
    }
    assert!(page.contains("Entra con CIE"));
    assert!(page.contains(
        "idp=https%3A%2F%2Fidserver.servizicie.interno.gov.it%2Fidp%2Fprofile%2FSAML2%2FPOST%2FSSO"
    ));
    assert!(page.contains("Login with eIDAS"));
    // A registry IdP gets a real signed AuthnRequest at its SSO endpoint.
    let r = app
        .client()
        .get(app.at("/spid/login"))
        .query(&[("idp", "https://posteid.poste.it")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let location = istanze_tests::header(&r, "location");
    assert!(
        location.starts_with("https://posteid.poste.it/jod-fs/ssoserviceredirect?SAMLRequest="),
        "{location}"
    );
}

#[tokio::test]
async fn a_registry_that_does_not_verify_stops_the_start() {
    let (mut settings, _dir) = test_settings().await;
    let bad = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(config_idp("spid-registry.xml")).unwrap();
    std::fs::write(
        bad.path().join("r.xml"),
        text.replacen(
            "posteid.poste.it/jod-fs/ssoserviceredirect",
            "evil.example/sso",
            1,
        ),
    )
    .unwrap();
    settings.spid.registry_file = Some(bad.path().join("r.xml"));
    settings.spid.registry_cert = Some(config_idp("agid-registry-signing.pem"));
    let err = istanze_server::Application::build(settings)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("signature"), "{err}");
}

/// Serves `body` to one HTTP request on loopback.
fn serve_once(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(body.as_bytes());
        }
    });
    format!("http://{addr}/entities-idp")
}

#[tokio::test]
async fn the_registry_refresh_verifies_before_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("spid-registry.xml");
    std::fs::write(&out, "old").unwrap();
    let cert = config_idp("agid-registry-signing.pem");
    let genuine = std::fs::read_to_string(config_idp("spid-registry.xml")).unwrap();
    let forged = genuine.replacen(
        "posteid.poste.it/jod-fs/ssoserviceredirect",
        "evil.example/sso",
        1,
    );
    let err = istanze_server::registry::refresh(&serve_once(forged), &cert, &out)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("signature"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "old",
        "a forged download changes nothing"
    );
    let count = istanze_server::registry::refresh(&serve_once(genuine.clone()), &cert, &out)
        .await
        .unwrap();
    assert_eq!(count, 10);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), genuine);
}

#[tokio::test]
async fn a_form_asking_for_an_unknown_spid_attribute_stops_the_start() {
    let (mut settings, _dir) = test_settings().await;
    let forms = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(istanze_tests::forms_dir().join("concorso.json")).unwrap();
    let mut form: serde_json::Value = serde_json::from_str(&text).unwrap();
    form["spid_attributes"]
        .as_array_mut()
        .unwrap()
        .push("shoeSize".into());
    std::fs::write(forms.path().join("concorso.json"), form.to_string()).unwrap();
    settings.forms.dir = forms.path().to_path_buf();
    let err = istanze_server::Application::build(settings)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("concorso") && err.contains("shoeSize"),
        "{err}"
    );
}
