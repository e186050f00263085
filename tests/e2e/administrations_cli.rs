//! The command line on an installation of several administrations: `administrations list`,
//! and `protocol verify` for every administration or one.

use istanze_tests::TestApp;

use crate::administrations::{two_administrations, CITIZEN, MUNICIPALITY};

/// `istanze <command> --config <the test server's> <rest>`.
fn istanze(app: &TestApp, args: &[&str]) -> (bool, String) {
    let config = crate::cli::config(&app.settings);
    let config = config.to_str().unwrap();
    let mut all = vec![args[0], "--config", config];
    all.extend_from_slice(&args[1..]);
    crate::cli::run(&all)
}

#[tokio::test]
async fn the_command_line_lists_the_administrations_and_verifies_each_register() {
    let app = two_administrations().await;
    let (ok, list) = istanze(&app, &["administrations", "list"]);
    assert!(ok, "{list}");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(
        lines,
        [
            "p_es\tAOO0001\tPROT\t/enti/p_es/\tProvincia di Esempio\t(default)",
            "c_b999\tAOOB999\tPROT\t/enti/c_b999/\tComune di Borgo Esempio",
        ],
        "{list}"
    );

    let c = app.client();
    let municipality = app.ente(MUNICIPALITY);
    municipality.login(&c, CITIZEN, 2).await;
    for _ in 0..2 {
        let id = municipality.submit_patrocinio(&c).await;
        municipality.wait_for_protocol(&c, &id).await;
    }
    app.login(&c, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&c).await;
    app.wait_for_protocol(&c, &id).await;
    let (ok, verified) = istanze(&app, &["protocol", "verify"]);
    assert!(ok, "{verified}");
    assert!(verified.contains("p_es: 1 entries verified"), "{verified}");
    assert!(
        verified.contains("c_b999: 2 entries verified"),
        "{verified}"
    );
    let (ok, one) = istanze(&app, &["protocol", "--ente", "c_b999", "verify"]);
    assert!(
        ok && one.contains("c_b999: 2 entries verified") && !one.contains("p_es"),
        "{one}"
    );
    let (ok, unknown) = istanze(&app, &["protocol", "--ente", "c_zz99", "verify"]);
    assert!(
        !ok && unknown.contains("no administration with IPA code \"c_zz99\""),
        "{unknown}"
    );
}
