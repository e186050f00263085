//! Drafts as storage: a save replaces the citizen's draft of the form and keeps its id, the
//! expiry warning is claimed once, and another administration reaches none of it.

use chrono::{Duration, TimeZone, Utc};
use istanze_server::store::drafts::{DraftContent, DraftStore};
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
    assert!(municipality.all().await.unwrap().is_empty());
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
        province.of_owner("RSSMRA85T10A562S").await.unwrap().len(),
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
