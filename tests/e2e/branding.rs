//! An administration's languages and look: the interface texts are Fluent catalogues, another
//! language is one more file, and each administration chooses which languages its pages offer
//! and its colour from the palette.

use istanze_tests::{add_municipality, test_settings, unescape, TestApp};

const SLOVENE: &str = "language-name = Slovenščina\nservizi-online = Spletne storitve\n\
                       forms-required = To polje je obvezno.\n";

/// The installation with a Slovene catalogue; the municipality offers Italian and Slovene.
async fn bilingual() -> TestApp {
    let (mut settings, dir) = test_settings().await;
    add_municipality(&mut settings, dir.path());
    let locales = dir.path().join("locales");
    std::fs::create_dir_all(&locales).unwrap();
    std::fs::write(locales.join("sl.ftl"), SLOVENE).unwrap();
    settings.i18n.locales_dir = Some(locales);
    set_languages(dir.path(), r#"["it", "sl"]"#);
    TestApp::spawn_with(settings, dir).await
}

fn set_languages(dir: &std::path::Path, languages: &str) {
    let file = dir.join("administrations/c_b999.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("hosts = []"),
        "the shipped file names its hosts"
    );
    std::fs::write(
        &file,
        text.replace(
            "hosts = []",
            &format!("hosts = []\nlanguages = {languages}"),
        ),
    )
    .unwrap();
}

#[tokio::test]
async fn each_administration_offers_its_own_languages() {
    let app = bilingual().await;
    let c = app.client();
    let page = |path: &'static str| {
        let c = c.clone();
        let url = app.at(path);
        async move { unescape(&c.get(url).send().await.unwrap().text().await.unwrap()) }
    };

    let sl = page("/enti/c_b999/?lang=sl").await;
    assert!(sl.contains(r#"<html lang="sl">"#), "{sl}");
    assert!(
        sl.contains("Spletne storitve"),
        "the Slovene catalogue's text"
    );
    assert!(
        sl.contains("Vai al contenuto principale"),
        "a message the catalogue lacks is Italian"
    );
    assert!(
        sl.contains(r#"lang="it" hreflang="it">Italiano</a>"#),
        "the switch offers Italian, named in Italian"
    );
    assert!(
        !sl.contains(r#"hreflang="en""#),
        "English is not offered here"
    );

    // Slovene is remembered; English, which the municipality does not offer, is not taken.
    let again = page("/enti/c_b999/?lang=en").await;
    assert!(
        again.contains(r#"<html lang="sl">"#),
        "the language remembered"
    );
    let fresh = app.client();
    let en = unescape(
        &fresh
            .get(app.at("/enti/c_b999/?lang=en"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(
        en.contains(r#"<html lang="it">"#) && en.contains("Servizi online"),
        "a language the municipality does not offer gives Italian"
    );

    // The province offers Italian and English (the default), not Slovene.
    let province = page("/?lang=sl").await;
    assert!(province.contains(r#"<html lang="it">"#));
    assert!(province.contains(r#"hreflang="en">English</a>"#));
    assert!(!province.contains("Slovenščina"));
    let r = c
        .get(app.at("/"))
        .header("Accept-Language", "sl, en;q=0.5")
        .send()
        .await
        .unwrap();
    assert!(
        r.text().await.unwrap().contains(r#"<html lang="en">"#),
        "the browser's next preference the province offers"
    );
}

#[tokio::test]
async fn the_forms_own_words_come_in_the_added_language_too() {
    let app = bilingual().await;
    let municipality = app.ente("c_b999");
    let c = app.client();
    municipality.login(&c, "RSSMRA85T10A562S", 2).await;
    let mut data = istanze_tests::patrocinio();
    data["evento"].as_object_mut().unwrap().remove("titolo");
    data["evento"]["data_inizio"] = "21/06/2027".into();
    let r = c
        .post(municipality.at("/api/v1/forms/patrocinio/submissions"))
        .header("Accept-Language", "sl")
        .json(&data)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = r.json().await.unwrap();
    let message = |pointer: &str| {
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["pointer"] == pointer)
            .map(|e| e["message"].as_str().unwrap().to_owned())
    };
    assert_eq!(
        message("/evento/titolo").as_deref(),
        Some("To polje je obvezno."),
        "{body}"
    );
    assert_eq!(
        message("/evento/data_inizio").as_deref(),
        Some("Inserire una data valida."),
        "a word the Slovene file lacks is Italian: {body}"
    );
}

#[tokio::test]
async fn a_language_without_italian_or_without_a_catalogue_is_refused_at_start() {
    for (languages, expected) in [
        (r#"["sl"]"#, "Italian (\"it\") is always offered"),
        (r#"["it", "de"]"#, "no catalogue for \"de\""),
        (r#"["it", "deutsch"]"#, "is not a language code"),
    ] {
        let (mut settings, dir) = test_settings().await;
        add_municipality(&mut settings, dir.path());
        let locales = dir.path().join("locales");
        std::fs::create_dir_all(&locales).unwrap();
        std::fs::write(locales.join("sl.ftl"), SLOVENE).unwrap();
        settings.i18n.locales_dir = Some(locales);
        set_languages(dir.path(), languages);
        let refused = istanze_server::Application::build(settings)
            .await
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            refused.contains("administration c_b999: languages") && refused.contains(expected),
            "{languages}: {refused}"
        );
    }
}

#[tokio::test]
async fn each_administration_has_its_palette_colour_and_no_other() {
    let (mut settings, dir) = test_settings().await;
    add_municipality(&mut settings, dir.path());
    let app = TestApp::spawn_with(settings.clone(), dir).await;
    let c = app.client();
    let css = |path: &'static str| {
        let c = c.clone();
        let url = app.at(path);
        async move {
            let r = c.get(url).send().await.unwrap();
            assert_eq!(
                istanze_tests::header(&r, "content-type"),
                "text/css; charset=utf-8"
            );
            r.text().await.unwrap()
        }
    };
    assert!(css("/tema.css")
        .await
        .contains(".it-header-center-wrapper{background:#0066cc}"));
    assert!(
        css("/enti/c_b999/tema.css")
            .await
            .contains(".it-header-center-wrapper{background:#00734d}"),
        "the demo municipality is green"
    );
    let page = app.page(&c, "/enti/c_b999/").await;
    assert!(page.contains(r#"href="/enti/c_b999/tema.css""#), "{page}");

    // A colour outside the palette stops the start, naming the palette.
    let (mut settings, dir) = test_settings().await;
    add_municipality(&mut settings, dir.path());
    let file = dir.path().join("administrations/c_b999.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(r#"colour = "verde""#, r##"colour = "#ff00ff""##),
    )
    .unwrap();
    let refused = istanze_server::Application::build(settings)
        .await
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("colour \"#ff00ff\" is not one of the palette: blu-italia"),
        "{refused}"
    );
}
