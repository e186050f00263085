//! Administrations on host names of their own, and the production set-up on PostgreSQL: the
//! server's user owns the tables (no superuser), row-level security binds it, and rows from
//! before administrations existed are adopted at start.

use istanze_tests::{add_municipality, test_settings, TestApp};
use reqwest::header::HOST;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn an_administration_is_served_on_its_own_host_name_and_no_other_there() {
    let (mut settings, dir) = test_settings().await;
    add_municipality(&mut settings, dir.path());
    let file = dir.path().join("administrations/c_b999.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("hosts = []", r#"hosts = ["istanze.borgoesempio.it"]"#),
    )
    .unwrap();
    let app = TestApp::spawn_with(settings, dir).await;
    let c = app.client();
    let get = |path: &'static str, host: &'static str| {
        let c = c.clone();
        let url = app.at(path);
        async move {
            let r = c.get(url).header(HOST, host).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (status, own) = get("/", "istanze.borgoesempio.it").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        own.contains("Comune di Borgo Esempio"),
        "its host serves it at the root"
    );
    assert!(
        own.contains(r#"href="/servizi/patrocinio""#),
        "with links at its root"
    );
    let (status, _) = get("/enti/p_es/", "istanze.borgoesempio.it").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no other administration on its host"
    );
    let (status, _) = get("/", "elsewhere.example.it").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a host nobody configured is misdirected"
    );
    let (status, root) = get("/", "127.0.0.1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        root.contains("Provincia di Esempio"),
        "the installation's host is its own"
    );
}

#[tokio::test]
async fn on_postgresql_the_tables_owner_is_bound_and_old_rows_are_adopted() {
    let Ok(server) = std::env::var("ISTANZE_TEST_DATABASE_URL") else {
        // SQLite: no roles and no policies, and its adoption is run by the upload tests
        // (upload_limits::chunks); this is the production set-up of PostgreSQL.
        return;
    };
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let (owner, name) = (
        format!("istanze_owner_{suffix}"),
        format!("istanze_e2e_{suffix}"),
    );
    let admin = sea_orm::Database::connect(format!("{server}/postgres"))
        .await
        .unwrap();
    // Two statements: CREATE DATABASE runs outside any transaction.
    for sql in [
        format!("CREATE ROLE {owner} LOGIN NOSUPERUSER NOBYPASSRLS"),
        format!("CREATE DATABASE {name} OWNER {owner}"),
    ] {
        admin.execute_unprepared(&sql).await.unwrap();
    }
    let host = server
        .trim_start_matches("postgres://")
        .split('@')
        .nth(1)
        .unwrap();
    let url = format!("postgres://{owner}@{host}/{name}");
    let (mut settings, _dir) = test_settings().await;
    settings.database.url = Some(url.clone());
    let start = |s: istanze_server::config::Settings| async move {
        TestApp::spawn_with(s, tempfile::tempdir().unwrap()).await
    };

    // First start: the schema is made, by its owner.
    drop(start(settings.clone()).await);
    // A draft written as by a version before administrations: no administration. Even the
    // owner can write it only as the administration '' (the policy binds it too).
    let as_owner = sea_orm::Database::connect(&url).await.unwrap();
    let insert = "INSERT INTO drafts (id, owner, form_id, form_version, data, created_at, \
                  updated_at, expires_at) VALUES ('old', 'RSSMRA85T10A562S', 'patrocinio', '1', \
                  '{\"evento\": {\"titolo\": \"Bozza di prima\"}}', now(), now(), \
                  now() + interval '30 days')";
    let refused = as_owner.execute_unprepared(insert).await.unwrap_err();
    assert!(
        refused.to_string().contains("row-level security"),
        "{refused}"
    );
    as_owner
        .execute_unprepared(&format!(
            "BEGIN; SELECT set_config('istanze.administration', '', true); {insert}; COMMIT"
        ))
        .await
        .unwrap();
    // Counted as the superuser, who sees every row.
    let superuser = format!("{server}/{name}");
    let count = |rows: &'static str| istanze_tests::count_rows(&superuser, rows);
    assert_eq!(count("drafts WHERE administration = ''").await, 1);

    // Second start: the draft is the default administration's, and the citizen finds it.
    let app = start(settings).await;
    assert_eq!(count("drafts WHERE administration = 'p_es'").await, 1);
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let page = app.page(&c, "/servizi/patrocinio").await;
    assert!(page.contains("Bozza di prima"), "{page}");
    let id = app.submit_patrocinio(&c).await;
    app.wait_for_protocol(&c, &id).await;
    drop(app);
    for sql in [
        format!("DROP DATABASE {name} WITH (FORCE)"),
        format!("DROP ROLE {owner}"),
    ] {
        admin.execute_unprepared(&sql).await.ok();
    }
}
