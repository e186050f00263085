//! Forms as versioned data: the files are stored at start as content-addressed versions (an
//! unchanged file adds none), every application and draft records its version, and a draft
//! started before a form changed is finished on the version it was started with.

use istanze_tests::{
    count_rows, header, hidden, patrocinio, section_fields, test_settings, TestApp,
};
use reqwest::StatusCode;
use serde_json::Value;

/// A copy of the shipped forms that the test may change.
fn own_forms() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(istanze_tests::forms_dir()).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    dir
}

async fn version_ids(url: &str, form: &str) -> Vec<String> {
    let db = sea_orm::Database::connect(url).await.unwrap();
    use sea_orm::{ConnectionTrait, Statement};
    db.query_all(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT version_id FROM form_versions WHERE form_id = '{form}' ORDER BY id"),
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.try_get::<String>("", "version_id").unwrap())
    .collect()
}

#[tokio::test]
async fn a_draft_started_before_a_form_changed_is_finished_on_its_version() {
    let forms = own_forms();
    let (mut settings, _dir) = test_settings().await;
    settings.forms.dir = forms.path().to_owned();
    let url = settings.database.url.clone().unwrap();
    // Each server gets a throwaway directory; `_dir` (keys, database) outlives them all.
    let start = |s: istanze_server::config::Settings| async move {
        TestApp::spawn_with(s, tempfile::tempdir().unwrap()).await
    };

    let first = start(settings.clone()).await;
    let mario = first.client();
    first.login(&mario, "RSSMRA85T10A562S", 2).await;
    let page = first.page(&mario, "/servizi/patrocinio").await;
    let r = mario
        .post(first.at("/servizi/patrocinio"))
        .form(&[
            ("_csrf", hidden(&page, "_csrf").as_str()),
            ("_action", "bozza"),
            ("/evento/titolo", "Festa di primavera"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v1 = version_ids(&url, "patrocinio").await;
    assert_eq!(v1.len(), 1);
    assert_eq!(v1[0].len(), 64, "a SHA-256");
    drop(first);

    // The office changes the form's title; the next start stores a second version.
    let file = forms.path().join("patrocinio.json");
    let mut definition: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let old_title = definition["title"].as_str().unwrap().to_owned();
    let new_title = old_title.replace("patrocinio", "patrocinio gratuito");
    definition["title"] = Value::String(new_title.clone());
    // Its translations follow the Italian text they translate.
    for (_, texts) in definition["translations"]
        .as_object_mut()
        .unwrap()
        .iter_mut()
    {
        if let Some(t) = texts.as_object_mut().unwrap().remove(&old_title) {
            texts[&new_title] = t;
        }
    }
    std::fs::write(&file, serde_json::to_string_pretty(&definition).unwrap()).unwrap();
    let second = start(settings.clone()).await;
    let both = version_ids(&url, "patrocinio").await;
    assert_eq!(both.len(), 2);
    assert_eq!(both[0], v1[0]);
    drop(second);
    // Formatting alone is not a change: a third start with the file re-indented adds nothing.
    std::fs::write(&file, serde_json::to_string(&definition).unwrap()).unwrap();
    let third = start(settings).await;
    assert_eq!(version_ids(&url, "patrocinio").await, both);
    assert_eq!(
        count_rows(&url, "form_versions").await,
        3,
        "patrocinio twice, concorso once"
    );

    // Mario's draft goes on with the version it was started with; Lucia gets the new one.
    let resumed = third.page(&mario, "/servizi/patrocinio").await;
    assert!(resumed.contains("Festa di primavera"), "the draft is there");
    assert!(
        !resumed.contains("patrocinio gratuito"),
        "the old version's texts"
    );
    let lucia = third.client();
    third.login(&lucia, "BNCLCU92M55F205G", 2).await;
    assert!(third
        .page(&lucia, "/servizi/patrocinio")
        .await
        .contains("patrocinio gratuito"));

    // Submitted, Mario's application is pinned to that version, and so is Lucia's to hers.
    let mut complete = vec![
        ("_csrf".to_owned(), hidden(&resumed, "_csrf")),
        ("_id".to_owned(), hidden(&resumed, "_id")),
    ];
    complete.extend(section_fields(&patrocinio(), None));
    let r = mario
        .post(third.at("/servizi/patrocinio"))
        .form(&complete)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = header(&r, "location")
        .trim_start_matches("/domande/")
        .to_owned();
    let filed = third.wait_for_protocol(&mario, &id).await;
    assert_eq!(filed["form_version_id"], Value::String(v1[0].clone()));
    let api = third.submit(&lucia, "patrocinio", &patrocinio()).await;
    assert_eq!(api.status(), StatusCode::CREATED);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["form_version_id"], Value::String(both[1].clone()));
    let document = istanze_tests::pdf_text(&third.pdf(&mario, &id, "document").await);
    assert!(
        document.contains("Richiesta di patrocinio") && !document.contains("gratuito"),
        "the document shows the version the citizen filled in"
    );
}

#[tokio::test]
async fn the_command_line_checks_imports_and_exports_forms() {
    let app = TestApp::spawn().await;
    let run = crate::cli::run;
    let forms = istanze_tests::forms_dir();
    let (ok, checked) = run(&["forms", "check", forms.to_str().unwrap()]);
    assert!(ok, "{checked}");
    let stored = version_ids(app.settings.database.url.as_deref().unwrap(), "patrocinio").await;
    assert!(
        checked.contains(&format!(
            "patrocinio\t{}\tRichiesta di patrocinio",
            stored[0]
        )),
        "the same version id as the server stored: {checked}"
    );

    let broken = tempfile::tempdir().unwrap();
    std::fs::write(
        broken.path().join("rotto.json"),
        r#"{"id": "rotto", "schema": 3}"#,
    )
    .unwrap();
    let (ok, refused) = run(&["forms", "check", broken.path().to_str().unwrap()]);
    assert!(!ok && refused.contains("rotto.json"), "{refused}");

    let config = crate::cli::config(&app.settings);
    let config = config.to_str().unwrap();
    let (ok, imported) = run(&["forms", "import", "--config", config]);
    assert!(ok, "{imported}");
    assert!(
        imported.contains("patrocinio\t") && imported.contains("\tunchanged"),
        "{imported}"
    );
    assert!(!imported.contains("\tnew"), "{imported}");
    let out = tempfile::tempdir().unwrap();
    let (ok, exported) = run(&[
        "forms",
        "export",
        "--config",
        config,
        out.path().to_str().unwrap(),
    ]);
    assert!(ok, "{exported}");
    assert_eq!(
        std::fs::read_to_string(out.path().join("patrocinio.json")).unwrap(),
        std::fs::read_to_string(forms.join("patrocinio.json")).unwrap(),
        "exported as it was written"
    );
    let (ok, unknown) = run(&["forms", "import", "--config", config, "--ente", "c_zz99"]);
    assert!(
        !ok && unknown.contains("no administration with IPA code \"c_zz99\""),
        "{unknown}"
    );
}
