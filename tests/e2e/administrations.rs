//! Several administrations on one installation: each under `/enti/<ipa_code>/` with its own
//! Service Provider, forms and register, and none of them able to see or change what belongs to
//! another. The isolation matrix runs on whatever database the suite runs on (SQLite, or
//! PostgreSQL with `ISTANZE_TEST_DATABASE_URL`).

use istanze_tests::{
    add_municipality, count_rows, header, hidden, patrocinio, test_settings, Server, TestApp,
};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PROVINCE: &str = "p_es";
pub(crate) const MUNICIPALITY: &str = "c_b999";
pub(crate) const CITIZEN: &str = "RSSMRA85T10A562S";

pub(crate) async fn two_administrations() -> TestApp {
    let (mut settings, dir) = test_settings().await;
    add_municipality(&mut settings, dir.path());
    TestApp::spawn_with(settings, dir).await
}

async fn status(c: &Client, url: String) -> StatusCode {
    c.get(url).send().await.unwrap().status()
}

#[tokio::test]
async fn the_administrations_are_listed_with_their_base_paths() {
    let app = two_administrations().await;
    let c = app.client();
    let expected = serde_json::json!([
        {"ipa_code": PROVINCE, "name": "Provincia di Esempio", "base_path": "/enti/p_es/"},
        {"ipa_code": MUNICIPALITY, "name": "Comune di Borgo Esempio", "base_path": "/enti/c_b999/"},
    ]);
    for at in [
        app.at("/api/v1/administrations"),
        app.ente(MUNICIPALITY).at("/api/v1/administrations"),
    ] {
        let list: Value = c.get(at).send().await.unwrap().json().await.unwrap();
        assert_eq!(list, expected);
    }
    let home = app.page(&c, "/enti/c_b999/").await;
    assert!(
        home.contains("Comune di Borgo Esempio"),
        "its own name on its pages"
    );
    assert!(
        home.contains(r#"href="/enti/c_b999/servizi/patrocinio""#),
        "{home}"
    );
    let root = app.page(&c, "/").await;
    assert!(root.contains("Provincia di Esempio") && !root.contains("Borgo Esempio"));
}

#[tokio::test]
async fn each_administration_is_its_own_service_provider() {
    let app = two_administrations().await;
    let c = app.client();
    let own = app.page(&c, "/enti/c_b999/spid/metadata").await;
    let entity = format!("{}/enti/c_b999", app.url);
    assert!(own.contains(&format!(r#"entityID="{entity}""#)), "{own}");
    assert!(
        own.contains(&format!(r#"Location="{entity}/spid/acs""#)),
        "{own}"
    );
    assert!(own.contains("Comune di Borgo Esempio") && own.contains("c_b999"));
    let root = app.page(&c, "/spid/metadata").await;
    assert!(root.contains(&format!(r#"entityID="{}""#, app.url)));
    assert!(!root.contains("Borgo Esempio"));
    assert_eq!(
        app.page(&c, "/enti/p_es/spid/metadata").await,
        root,
        "the default administration at / and at its base path is one SP"
    );
    let cie = app.page(&c, "/enti/c_b999/cie/metadata").await;
    assert!(cie.contains(&format!(r#"entityID="{entity}""#)));
}

#[tokio::test]
async fn an_unknown_administration_is_not_found_as_a_page_or_as_json() {
    let app = two_administrations().await;
    let c = app.client();
    let page = c.get(app.at("/enti/c_zz99/")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let api = c
        .get(app.at("/enti/c_zz99/api/v1/forms"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found", "{body}");
}

/// What the citizen has at one administration, for the checks from the other.
struct Holdings {
    at: Server,
    submission: String,
}

async fn submit_with_file(at: &Server, c: &Client) -> (String, String) {
    let form = Form::new()
        .percent_encode_noop()
        .part(
            "data",
            Part::text(patrocinio().to_string())
                .mime_str("application/json")
                .unwrap(),
        )
        .part(
            "/evento/programma",
            Part::bytes(istanze_tests::small_pdf("Programma")).file_name("programma.pdf"),
        );
    let r = c
        .post(at.at("/api/v1/forms/patrocinio/submissions"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let location = header(&r, "location");
    let body: Value = r.json().await.unwrap();
    let id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("{}/api/v1/submissions/{id}", at.base()));
    (id, location)
}

async fn save_draft(at: &Server, c: &Client, title: &str) {
    let form = at.page(c, "/servizi/patrocinio").await;
    let r = c
        .post(at.at("/servizi/patrocinio"))
        .form(&[
            ("_csrf", hidden(&form, "_csrf").as_str()),
            ("_action", "bozza"),
            ("/evento/titolo", title),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(&r, "location"),
        format!("{}/servizi/patrocinio?salvata=1", at.base())
    );
}

#[tokio::test]
async fn nothing_of_one_administration_is_visible_or_writable_from_another() {
    let app = two_administrations().await;
    let (province, municipality) = (app.ente(PROVINCE), app.ente(MUNICIPALITY));
    let c = app.client();

    // Logged in at the province only: the municipality does not know this browser.
    province.login(&c, CITIZEN, 2).await;
    let to_login = c.get(municipality.at("/domande")).send().await.unwrap();
    assert_eq!(to_login.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        header(&to_login, "location"),
        "/enti/c_b999/accedi?next=/domande"
    );
    let (at_province, _) = submit_with_file(&province, &c).await;
    let anonymous_there = c
        .get(municipality.at(&format!("/api/v1/submissions/{at_province}")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous_there.status(), StatusCode::UNAUTHORIZED);

    // A login started at the province cannot be finished at the municipality's ACS.
    let (response, _) = province
        .idp_answer_to(&c, &[("next", "/domande"), ("level", "2")], CITIZEN)
        .await;
    let crossed = municipality.post_acs(&c, &response, "x").await;
    assert_eq!(crossed.status(), StatusCode::FORBIDDEN);
    assert!(crossed
        .text()
        .await
        .unwrap()
        .contains("La richiesta di accesso è scaduta o è già stata usata"));

    // The same citizen logs in at the municipality too (its own session cookie) and applies.
    municipality.login(&c, CITIZEN, 2).await;
    let (at_municipality, _) = submit_with_file(&municipality, &c).await;
    save_draft(&province, &c, "Bozza della provincia").await;
    save_draft(&municipality, &c, "Bozza del comune").await;
    let mine = [
        Holdings {
            at: province.clone(),
            submission: at_province.clone(),
        },
        Holdings {
            at: municipality.clone(),
            submission: at_municipality.clone(),
        },
    ];

    for (own, other) in [(&mine[0], &mine[1]), (&mine[1], &mine[0])] {
        let here = &own.at;
        // The other administration's application, document and receipt do not exist here,
        // for the very citizen who made it.
        for tail in ["", "/document", "/receipt"] {
            let path = format!("/api/v1/submissions/{}{tail}", other.submission);
            assert_eq!(
                status(&c, here.at(&path)).await,
                StatusCode::NOT_FOUND,
                "{path}"
            );
            let path = format!("/api/v1/submissions/{}{tail}", own.submission);
            assert_eq!(status(&c, here.at(&path)).await, StatusCode::OK, "{path}");
        }
        assert_eq!(
            status(&c, here.at(&format!("/domande/{}", other.submission))).await,
            StatusCode::NOT_FOUND
        );
        let list = here.page(&c, "/domande").await;
        assert!(list.contains(&own.submission) && !list.contains(&other.submission));
        // Its own draft only.
        let (own_draft, other_draft) = if here.base() == "/enti/p_es" {
            ("Bozza della provincia", "Bozza del comune")
        } else {
            ("Bozza del comune", "Bozza della provincia")
        };
        let form = here.page(&c, "/servizi/patrocinio").await;
        assert!(
            form.contains(own_draft) && !form.contains(other_draft),
            "{form}"
        );
    }

    // An attachment of one administration cannot be used in an application to the other.
    let province_file: String = {
        let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
            .await
            .unwrap();
        use sea_orm::{ConnectionTrait, Statement};
        let row = db
            .query_one(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT id FROM attachments WHERE submission_id = '{at_province}'"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "id").unwrap()
    };
    let mut data = patrocinio();
    data["evento"]["programma"] = Value::String(province_file);
    let r = municipality.submit(&c, "patrocinio", &data).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["pointer"], "/evento/programma", "{body}");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("non è più disponibile"));

    // Discarding the draft at the municipality leaves the province's.
    let form = municipality.page(&c, "/servizi/patrocinio").await;
    let r = c
        .post(municipality.at("/servizi/patrocinio/bozza/elimina"))
        .form(&[("_csrf", hidden(&form, "_csrf"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!municipality
        .page(&c, "/servizi/patrocinio")
        .await
        .contains("Bozza del comune"));
    assert!(province
        .page(&c, "/servizi/patrocinio")
        .await
        .contains("Bozza della provincia"));

    // Each is filed in its own AOO's register, numbered from 1 in each.
    let filed_p = province.wait_for_protocol(&c, &at_province).await;
    let filed_m = municipality.wait_for_protocol(&c, &at_municipality).await;
    assert_eq!(filed_p["protocol"]["number"], "0000001");
    assert_eq!(filed_m["protocol"]["number"], "0000001");
    app.wait_drained().await;
    let url = app.settings.database.url.clone().unwrap();
    for (code, aoo) in [(PROVINCE, "AOO0001"), (MUNICIPALITY, "AOOB999")] {
        assert_eq!(
            count_rows(&url, &format!("protocol_entries WHERE aoo = '{aoo}'")).await,
            1,
            "{code}"
        );
        for table in [
            "submissions",
            "jobs",
            "attachments",
            "attachment_chunks",
            "sessions",
        ] {
            assert!(
                count_rows(&url, &format!("{table} WHERE administration = '{code}'")).await >= 1,
                "{table} rows of {code}"
            );
        }
    }
    for table in [
        "sessions",
        "authn_requests",
        "submissions",
        "jobs",
        "attachments",
        "attachment_chunks",
        "drafts",
        "form_versions",
        "staff_grants",
        "cases",
        "case_events",
        "case_documents",
        "audit_log",
        "audit_heads",
    ] {
        assert_eq!(
            count_rows(
                &url,
                &format!("{table} WHERE administration NOT IN ('p_es', 'c_b999')")
            )
            .await,
            0,
            "every {table} row belongs to an administration"
        );
    }

    // Logging out at the municipality ends that session only.
    let logout_form = municipality.page(&c, "/domande").await;
    let out = c
        .post(municipality.at("/esci"))
        .form(&[("_csrf", hidden(&logout_form, "_csrf"))])
        .send()
        .await
        .unwrap();
    assert!(out.status().is_redirection());
    assert_eq!(
        status(&c, municipality.at("/domande")).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(status(&c, province.at("/domande")).await, StatusCode::OK);
}

#[tokio::test]
async fn the_default_administration_is_the_same_at_the_root_and_at_its_base_path() {
    let app = two_administrations().await;
    let c = app.client();
    app.login(&c, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&c).await;
    let at_base = app.ente(PROVINCE);
    assert_eq!(
        status(&c, at_base.at(&format!("/api/v1/submissions/{id}"))).await,
        StatusCode::OK,
        "one administration, one session"
    );
    assert_eq!(
        status(
            &c,
            app.ente(MUNICIPALITY)
                .at(&format!("/api/v1/submissions/{id}"))
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
}

async fn count(conn: &impl sea_orm::ConnectionTrait, sql: &str) -> i64 {
    let row = conn
        .query_one(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            sql,
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[tokio::test]
async fn each_administration_sees_its_rows_and_on_postgresql_an_unscoped_query_finds_none() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = two_administrations().await;
    let c = app.client();
    app.login(&c, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&c).await;
    // The server's own connections, as its services use them: each administration's sees its
    // own rows, on either database (SQLite: the queries' filters; PostgreSQL: also the policy).
    let db = &app.state.db;
    let province = istanze_tests::scoped(db, PROVINCE);
    let municipality = istanze_tests::scoped(db, MUNICIPALITY);
    let mine = "SELECT COUNT(*) AS n FROM submissions WHERE administration = 'p_es'";
    assert_eq!(count(&province, mine).await, 1);
    if db.get_database_backend() != DbBackend::Postgres {
        // SQLite has no row-level security: there the queries' own filters are the only line,
        // and the matrix above proves them; the second line below is PostgreSQL's.
        assert_eq!(db.get_database_backend(), DbBackend::Sqlite);
        return;
    }
    assert_eq!(
        count(&municipality, mine).await,
        0,
        "the policy hides the province's"
    );
    let who = db
        .query_one(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_user::text AS u",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "u")
        .unwrap();
    assert_eq!(
        who, "istanze_app",
        "a superuser would pass over every policy"
    );
    let all = "SELECT COUNT(*) AS n FROM submissions";
    assert_eq!(count(db, all).await, 0, "no administration, no rows");
    assert_eq!(count(&province, all).await, 1);
    assert_eq!(count(&municipality, all).await, 0);

    // Cases alike: the province's case is the province's only.
    let cases = "SELECT COUNT(*) AS n FROM cases";
    assert_eq!(count(db, cases).await, 0, "no administration, no cases");
    app.wait_for_protocol(&c, &id).await;
    assert_eq!(count(&province, cases).await, 1);
    assert_eq!(count(&municipality, cases).await, 0);

    // Staff grants alike: each administration sees its own demo staff only, and cannot give
    // a role at another.
    let grants = "SELECT COUNT(*) AS n FROM staff_grants";
    let demo_staff = istanze_server::staff::DEMO_STAFF.len() as i64;
    assert_eq!(count(db, grants).await, 0, "no administration, no grants");
    assert_eq!(count(&province, grants).await, demo_staff);
    assert_eq!(count(&municipality, grants).await, demo_staff);
    let refused = municipality
        .execute(Statement::from_string(
            DbBackend::Postgres,
            "INSERT INTO staff_grants (administration, fiscal_code, role, office, granted_by, \
             granted_at) VALUES ('p_es', 'RSSMRA85T10A562S', 'amministratore', '', 'x', now())",
        ))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("row-level security"),
        "{refused}"
    );

    // Writing another administration's rows: an UPDATE finds none, an INSERT is refused.
    let changed = municipality
        .execute(Statement::from_string(
            DbBackend::Postgres,
            "UPDATE submissions SET subject = 'changed'",
        ))
        .await
        .unwrap();
    assert_eq!(changed.rows_affected(), 0);
    let refused = municipality
        .execute(Statement::from_string(
            DbBackend::Postgres,
            "INSERT INTO drafts (id, administration, owner, form_id, form_version, data, \
             created_at, updated_at, expires_at) VALUES ('d1', 'p_es', 'X', 'patrocinio', '1', \
             '{}', now(), now(), now())",
        ))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("row-level security"),
        "{refused}"
    );
    let subject = app
        .page(&c, &format!("/domande/{id}"))
        .await
        .contains("changed");
    assert!(!subject, "the province's application is as it was");

    // The registers too: each administration's register connection sees its AOO's numbering
    // and entries only, and cannot number for another AOO.
    app.wait_for_protocol(&c, &id).await;
    let register_of = |ipa: &str| app.state.tenants.get(ipa).unwrap().register_db.clone();
    let (province_register, municipality_register) =
        (register_of(PROVINCE), register_of(MUNICIPALITY));
    for table in ["protocol_entries", "protocol_sequences"] {
        let all = format!("SELECT COUNT(*) AS n FROM {table}");
        assert_eq!(
            count(db, &all).await,
            0,
            "{table}: no administration, no rows"
        );
        assert_eq!(count(&province_register, &all).await, 1, "{table}");
        assert_eq!(count(&municipality_register, &all).await, 0, "{table}");
    }
    let province_aoo = app.state.tenants.get(PROVINCE).unwrap().admin().aoo.clone();
    let refused = municipality_register
        .execute(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "INSERT INTO protocol_sequences (aoo, register, year, last_number, last_hash) \
                 VALUES ('{province_aoo}', 'OTHER', 2026, 0, 'x')"
            ),
        ))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("row-level security"),
        "{refused}"
    );
}

#[tokio::test]
async fn an_aoos_register_stays_with_the_administration_that_claimed_it() {
    let app = two_administrations().await;
    let db = &app.state.db;
    let province = istanze_domain::AdministrationId::parse(PROVINCE).unwrap();
    let municipality = istanze_domain::AdministrationId::parse(MUNICIPALITY).unwrap();
    let aoo = app.state.tenants.get(PROVINCE).unwrap().admin().aoo.clone();
    assert_eq!(
        istanze_server::db::registers::claim(db, &province, &aoo)
            .await
            .unwrap(),
        Ok(()),
        "claimed at start, claimed again"
    );
    assert_eq!(
        istanze_server::db::registers::claim(db, &municipality, &aoo)
            .await
            .unwrap(),
        Err(PROVINCE.to_owned()),
        "a configuration that moves the AOO is refused"
    );
}

#[tokio::test]
async fn an_idempotency_key_used_at_one_administration_is_free_at_another() {
    let app = two_administrations().await;
    let (province, municipality) = (app.ente(PROVINCE), app.ente(MUNICIPALITY));
    let c = app.client();
    province.login(&c, CITIZEN, 2).await;
    municipality.login(&c, CITIZEN, 2).await;
    let key = uuid::Uuid::new_v4().to_string();
    let mut ids = Vec::new();
    for at in [&province, &municipality] {
        let r = c
            .post(at.at("/api/v1/forms/patrocinio/submissions"))
            .header("Idempotency-Key", &key)
            .json(&patrocinio())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "at {}", at.base());
        let id = r.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        ids.push(id);
    }
    assert_ne!(
        ids[0], ids[1],
        "each administration has its own application"
    );
}

#[tokio::test]
async fn an_error_page_keeps_its_administrations_header_and_way_back() {
    let app = two_administrations().await;
    let c = app.client();
    let r = c
        .get(app.at("/enti/c_b999/domande/nessuna"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "anonymous: to the login");
    let r = c
        .get(app.at("/enti/c_b999/servizi/nessuno"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let page = r.text().await.unwrap();
    assert!(page.contains("Comune di Borgo Esempio"), "{page}");
    assert!(
        page.contains(r#"<a href="/enti/c_b999/">Torna ai servizi</a>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/enti/c_b999/tema.css""#),
        "the municipality's colours: {page}"
    );
}
