//! Drafts: saved on the server as they are (even incomplete or wrong), found again from
//! another device, one per citizen and form, listed in "my applications", gone once the
//! application is submitted; a warning e-mail before they expire, then deleted.

use std::time::Duration;

use istanze_server::clock::Clock;
use istanze_tests::smtp::{Security, SmtpSink};
use istanze_tests::{
    count_rows, header, hidden, patrocinio, section_fields, test_settings, TestApp,
};
use reqwest::StatusCode;

#[tokio::test]
async fn a_draft_is_resumed_on_another_device_and_goes_when_submitted() {
    let app = TestApp::spawn().await;
    let url = app.settings.database.url.clone().unwrap();
    let phone = app.client();
    app.login(&phone, "RSSMRA85T10A562S", 2).await;
    let form = app.page(&phone, "/servizi/patrocinio").await;
    let csrf = hidden(&form, "_csrf");
    let save = |title: &'static str| {
        vec![
            ("_csrf".to_owned(), csrf.clone()),
            ("_action".to_owned(), "bozza".to_owned()),
            ("/evento/titolo".to_owned(), title.to_owned()),
            ("/evento/data_inizio".to_owned(), "domani".to_owned()),
        ]
    };
    let r = phone
        .post(app.at("/servizi/patrocinio"))
        .form(&save("Festa di primavera"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&r, "location"), "/servizi/patrocinio?salvata=1");
    let saved = app.page(&phone, "/servizi/patrocinio?salvata=1").await;
    assert!(saved.contains("Bozza salvata"));
    assert!(
        saved.contains(r#"value="Festa di primavera""#),
        "kept as entered"
    );
    assert!(
        saved.contains(r#"value="domani""#),
        "even what is not valid yet"
    );

    // Another device: the same citizen finds the draft.
    let laptop = app.client();
    app.login(&laptop, "RSSMRA85T10A562S", 2).await;
    let resumed = app.page(&laptop, "/servizi/patrocinio").await;
    assert!(
        resumed.contains("Stai riprendendo la bozza salvata il"),
        "{resumed}"
    );
    assert!(resumed.contains(r#"value="Festa di primavera""#));
    let mine = app.page(&laptop, "/domande").await;
    assert!(
        mine.contains("Bozze") && mine.contains("Richiesta di patrocinio"),
        "{mine}"
    );
    // Someone else sees nothing of it.
    let lucia = app.client();
    app.login(&lucia, "BNCLCU92M55F205G", 2).await;
    assert!(!app
        .page(&lucia, "/servizi/patrocinio")
        .await
        .contains("Festa di primavera"));
    assert!(!app.page(&lucia, "/domande").await.contains("Bozze"));

    // Saving again updates the one draft.
    let csrf2 = hidden(&resumed, "_csrf");
    let mut again = save("Festa d'estate");
    again[0].1 = csrf2.clone();
    laptop
        .post(app.at("/servizi/patrocinio"))
        .form(&again)
        .send()
        .await
        .unwrap();
    assert_eq!(count_rows(&url, "drafts").await, 1);

    // Submitted: the draft is gone.
    let mut complete = vec![
        ("_csrf".to_owned(), csrf2),
        ("_id".to_owned(), hidden(&resumed, "_id")),
    ];
    complete.extend(section_fields(&patrocinio(), None));
    let r = laptop
        .post(app.at("/servizi/patrocinio"))
        .form(&complete)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(header(&r, "location").starts_with("/domande/"));
    assert_eq!(count_rows(&url, "drafts").await, 0);
}

#[tokio::test]
async fn a_draft_about_to_expire_is_announced_once_then_deleted() {
    let sink = SmtpSink::start(Security::Implicit, 0);
    let (mut s, dir) = test_settings().await;
    s.notifications.email = Some(sink.email_settings());
    let settings = s.clone();
    let clock = istanze_server::clock::ShiftedClock::new();
    let app = TestApp::spawn_with_clock(s, dir, std::sync::Arc::new(clock.clone())).await;
    let url = app.settings.database.url.clone().unwrap();
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let form = app.page(&c, "/servizi/patrocinio").await;
    c.post(app.at("/servizi/patrocinio"))
        .form(&[
            ("_csrf", hidden(&form, "_csrf").as_str()),
            ("_action", "bozza"),
            ("/richiedente/email", "mario.rossi@example.it"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(count_rows(&url, "drafts").await, 1);
    // Two days before the draft expires: inside the warning window.
    let expire_days = settings.drafts.expire_days;
    clock.advance(chrono::Duration::days(expire_days - 2));
    // Housekeeping runs when a server starts: start two more on the same database.
    let restart = |settings: istanze_server::config::Settings| {
        let clock = clock.clone();
        async move {
            let dir = tempfile::tempdir().unwrap();
            let mut s = settings;
            s.server.data_dir = dir.path().to_path_buf();
            for f in std::fs::read_dir(data_dir_of(&s)).unwrap() {
                let f = f.unwrap().path();
                std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
            }
            TestApp::spawn_with_clock(s, dir, std::sync::Arc::new(clock)).await
        }
    };
    let second = restart(settings.clone()).await;
    let mails = sink.wait_for(1).await;
    let text = String::from_utf8_lossy(&mails[0].0).to_string();
    assert!(text.contains("scade"), "{text}");
    assert_eq!(mails[0].1["rcpt_tos"][0], "mario.rossi@example.it");
    // Another housekeeping pass (as another replica, or ten minutes later) warns nobody.
    let state = &second.state;
    for tenant in state.tenants.iter() {
        let again = istanze_server::drafts::warn_and_expire(
            &state.scoped(&tenant.id),
            tenant,
            state.settings.drafts.warn_days,
            clock.now(),
        )
        .await
        .unwrap();
        assert_eq!(
            again,
            (0, 0),
            "nobody of {} warned or deleted by a second pass",
            tenant.id
        );
    }
    assert_eq!(sink.messages().len(), 1, "warned once");
    clock.advance(chrono::Duration::days(3));
    let _fourth = restart(settings).await;
    istanze_tests::wait_until("the expired draft deleted", Duration::from_secs(10), || {
        let url = url.clone();
        async move { (count_rows(&url, "drafts").await == 0).then_some(()) }
    })
    .await;
}

fn data_dir_of(s: &istanze_server::config::Settings) -> std::path::PathBuf {
    s.server.data_dir.clone()
}
