//! Fuzzes the PEC message reader (`istanze_protocol::pec::answers`): any bytes, as a message in
//! the PEC inbox, through MIME parsing, the envelope's S/MIME verification, `daticert.xml` and
//! the answers. Each input is read twice: as it arrives (almost always refused at the
//! signature), and as the content of an envelope correctly signed by a trusted test provider,
//! so that what lies behind the signature is fuzzed too. It must never panic.
#![no_main]

use std::sync::OnceLock;

use chrono::Utc;
use istanze_protocol::pec::test_pki::{Signer, TestCa};
use istanze_protocol::pec::{answers, TrustAnchors};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    anchors: TrustAnchors,
    provider: Signer,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        // Small keys: the signing of every input is what the fuzzer waits for.
        let ca = TestCa::new("Fuzz CA", 1024).expect("CA");
        Fixture {
            anchors: TrustAnchors::from_pem(&ca.cert_pem().expect("pem")).expect("anchors"),
            provider: ca
                .issue("posta-certificata@pec.fuzz.example")
                .expect("provider"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let now = Utc::now();
    let _ = answers(data, &f.anchors, now);
    if let Ok(envelope) = f.provider.multipart_signed(data) {
        let _ = answers(&envelope, &f.anchors, now);
    }
});
