//! Who the client is and how often it may ask: the demo refuses proxied requests; outside
//! demo the anonymous SAML endpoints are rate limited per client address, the address read
//! from a trusted proxy's header.

use istanze_server::config::Limit;
use istanze_tests::{header, test_settings, TestApp};
use reqwest::StatusCode;

use super::{bare_client, Production};

const PROXY_REFUSAL: &str =
    "Modalità dimostrativa: accesso consentito solo dalla macchina locale, non attraverso un proxy";

#[tokio::test]
async fn demo_refuses_requests_that_come_through_a_proxy() {
    let app = TestApp::spawn().await;
    let c = bare_client();
    let direct = c.get(app.at("/")).send().await.unwrap();
    assert_eq!(direct.status(), StatusCode::OK);
    for (name, value) in [
        ("X-Forwarded-For", "203.0.113.5"),
        ("Forwarded", "for=203.0.113.5;proto=https"),
        ("X-Forwarded-For", "127.0.0.1"),
    ] {
        let r = c.get(app.at("/")).header(name, value).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{name}: {value}");
        let page = r.text().await.unwrap();
        assert!(page.contains(PROXY_REFUSAL), "{name}: {page}");
        assert!(page.contains("Accesso non consentito"), "{page}");
    }
    let api = c
        .get(app.at("/api/v1/forms"))
        .header("X-Forwarded-For", "203.0.113.5")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with(PROXY_REFUSAL),
        "{body}"
    );
}

#[tokio::test]
async fn demo_mode_with_trusted_proxies_does_not_start() {
    let (mut s, _dir) = test_settings().await;
    s.server.trusted_proxies = vec!["127.0.0.1".into()];
    let err = s.check().unwrap_err().to_string();
    assert!(
        err.contains("server.trusted_proxies must be empty"),
        "{err}"
    );
    let (mut s, _dir) = test_settings().await;
    s.server.demo = false;
    s.server.trusted_proxies = vec!["10.0.0.0/33".into()];
    let err = s.check().unwrap_err().to_string();
    assert!(err.contains("server.trusted_proxies"), "{err}");
}

async fn post_acs(
    c: &reqwest::Client,
    url: &str,
    forwarded_for: Option<&str>,
) -> reqwest::Response {
    let mut r = c
        .post(url)
        .form(&[("SAMLResponse", "x"), ("RelayState", "x")]);
    if let Some(xff) = forwarded_for {
        r = r.header("X-Forwarded-For", xff);
    }
    r.send().await.unwrap()
}

#[tokio::test]
async fn over_its_limit_a_client_gets_429_and_the_others_do_not() {
    let app = Production::spawn(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1".into()];
        s.rate_limit.enabled = Some(true);
        s.rate_limit.acs = Limit {
            per_minute: 1,
            burst: 3,
        };
    })
    .await;
    let c = bare_client();
    let acs = app.at("/spid/acs");
    // Garbage is refused by the ACS itself (400) as long as the client is within its limit.
    for n in 1..=3 {
        let r = post_acs(&c, &acs, Some("198.51.100.7")).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "post {n}");
    }
    let r = post_acs(&c, &acs, Some("198.51.100.7")).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = header(&r, "retry-after").parse().unwrap();
    assert!((1..=60).contains(&retry), "Retry-After: {retry}");
    let page = r.text().await.unwrap();
    assert!(page.contains("Troppe richieste"), "{page}");
    assert!(
        page.contains(&format!("Riprova tra {retry} secondi")),
        "{page}"
    );

    // The same endpoint spelt with percent-escapes is the same endpoint, within the same limit.
    for disguised in ["/spid/%61cs", "/spid/%61%63%73", "/%73pid/acs"] {
        let r = post_acs(&c, &app.at(disguised), Some("198.51.100.7")).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{disguised}");
    }
    // Addresses the client wrote itself, left of what our proxy saw, change nothing.
    let spoofed = post_acs(&c, &acs, Some("192.0.2.44, 198.51.100.7")).await;
    assert_eq!(spoofed.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy, and the proxy itself, have their own buckets.
    let other = post_acs(&c, &acs, Some("198.51.100.8")).await;
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    let proxy = post_acs(&c, &acs, None).await;
    assert_eq!(proxy.status(), StatusCode::BAD_REQUEST);
    // The limit is on the ACS, not on the rest of the site.
    let home = c
        .get(app.at("/"))
        .header("X-Forwarded-For", "198.51.100.7")
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_forwarding_header_of_an_untrusted_peer_is_ignored() {
    // No trusted proxy: every request from loopback is the same client, whatever it claims.
    let app = Production::spawn(|s| {
        s.rate_limit.acs = Limit {
            per_minute: 1,
            burst: 2,
        };
    })
    .await;
    let c = bare_client();
    let acs = app.at("/spid/acs");
    for xff in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(
            post_acs(&c, &acs, Some(xff)).await.status(),
            StatusCode::BAD_REQUEST
        );
    }
    let third = post_acs(&c, &acs, Some("198.51.100.3")).await;
    assert_eq!(
        third.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "on by default outside demo, and a new X-Forwarded-For is no new client"
    );
}

#[tokio::test]
async fn spid_and_cie_metadata_share_one_limit() {
    let app = Production::spawn(|s| {
        s.rate_limit.metadata = Limit {
            per_minute: 1,
            burst: 2,
        };
    })
    .await;
    let c = bare_client();
    for path in ["/spid/metadata", "/cie/metadata"] {
        assert_eq!(
            c.get(app.at(path)).send().await.unwrap().status(),
            StatusCode::OK,
            "{path}"
        );
    }
    let r = c.get(app.at("/spid/metadata")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!header(&r, "retry-after").is_empty());
}

#[tokio::test]
async fn in_demo_the_limits_are_off_unless_configured() {
    let app = TestApp::spawn().await;
    let c = bare_client();
    let acs = app.at("/spid/acs");
    // Twice the default burst of the ACS.
    for n in 1..=20 {
        let r = post_acs(&c, &acs, None).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "post {n}");
    }
    let (mut s, dir) = test_settings().await;
    s.rate_limit.enabled = Some(true);
    s.rate_limit.demo_idp = Limit {
        per_minute: 1,
        burst: 1,
    };
    let limited = TestApp::spawn_with(s, dir).await;
    let users = limited.at("/demo-idp/users");
    assert_eq!(c.get(&users).send().await.unwrap().status(), StatusCode::OK);
    let r = c.get(&users).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&r, "retry-after"), "60");
}
