//! The quota of files not yet submitted: parallel uploads of one citizen cannot pass it
//! together, a full quota refuses before reading, and what a crash or a client going away
//! leaves is given back.

use istanze_tests::{count_rows, test_settings};

use super::*;

#[tokio::test]
async fn parallel_uploads_cannot_pass_the_quota_together() {
    let (mut s, dir) = test_settings().await;
    s.attachments.max_pending_bytes_per_owner = MB;
    let app = TestApp::spawn_with(s, dir).await;
    // A second server on the same database: the quota holds across processes too.
    let (mut s, dir) = test_settings().await;
    s.attachments.max_pending_bytes_per_owner = MB;
    s.database.url = app.settings.database.url.clone();
    let other = TestApp::spawn_with(s, dir).await;
    let servers = [
        (&app, logged_in(&app, "RSSMRA85T10A562S").await),
        (&other, logged_in(&other, "RSSMRA85T10A562S").await),
    ];
    let file = pdf_of(200 * 1024);
    // Incomplete applications: each accepted file stays pending, none is submitted.
    let uploads = (0..20).map(|i| {
        let (server, mario) = &servers[i % 2];
        let request = mario
            .post(api(server))
            .multipart(api_form(&incomplete(), file.clone()));
        async move {
            let r = request.send().await.expect("answer");
            let status = r.status();
            (status, r.json::<Value>().await.expect("json"))
        }
    });
    let answers = futures::future::join_all(uploads).await;
    let (mut accepted, mut refused) = (0, 0);
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        match field_message(body, FIELD) {
            Some(message) => {
                assert_eq!(message, QUOTA_MESSAGE, "{body}");
                refused += 1;
            }
            None => {
                assert!(
                    field_message(body, "/evento/titolo").is_some(),
                    "an accepted file, an incomplete application: {body}"
                );
                accepted += 1;
            }
        }
    }
    assert!(
        (1..=5).contains(&accepted),
        "1 MB holds at most five files of 200 KB: {accepted} accepted, {refused} refused"
    );
    assert_eq!(accepted + refused, 20);
    let stored = scalar(
        &app,
        "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS n FROM attachments \
         WHERE owner = 'RSSMRA85T10A562S'",
    )
    .await;
    assert!(stored as u64 <= MB, "{stored} bytes stored past the quota");
    assert_eq!(
        count_rows(app.settings.database.url.as_deref().unwrap(), "attachments").await,
        accepted
    );
    assert_eq!(
        count_rows(
            app.settings.database.url.as_deref().unwrap(),
            "upload_reservations"
        )
        .await,
        0,
        "every reservation settled or released"
    );
    // Another citizen is not affected.
    let lucia = logged_in(&app, "BNCLCU92M55F205G").await;
    let mut hers = patrocinio();
    hers["richiedente"]["codice_fiscale"] = "BNCLCU92M55F205G".into();
    let r = lucia
        .post(api(&app))
        .multipart(api_form(&hers, file.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_full_quota_refuses_the_next_file_before_reading_it() {
    let (mut s, dir) = test_settings().await;
    s.attachments.max_pending_bytes_per_owner = MB;
    let app = TestApp::spawn_with(s, dir).await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    let r = c
        .post(api(&app))
        .multipart(api_form(&incomplete(), pdf_of(1000 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let lazy = Lazy::file(data_head(), FIELD, b"%PDF-1.7\n", HUGE);
    let (status, text, pulled) = send_lazy(&c, &api(&app), &lazy, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(field_message(&body, FIELD).as_deref(), Some(QUOTA_MESSAGE));
    assert!(pulled < IN_FLIGHT, "{pulled} bytes sent before the answer");
}

#[tokio::test]
async fn each_administration_keeps_its_own_quota() {
    let (mut s, dir) = test_settings().await;
    s.attachments.max_pending_bytes_per_owner = MB;
    istanze_tests::add_municipality(&mut s, dir.path());
    let app = TestApp::spawn_with(s, dir).await;
    let (province, municipality) = (app.ente("p_es"), app.ente("c_b999"));
    let c = app.client();
    province.login(&c, "RSSMRA85T10A562S", 2).await;
    municipality.login(&c, "RSSMRA85T10A562S", 2).await;
    let upload = |at: &istanze_tests::Server, len: usize| {
        c.post(at.at("/api/v1/forms/patrocinio/submissions"))
            .multipart(api_form(&incomplete(), pdf_of(len)))
            .send()
    };
    // The citizen's quota at the province is full...
    let body: Value = upload(&province, 1000 * 1024)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(field_message(&body, FIELD), None, "kept: {body}");
    let body: Value = upload(&province, 100 * 1024)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(field_message(&body, FIELD).as_deref(), Some(QUOTA_MESSAGE));
    // ...and at the municipality the same citizen has the whole of theirs.
    let body: Value = upload(&municipality, 1000 * 1024)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(field_message(&body, FIELD), None, "kept: {body}");
}

#[tokio::test]
async fn reservations_left_by_a_crash_stop_counting_and_are_cleaned_away() {
    let app = TestApp::spawn().await;
    let db = db(&app).await;
    let backend = db.get_database_backend();
    // Times past the server's own clock: its housekeeping (which runs now) leaves these alone.
    let now = chrono::Utc::now();
    let later = now + chrono::Duration::minutes(20);
    // What a server that crashed mid-upload left for Mario (a whole quota, expiring before
    // `later`), and an upload still going on then for Lucia; both had written chunks.
    for (id, owner, expires) in [
        (
            "att-crashed",
            "RSSMRA85T10A562S",
            now + chrono::Duration::minutes(10),
        ),
        (
            "att-inflight",
            "BNCLCU92M55F205G",
            now + chrono::Duration::minutes(30),
        ),
    ] {
        db.execute(Statement::from_sql_and_values(
            backend,
            placeholders(
                backend,
                "INSERT INTO upload_reservations (id, administration, owner, bytes, expires_at) \
                 VALUES (?, 'p_es', ?, ?, ?)",
            ),
            [id.into(), owner.into(), (MB as i64).into(), expires.into()],
        ))
        .await
        .unwrap();
        for seq in 0..2_i32 {
            db.execute(Statement::from_sql_and_values(
                backend,
                placeholders(
                    backend,
                    "INSERT INTO attachment_chunks (attachment_id, seq, data, administration) \
                     VALUES (?, ?, ?, 'p_es')",
                ),
                [id.into(), seq.into(), vec![7u8; 1000].into()],
            ))
            .await
            .unwrap();
        }
    }
    let reserve = |id: &'static str, at| {
        let db = db.clone();
        async move {
            istanze_server::db::quota::reserve(
                &istanze_tests::scoped(&db, "p_es"),
                id,
                "RSSMRA85T10A562S",
                500 * 1024,
                MB,
                at,
            )
            .await
            .unwrap()
        }
    };
    assert_eq!(
        reserve("att-a", now).await,
        0,
        "the crashed upload still holds the quota"
    );
    assert_eq!(
        reserve("att-b", later).await,
        500 * 1024,
        "once expired, it no longer counts"
    );

    // Housekeeping: the expired reservation goes with its chunks; the live ones stay.
    let gone = istanze_server::db::quota::purge_expired(&istanze_tests::scoped(&db, "p_es"), later)
        .await
        .unwrap();
    assert_eq!(gone, 1);
    let chunks_of = |id: &str| {
        format!("SELECT COUNT(*) AS n FROM attachment_chunks WHERE attachment_id = '{id}'")
    };
    assert_eq!(scalar(&app, &chunks_of("att-crashed")).await, 0);
    assert_eq!(scalar(&app, &chunks_of("att-inflight")).await, 2);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) AS n FROM upload_reservations").await,
        2,
        "Lucia's upload and the new one still hold their room"
    );

    // A stored file keeps its chunks through housekeeping, and loses them with its row when
    // it is purged as never submitted.
    let mario = logged_in(&app, "RSSMRA85T10A562S").await;
    let r = mario
        .post(api(&app))
        .multipart(api_form(&incomplete(), pdf_of(300 * 1024)))
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        field_message(&body, FIELD),
        None,
        "the file is accepted: {body}"
    );
    let file: String = db
        .query_one(Statement::from_string(
            backend,
            "SELECT id FROM attachments".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    istanze_server::db::quota::purge_expired(&istanze_tests::scoped(&db, "p_es"), later)
        .await
        .unwrap();
    assert_eq!(
        scalar(&app, &chunks_of(&file)).await,
        2,
        "300 KB in two chunks"
    );
    use istanze_server::store::attachments::AttachmentStore;
    assert!(istanze_tests::scoped(&db, "p_es")
        .delete_unlinked(&file)
        .await
        .unwrap());
    assert_eq!(scalar(&app, &chunks_of(&file)).await, 0);
}

#[tokio::test]
async fn an_upload_the_client_breaks_off_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    let mut lazy = Lazy::file(data_head(), FIELD, b"%PDF-1.7\n", 8 * MB);
    lazy.cut_at = Some(3 * MB);
    let r = c
        .post(api(&app))
        .header("content-type", lazy.content_type())
        .body(lazy.body())
        .send()
        .await;
    assert!(r.is_err(), "the client broke the body off: {r:?}");
    // The server notices when the connection ends; its cleanup follows.
    let mut left = (0, 0, 0);
    for _ in 0..200 {
        left = (
            scalar(&app, "SELECT COUNT(*) AS n FROM upload_reservations").await,
            scalar(&app, "SELECT COUNT(*) AS n FROM attachment_chunks").await,
            scalar(&app, "SELECT COUNT(*) AS n FROM attachments").await,
        );
        if left == (0, 0, 0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        left,
        (0, 0, 0),
        "reservations, chunks and files left 10 seconds after the upload broke off"
    );
}
