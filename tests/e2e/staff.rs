//! Staff and their roles: granted per administration (and office) from the command line,
//! a staff login only for a person who holds a role at that administration, the roles read
//! again at every request, and the demo's test staff with one role each.

use istanze_server::store::staff::StaffStore;
use istanze_tests::{header, TestApp};
use reqwest::StatusCode;

use crate::administrations::{two_administrations, CITIZEN, MUNICIPALITY};
use crate::cli::{config, run};

const OPERATOR: &str = "MRNLRA82C53L219U";

#[tokio::test]
async fn a_demo_member_of_staff_logs_in_to_the_office_and_sees_their_role() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let acs = app.staff_login(&c, OPERATOR).await;
    assert_eq!(acs.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(&acs, "location"), "/ufficio");
    let page = c.get(app.at("/ufficio")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    // The page escapes apostrophes (as &#39; or &#x27;).
    let text = page
        .text()
        .await
        .unwrap()
        .replace("&#39;", "'")
        .replace("&#x27;", "'");
    assert!(text.contains("Area del personale"), "{text}");
    assert!(
        text.contains("<td>Operatore d'ufficio</td><td>Tutto l'ente</td>"),
        "{text}"
    );
    assert!(
        text.contains("Laura Marino"),
        "the member's name in the header"
    );
    let en = c
        .get(app.at("/ufficio/"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        en.contains("Staff area") && en.contains("Office operator"),
        "{en}"
    );
}

#[tokio::test]
async fn the_demo_idp_lists_one_member_of_staff_for_each_role() {
    let app = TestApp::spawn().await;
    let users: serde_json::Value = app
        .client()
        .get(app.at("/demo-idp/users"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut roles: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["staff_role"].as_str())
        .collect();
    roles.sort_unstable();
    assert_eq!(
        roles,
        [
            "amministratore",
            "operatore",
            "progettista",
            "protocollista",
            "responsabile",
            "revisore"
        ]
    );
    let mario = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["fiscal_number"] == CITIZEN)
        .unwrap();
    assert!(mario["staff_role"].is_null(), "a citizen holds no role");
}

#[tokio::test]
async fn a_citizen_without_a_role_gets_no_session_from_a_staff_login() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let acs = app.staff_login(&c, CITIZEN).await;
    assert_eq!(acs.status(), StatusCode::FORBIDDEN);
    let text = acs.text().await.unwrap();
    assert!(
        text.contains("Non risulti tra il personale abilitato di questo ente"),
        "{text}"
    );
    // Nothing was opened: not the staff's area, nor the citizen's.
    let office = c.get(app.at("/ufficio")).send().await.unwrap();
    assert_eq!(office.status(), StatusCode::UNAUTHORIZED);
    let mine = c.get(app.at("/domande")).send().await.unwrap();
    assert_eq!(mine.status(), StatusCode::SEE_OTHER);
    assert!(header(&mine, "location").starts_with("/accedi"));
}

#[tokio::test]
async fn roles_are_granted_per_administration_and_a_revoked_role_ends_the_staff_session() {
    let app = two_administrations().await;
    let cfg = config(&app.settings);
    let cfg = cfg.to_str().unwrap();
    // Mario is a citizen everywhere until the municipality makes him an operator of an office.
    let (ok, out) = run(&[
        "staff",
        "grant",
        "--config",
        cfg,
        "--ente",
        MUNICIPALITY,
        "--codice-fiscale",
        &CITIZEN.to_lowercase(),
        "--ruolo",
        "operatore",
        "--ufficio",
        "cultura",
    ]);
    assert!(ok, "{out}");
    assert!(out.contains(&format!(
        "{MUNICIPALITY}\t{CITIZEN}\toperatore\tcultura\tgranted"
    )));
    let (ok, out) = run(&["staff", "list", "--config", cfg, "--ente", MUNICIPALITY]);
    assert!(ok, "{out}");
    assert!(
        out.contains(&format!("{CITIZEN}\toperatore\tcultura\tcli:")),
        "{out}"
    );
    let (ok, out) = run(&["staff", "list", "--config", cfg]);
    assert!(ok, "{out}");
    assert!(
        !out.contains(CITIZEN),
        "the province lists only its own staff: {out}"
    );

    // At the province he is still no member of staff; at the municipality he is.
    let province = app.client();
    let refused = app.staff_login(&province, CITIZEN).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let municipality = app.ente(MUNICIPALITY);
    let c = app.client();
    let acs = municipality.staff_login(&c, CITIZEN).await;
    assert_eq!(
        acs.status(),
        StatusCode::SEE_OTHER,
        "{}",
        acs.text().await.unwrap()
    );
    let page = c.get(municipality.at("/ufficio")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Ufficio cultura"));
    // The municipality's staff session is no session at the province.
    let there = c.get(app.at("/ufficio")).send().await.unwrap();
    assert_eq!(there.status(), StatusCode::UNAUTHORIZED);

    // Granted twice: held once.
    let grant_again = [
        "staff",
        "grant",
        "--config",
        cfg,
        "--ente",
        MUNICIPALITY,
        "--codice-fiscale",
        CITIZEN,
        "--ruolo",
        "operatore",
        "--ufficio",
        "cultura",
    ];
    let (ok, out) = run(&grant_again);
    assert!(ok && out.contains("already held"), "{out}");

    // Revoked: the next request of the open session is refused, and says why.
    let mut revoke = grant_again;
    revoke[1] = "revoke";
    let (ok, out) = run(&revoke);
    assert!(ok && out.contains("revoked"), "{out}");
    let page = c.get(municipality.at("/ufficio")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Non risulti tra il personale abilitato"));
    let (ok, out) = run(&revoke);
    assert!(!ok, "nothing left to revoke");
    assert!(
        out.contains("does not hold operatore for office cultura"),
        "{out}"
    );
    let admin = istanze_domain::AdministrationId::parse(MUNICIPALITY).unwrap();
    let left = app
        .state
        .scoped(&admin)
        .grants_of(&istanze_domain::FiscalCode::parse(CITIZEN).unwrap())
        .await
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn the_command_line_names_what_it_refuses() {
    let app = TestApp::spawn().await;
    let cfg = config(&app.settings);
    let cfg = cfg.to_str().unwrap();
    let grant = |cf: &'static str, role: &'static str, office: &'static str| {
        let mut args = vec![
            "staff",
            "grant",
            "--config",
            cfg,
            "--codice-fiscale",
            cf,
            "--ruolo",
            role,
        ];
        if !office.is_empty() {
            args.extend(["--ufficio", office]);
        }
        run(&args)
    };
    let (ok, out) = grant(CITIZEN, "capo", "");
    assert!(!ok && out.contains("unknown role \"capo\""), "{out}");
    let (ok, out) = grant("RSSMRA85T10A562X", "operatore", "");
    assert!(!ok && out.contains("fiscal code"), "{out}");
    let (ok, out) = grant(CITIZEN, "operatore", "Ufficio Cultura");
    assert!(!ok && out.contains("an office code has"), "{out}");
    let (ok, out) = run(&["staff", "list", "--config", cfg]);
    assert!(ok, "{out}");
    assert!(!out.contains(CITIZEN), "nothing was granted: {out}");
}
