//! Files kept in the database go in chunks and come back byte for byte, and files an earlier
//! version kept whole are still read.

use istanze_server::config::AttachmentStorage;
use istanze_tests::test_settings;
use sea_orm::EntityTrait;

use super::*;

#[tokio::test]
async fn a_file_kept_in_the_database_goes_in_chunks_and_comes_back_identical() {
    let (mut s, dir) = test_settings().await;
    s.attachments.storage = AttachmentStorage::Database;
    let app = TestApp::spawn_with(s, dir).await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    // Not a multiple of the chunk size, with bytes that differ chunk to chunk.
    let mut pdf = pdf_of(1_100_000);
    for (i, b) in pdf.iter_mut().enumerate().skip(4096) {
        *b = (i % 251) as u8;
    }
    let r = c
        .post(api(&app))
        .multipart(api_form(&patrocinio(), pdf.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The worker reads the file back to file it (and checks its digest while it reads).
    app.wait_for_protocol(&c, &id).await;
    let db = db(&app).await;
    let files = istanze_server::db::attachment::Entity::find()
        .all(&db)
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    let chunks = scalar(
        &app,
        &format!(
            "SELECT COUNT(*) AS n FROM attachment_chunks WHERE attachment_id = '{}'",
            files[0].id
        ),
    )
    .await;
    assert_eq!(chunks, 5, "1,100,000 bytes in chunks of 256 KiB");
    let whole = scalar(
        &app,
        "SELECT COUNT(*) AS n FROM attachments WHERE content IS NOT NULL",
    )
    .await;
    assert_eq!(whole, 0, "no file kept whole in one column");
    let back = istanze_server::attachments::read_all(
        &istanze_tests::scoped(&db, "p_es"),
        &app.settings,
        &files[0],
    )
    .await
    .unwrap();
    assert_eq!(sha256(&back), sha256(&pdf));
    assert_eq!(files[0].sha256, sha256(&pdf));
}

#[tokio::test]
async fn a_file_kept_whole_by_an_earlier_version_is_still_read_and_filed() {
    let app = TestApp::spawn().await;
    let c = logged_in(&app, "RSSMRA85T10A562S").await;
    let pdf = pdf_of(600_000);
    let db = db(&app).await;
    let id = "att-00000000-0000-4000-8000-000000000001";
    db.execute(Statement::from_sql_and_values(
        db.get_database_backend(),
        placeholders(
            db.get_database_backend(),
            "INSERT INTO attachments (id, owner, form_id, field, file_name, media_type, size, \
             sha256, content, path, submission_id, created_at) VALUES \
             (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)",
        ),
        [
            id.into(),
            "RSSMRA85T10A562S".into(),
            "patrocinio".into(),
            FIELD.into(),
            "programma.pdf".into(),
            "application/pdf".into(),
            (pdf.len() as i64).into(),
            sha256(&pdf).into(),
            pdf.clone().into(),
            chrono::Utc::now().into(),
        ],
    ))
    .await
    .unwrap();
    // Written before administrations existed, the row has none: the next start gives it to the
    // installation's own administration.
    let p_es = istanze_domain::AdministrationId::parse("p_es").unwrap();
    istanze_server::db::adopt(&db, &p_es).await.unwrap();
    let model = istanze_server::db::attachment::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let back = istanze_server::attachments::read_all(
        &istanze_tests::scoped(&db, "p_es"),
        &app.settings,
        &model,
    )
    .await
    .unwrap();
    assert_eq!(sha256(&back), sha256(&pdf));
    let mut data = patrocinio();
    data["evento"]["programma"] = Value::String(id.into());
    let r = app.submit(&c, "patrocinio", &data).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let submission = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.wait_for_protocol(&c, &submission).await;
}
