//! The installation as SPID aggregator (soggetto aggregatore, Avviso SPID n.19 v4) of an
//! administration that chooses it: the administration's SP has an entity id under the
//! aggregator's, is signed with the aggregator's key, names both in its metadata, and logs
//! citizens in like any other.

use istanze_tests::{add_aggregated_municipality, header, test_settings, TestApp};
use reqwest::StatusCode;

async fn with_aggregated() -> TestApp {
    let (mut settings, dir) = test_settings().await;
    add_aggregated_municipality(&mut settings, dir.path());
    TestApp::spawn_with(settings, dir).await
}

fn certificate(metadata: &str) -> String {
    metadata
        .split("<ds:X509Certificate>")
        .last()
        .and_then(|rest| rest.split("</ds:X509Certificate>").next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_aggregated_metadata_names_the_aggregator_and_the_administration() {
    let app = with_aggregated().await;
    let c = app.client();
    let own = app.page(&c, "/enti/c_b998/spid/metadata").await;
    let entity = format!("{}/pub-ag-full/c_b998", app.url);
    assert!(own.contains(&format!(r#"entityID="{entity}""#)), "{own}");
    assert!(
        own.contains(&format!(r#"Location="{}/enti/c_b998/spid/acs""#, app.url)),
        "its endpoints stay under its base path"
    );
    let doc = roxmltree::Document::parse(&own).unwrap();
    const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
    const SPID: &str = "https://spid.gov.it/saml-extensions";
    let contacts: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((MD, "ContactPerson")))
        .collect();
    assert_eq!(contacts.len(), 2);
    let kind = |n: &roxmltree::Node| n.attribute((SPID, "entityType")).unwrap().to_owned();
    let text = |n: &roxmltree::Node, name: &str| {
        n.descendants()
            .find(|d| d.tag_name().name() == name)
            .and_then(|d| d.text())
            .map(str::to_owned)
    };
    let has =
        |n: &roxmltree::Node, name: &str| n.descendants().any(|d| d.has_tag_name((SPID, name)));
    let (aggregator, aggregated) = (&contacts[0], &contacts[1]);
    assert_eq!(kind(aggregator), "spid:aggregator");
    assert!(has(aggregator, "PublicServicesFullAggregator") && !has(aggregator, "Public"));
    assert_eq!(text(aggregator, "IPACode").as_deref(), Some("p_es"));
    assert_eq!(
        text(aggregator, "Company").as_deref(),
        Some("Provincia di Esempio")
    );
    assert_eq!(kind(aggregated), "spid:aggregated");
    assert!(has(aggregated, "Public") && !has(aggregated, "PublicServicesFullAggregator"));
    assert_eq!(text(aggregated, "IPACode").as_deref(), Some("c_b998"));
    let organization = doc
        .descendants()
        .find(|n| n.has_tag_name((MD, "OrganizationName")))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(organization, "Comune di Valle Esempio");
    assert_eq!(text(aggregated, "Company").as_deref(), Some(organization));
    // Signed with the aggregator's key: the installation's certificate.
    let root = app.page(&c, "/spid/metadata").await;
    assert_eq!(certificate(&own), certificate(&root));
}

#[tokio::test]
async fn a_citizen_logs_in_at_the_aggregated_administration_and_applies_there() {
    let app = with_aggregated().await;
    let municipality = app.ente("c_b998");
    let c = app.client();
    municipality.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = municipality.submit_patrocinio(&c).await;
    let filed = municipality.wait_for_protocol(&c, &id).await;
    assert_eq!(filed["protocol"]["number"], "0000001");
    assert_eq!(
        c.get(app.at(&format!("/api/v1/submissions/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED,
        "the aggregator's own administration has no session for this browser"
    );
    // Logout goes to the IdP and back to the aggregated SP's own SLO endpoint.
    let form = municipality.page(&c, "/domande").await;
    let out = c
        .post(municipality.at("/esci"))
        .form(&[("_csrf", istanze_tests::hidden(&form, "_csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::FOUND);
    let to_idp = header(&out, "location");
    assert!(
        to_idp.starts_with(&format!("{}/demo-idp/slo?", app.url)),
        "{to_idp}"
    );
    let back = c.get(&to_idp).send().await.unwrap();
    assert_eq!(back.status(), StatusCode::FOUND);
    let slo = header(&back, "location");
    assert!(
        slo.starts_with(&format!("{}/enti/c_b998/spid/slo?", app.url)),
        "{slo}"
    );
    // The aggregated SP takes the IdP's signed answer (its logout cookie is there).
    let done = c.get(&slo).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&done, "location"), "/enti/c_b998/");
}

#[tokio::test]
async fn an_aggregated_administration_with_keys_of_its_own_stops_the_start() {
    let (mut settings, dir) = test_settings().await;
    add_aggregated_municipality(&mut settings, dir.path());
    let file = dir.path().join("administrations/c_b998.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}key_file = \"/etc/k.pem\"\n")).unwrap();
    let err = istanze_server::Application::build(settings)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("c_b998.toml")
            && err.to_string().contains("signs with the aggregator's key"),
        "{err}"
    );
}
