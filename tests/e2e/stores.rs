//! Drafts, sessions and applications as storage: a save replaces the citizen's draft of the form and keeps
//! its id, the expiry warning is claimed once; sessions end by idle time, absolute time,
//! logout and the IdP's logout of exactly the sessions it names; another administration
//! reaches none of it.

use chrono::{Duration, TimeZone, Utc};
use istanze_auth::saml::logout::SamlSession;
use istanze_server::store::drafts::{DraftContent, DraftStore};
use istanze_server::store::sessions::{SessionStore, StoredSession};
use istanze_tests::{fresh_database, scoped};

fn content<'a>(id: &str, owner: &'a str, data: &str) -> DraftContent<'a> {
    DraftContent {
        new_id: id.into(),
        owner,
        form_id: "patrocinio",
        form_version: "1",
        form_version_id: "",
        data: data.into(),
        email: Some("mario@example.org".into()),
        expires_at: Utc.with_ymd_and_hms(2027, 1, 2, 0, 0, 0).unwrap(),
    }
}

#[tokio::test]
async fn a_draft_is_replaced_in_place_warned_once_and_kept_to_its_administration() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let db = istanze_server::db::connect(&url, 4, None).await.unwrap();
    let province = scoped(&db, "p_es");
    let municipality = scoped(&db, "c_b999");
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();

    let first = province
        .save(content("d1", "RSSMRA85T10A562S", r#"{"a":1}"#), now)
        .await
        .unwrap();
    assert_eq!(
        (first.id.as_str(), first.data.as_str()),
        ("d1", r#"{"a":1}"#)
    );
    assert!(province.claim_warning("d1", now).await.unwrap());
    assert!(
        !province.claim_warning("d1", now).await.unwrap(),
        "claimed once"
    );

    let later = now + Duration::hours(1);
    let second = province
        .save(content("d2", "RSSMRA85T10A562S", r#"{"a":2}"#), later)
        .await
        .unwrap();
    assert_eq!(second.id, "d1", "the same draft, replaced");
    assert_eq!(second.data, r#"{"a":2}"#);
    assert_eq!((second.created_at, second.updated_at), (now, later));
    assert_eq!(second.warned_at, None, "a new save starts the warning over");

    // The same citizen and form at the municipality is another draft, and sees not this one.
    assert_eq!(
        municipality
            .find("RSSMRA85T10A562S", "patrocinio")
            .await
            .unwrap(),
        None
    );
    assert!(municipality.all_drafts().await.unwrap().is_empty());
    assert_eq!(
        municipality
            .discard("RSSMRA85T10A562S", "patrocinio")
            .await
            .unwrap(),
        0
    );
    assert!(!municipality.claim_warning("d1", later).await.unwrap());
    let expiry = Utc.with_ymd_and_hms(2027, 1, 3, 0, 0, 0).unwrap();
    assert_eq!(municipality.delete_expired(expiry).await.unwrap(), 0);
    let own = municipality
        .save(content("m1", "RSSMRA85T10A562S", "{}"), later)
        .await
        .unwrap();
    assert_eq!(own.id, "m1");

    let soon = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let to_warn = province
        .to_warn(soon, soon + Duration::days(3))
        .await
        .unwrap();
    assert_eq!(
        to_warn.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["d1"]
    );
    assert_eq!(
        province.drafts_of("RSSMRA85T10A562S").await.unwrap().len(),
        1
    );
    assert_eq!(province.delete_expired(expiry).await.unwrap(), 1);
    assert_eq!(
        province
            .find("RSSMRA85T10A562S", "patrocinio")
            .await
            .unwrap(),
        None
    );
    assert!(
        municipality
            .find("RSSMRA85T10A562S", "patrocinio")
            .await
            .unwrap()
            .is_some(),
        "the municipality's draft outlives the province's purge"
    );
}

fn session(id: &str, name_id: &str, index: &str, at: chrono::DateTime<Utc>) -> StoredSession {
    StoredSession {
        id: id.into(),
        principal: "{}".into(),
        csrf: format!("csrf-{id}"),
        saml: Some(SamlSession {
            idp: "https://idp.example".into(),
            name_id: name_id.into(),
            name_qualifier: "https://idp.example".into(),
            session_index: Some(index.into()),
        }),
        created_at: at,
        expires_at: at + Duration::minutes(30),
    }
}

#[tokio::test]
async fn sessions_end_by_time_by_logout_and_by_the_idp_naming_exactly_them() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let db = istanze_server::db::connect(&url, 4, None).await.unwrap();
    let province = scoped(&db, "p_es");
    let municipality = scoped(&db, "c_b999");
    let t0 = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
    let long_ago = t0 - Duration::hours(12);
    for s in [
        session("a", "mario", "s1", t0),
        session("b", "mario", "s2", t0),
        session("c", "lucia", "s1", t0),
    ] {
        province.open(s).await.unwrap();
    }
    municipality
        .open(session("m", "mario", "s1", t0))
        .await
        .unwrap();

    let a = province.live("a", t0, long_ago).await.unwrap().unwrap();
    assert_eq!(
        (a.csrf.as_str(), a.saml.unwrap().session_index),
        ("csrf-a", Some("s1".into()))
    );
    assert_eq!(
        municipality.live("a", t0, long_ago).await.unwrap(),
        None,
        "not the municipality's"
    );
    assert_eq!(
        province
            .live("a", t0 + Duration::minutes(31), long_ago)
            .await
            .unwrap(),
        None,
        "idle past its end"
    );
    assert_eq!(
        province.live("a", t0, t0).await.unwrap(),
        None,
        "begun before the absolute limit"
    );
    province.extend("a", t0 + Duration::hours(1)).await.unwrap();
    assert!(province
        .live("a", t0 + Duration::minutes(45), long_ago)
        .await
        .unwrap()
        .is_some());

    // The IdP ends Mario's session s1: not his other one, not Lucia's s1, not the municipality's.
    assert_eq!(
        province
            .close_saml("https://idp.example", "mario", Some("s1"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(province.live("a", t0, long_ago).await.unwrap(), None);
    for (store, id) in [(&province, "b"), (&province, "c"), (&municipality, "m")] {
        assert!(
            store.live(id, t0, long_ago).await.unwrap().is_some(),
            "{id} survives"
        );
    }
    // Without a SessionIndex, every session of the NameID at that IdP.
    assert_eq!(
        province
            .close_saml("https://idp.example", "mario", None)
            .await
            .unwrap(),
        1
    );
    province.close("c").await.unwrap();
    assert_eq!(province.live("c", t0, long_ago).await.unwrap(), None);

    assert_eq!(
        province
            .purge_expired(t0 + Duration::hours(2))
            .await
            .unwrap(),
        0,
        "none left"
    );
    assert_eq!(
        municipality
            .purge_expired(t0 + Duration::hours(2))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn an_application_is_stored_once_filed_once_and_seen_only_by_its_owner_here() {
    use istanze_server::store::submissions::{self, Filed, Inserted, Submission, SubmissionStore};
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let db = istanze_server::db::connect(&url, 4, None).await.unwrap();
    let province = scoped(&db, "p_es");
    let municipality = scoped(&db, "c_b999");
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
    let row = |id: &str, owner: &str, at| Submission {
        // The store writes its own administration and status, whatever it is given.
        administration: "ignored".into(),
        status: "anything".into(),
        ..istanze_tests::rows::submission(id, owner, at)
    };
    let insert = |r: Submission| {
        let province = province.clone();
        async move {
            let txn = province.begin().await.unwrap();
            let out = submissions::insert_in(&txn, province.id(), r)
                .await
                .unwrap();
            txn.commit().await.unwrap();
            out
        }
    };
    let Inserted::New(first) = insert(row("s1", "RSSMRA85T10A562S", now)).await else {
        panic!("the first insert is new");
    };
    assert_eq!(
        (first.administration.as_str(), first.status.as_str()),
        ("p_es", "filing")
    );
    assert!(matches!(
        insert(row("s1", "BNCLCU92M55F205G", now)).await,
        Inserted::Duplicate
    ));
    insert(row("s2", "RSSMRA85T10A562S", now + Duration::minutes(5))).await;

    let mine = province.submitted_by("RSSMRA85T10A562S").await.unwrap();
    assert_eq!(
        mine.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["s2", "s1"],
        "newest first"
    );
    assert_eq!(
        province.owned("BNCLCU92M55F205G", "s1").await.unwrap(),
        None,
        "not Lucia's"
    );
    assert_eq!(municipality.get("s1").await.unwrap(), None);
    assert!(municipality
        .submitted_by("RSSMRA85T10A562S")
        .await
        .unwrap()
        .is_empty());

    let filed = Filed {
        register: "PROT",
        year: 2026,
        number: 7,
        at: now,
        segnatura: "<Segnatura/>",
    };
    let txn = municipality.begin().await.unwrap();
    assert!(
        !submissions::record_filed_in(&txn, municipality.id(), "s1", &filed)
            .await
            .unwrap(),
        "another administration cannot file it"
    );
    txn.commit().await.unwrap();
    let txn = province.begin().await.unwrap();
    assert!(
        submissions::record_filed_in(&txn, province.id(), "s1", &filed)
            .await
            .unwrap()
    );
    txn.commit().await.unwrap();
    let s1 = province
        .owned("RSSMRA85T10A562S", "s1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            s1.status.as_str(),
            s1.protocol_number,
            s1.protocol_register.as_deref()
        ),
        ("filed", Some(7), Some("PROT"))
    );
}
