//! The staff's area under `/ufficio`: nested behind its own guard, so that no page of it,
//! present or future, answers an anonymous visitor or a citizen.

use istanze_tests::TestApp;
use reqwest::StatusCode;

#[tokio::test]
async fn the_staff_area_refuses_anonymous_visitors_and_citizens_at_every_path() {
    let app = TestApp::spawn().await;
    let anonymous = app.client();
    let citizen = app.client();
    app.login(&citizen, "RSSMRA85T10A562S", 2).await;
    for path in [
        "/ufficio",
        "/ufficio/",
        "/ufficio/domande",
        "/ufficio/moduli/patrocinio",
    ] {
        for base in ["", "/enti/p_es"] {
            let url = app.at(&format!("{base}{path}"));
            let r = anonymous.get(&url).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{url}");
            assert!(
                r.text()
                    .await
                    .unwrap()
                    .contains("Per continuare devi accedere"),
                "{url}: the login is asked for"
            );
        }
        let url = app.at(path);
        let r = citizen.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{url}");
        let text = r.text().await.unwrap();
        assert!(
            text.contains("riservata al personale"),
            "{url}: the citizen is told why: {text}"
        );
        let r = citizen
            .get(&url)
            .header("Accept-Language", "en")
            .send()
            .await
            .unwrap();
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("This area is for the administration"));
        // A write is refused the same way, before anything else looks at it.
        let r = citizen.post(&url).form(&[("x", "1")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {url}");
    }
}
