//! Links and redirects built from request data stay on this site: the language switch on an
//! odd path, and the `next` page after login.

use std::io::{Read, Write};

use istanze_tests::{header, hidden, unescape, TestApp};
use reqwest::StatusCode;

/// The `href` of the link to the English page.
fn english_link(html: &str) -> String {
    let html = unescape(html);
    let end = html
        .find(r#"" lang="en" hreflang="en""#)
        .unwrap_or_else(|| panic!("no link to English in {html}"));
    let start = html[..end].rfind("href=\"").expect("href") + "href=\"".len();
    html[start..end].to_owned()
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn the_language_switch_on_a_path_to_another_site_links_to_the_home_page() {
    let app = TestApp::spawn().await;
    let c = app.client();
    // An ordinary page keeps its path and query in the link.
    let r = c.get(app.at("/servizi/nessuno?x=1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        english_link(&r.text().await.unwrap()),
        "/servizi/nessuno?x=1&lang=en"
    );
    for path in [
        "//evil.example/x",
        "//evil.example/x?y=1",
        "/%2F%2Fevil.example/x",
        "/%2f/evil.example",
        "/%5Cevil.example",
        "/%5c%5cevil.example/x",
        "/%252F%252Fevil.example",
        "/servizi/%0D%0ALocation:%20https:%2F%2Fevil.example",
    ] {
        let r = c.get(format!("{}{path}", app.url)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        let page = r.text().await.unwrap();
        assert_eq!(english_link(&page), "/?lang=en", "{path}");
        assert!(!unescape(&page).contains("evil.example"), "{path}");
    }
}

/// Sends a raw request line (a client library would turn `\` into `/` first) and returns the
/// status line and the body.
fn raw_get(addr: &str, target: &str) -> (String, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    s.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn the_language_switch_on_a_backslash_path_links_to_the_home_page() {
    let app = TestApp::spawn().await;
    let addr = app.url.trim_start_matches("http://").to_owned();
    for target in ["/\\evil.example", "/\\\\evil.example/x", "/\\/evil.example"] {
        let (status, body) = {
            let addr = addr.clone();
            let target = target.to_owned();
            tokio::task::spawn_blocking(move || raw_get(&addr, &target))
                .await
                .unwrap()
        };
        assert_eq!(status, "HTTP/1.1 404 Not Found", "{target}");
        assert_eq!(english_link(&body), "/?lang=en", "{target}");
    }
}

/// Logs in through the demo IdP with `raw_next` as the raw value of the `next` parameter and
/// returns where the ACS sends the browser.
async fn after_login(app: &TestApp, raw_next: &str) -> String {
    let c = app.client();
    let idp = enc(&format!("{}/demo-idp", app.url));
    let r = c
        .get(format!("{}/spid/login?idp={idp}&next={raw_next}", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let page = c
        .get(header(&r, "location"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let answer = c
        .post(app.at("/demo-idp/sso"))
        .form(&[
            ("SAMLRequest", hidden(&page, "SAMLRequest").as_str()),
            ("RelayState", &hidden(&page, "RelayState")),
            ("user", "RSSMRA85T10A562S"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let acs = app
        .post_acs(&c, &hidden(&answer, "SAMLResponse"), "x")
        .await;
    assert_eq!(acs.status(), StatusCode::SEE_OTHER, "login accepted");
    header(&acs, "location")
}

#[tokio::test]
async fn a_next_page_on_another_site_becomes_the_home_page() {
    let app = TestApp::spawn().await;
    assert_eq!(
        after_login(&app, &enc("/servizi/patrocinio")).await,
        "/servizi/patrocinio",
        "a local page is kept"
    );
    for raw in [
        enc("//evil.example"),
        enc("/\\evil.example"),
        enc("https://evil.example"),
        // On the wire as given: decoded, `///evil.example`.
        "/%2F%2Fevil.example".to_owned(),
        // Decoded, the literal `/%2F%2Fevil.example`, which a proxy may decode once more.
        enc("/%2F%2Fevil.example"),
        enc("/%5Cevil.example"),
        enc("/%09/evil.example"),
    ] {
        assert_eq!(after_login(&app, &raw).await, "/", "next={raw}");
    }
}

#[tokio::test]
async fn the_login_page_passes_on_only_a_local_next_page() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let page = app
        .page(&c, "/accedi?next=%2Fservizi%2Fpatrocinio&level=2")
        .await;
    assert!(
        page.contains("next=%2Fservizi%2Fpatrocinio&level=2"),
        "{page}"
    );
    for raw in [
        enc("//evil.example"),
        enc("/%2F%2Fevil.example"),
        enc("/%5Cevil.example"),
    ] {
        let page = app.page(&c, &format!("/accedi?next={raw}&level=2")).await;
        let logins = page.matches("/spid/login?").count();
        assert!(logins > 0, "{page}");
        assert_eq!(
            page.matches("next=%2F&level=2").count(),
            logins,
            "every IdP link goes back to the home page: next={raw}: {page}"
        );
    }
}
