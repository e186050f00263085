//! Fuzzes the Assertion Consumer Service input: any bytes, as the SAMLResponse a client posts,
//! through decoding, parsing, signature verification and every check. It must never panic.
#![no_main]

use std::sync::OnceLock;

use base64::Engine;
use chrono::{TimeZone, Utc};
use istanze_auth::keys::{generate, CertificateRequest, SigningKey};
use istanze_auth::saml::acs::{self, Expected};
use istanze_auth::saml::{AttributeSet, IdpDescriptor, Organization, ServiceProvider};
use istanze_auth::Level;
use libfuzzer_sys::fuzz_target;

struct Fixture {
    sp: ServiceProvider,
    idp: IdpDescriptor,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let key = |n: &str| -> SigningKey {
            generate(&CertificateRequest {
                entity_id: format!("https://{n}.example.it"),
                organization: "Fuzz".into(),
                ipa_code: "fuzz".into(),
                locality: "Roma".into(),
                days: 10,
            })
            .expect("key")
        };
        let idp_key = key("idp");
        Fixture {
            sp: ServiceProvider {
                entity_id: "https://istanze.example.it".into(),
                acs_url: "https://istanze.example.it/spid/acs".into(),
                slo_url: "https://istanze.example.it/spid/slo".into(),
                organization: Organization {
                    name: "Fuzz".into(),
                    display_name: "Fuzz".into(),
                    url: "https://www.example.it".into(),
                    ipa_code: "fuzz".into(),
                    municipality: "H501".into(),
                    contact_email: "fuzz@example.it".into(),
                },
                attribute_sets: vec![AttributeSet {
                    name: "F".into(),
                    attributes: vec!["fiscalNumber".into()],
                }],
                key: key("sp"),
                clock_skew: chrono::Duration::seconds(30),
                aggregator: None,
            },
            idp: IdpDescriptor {
                entity_id: "https://idp.example.it".into(),
                display_name: None,
                sso_redirect: "https://idp.example.it/sso".into(),
                slo_redirect: None,
                signing_certs: vec![idp_key.certificate().to_der().expect("der")],
            },
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let posted = base64::engine::general_purpose::STANDARD.encode(data);
    if let Ok(envelope) = acs::decode(&posted) {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let expected = Expected {
            request_id: "_fuzz",
            request_instant: now,
            idp: &f.idp,
            level: Level::SpidL2,
            eidas_node: false,
        };
        let _ = acs::validate(&f.sp, &envelope, &expected, now);
    }
});
