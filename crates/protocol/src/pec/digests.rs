//! The digest algorithms a PEC envelope's PKCS#7 SignedData may name, checked before OpenSSL
//! verifies it.
//!
//! Why: an unknown algorithm in `digestAlgorithms` makes OpenSSL 3.0's `PKCS7_verify` fail in
//! `PKCS7_dataInit` and leak the content buffer it allocated (found by the `pec_message` fuzz
//! target: 272 bytes a message, for anyone who can put a message in the inbox). An allow-list
//! also keeps weak digests out. The walk reads the DER that OpenSSL re-encodes, so BER's
//! indefinite lengths in what providers send need no handling here.

use crate::error::{ProtocolError, Result};

/// SHA-256, SHA-384 and SHA-512 (2.16.840.1.101.3.4.2.1-3), as DER OID contents.
const ALLOWED: [&[u8]; 3] = [
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02],
    &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03],
];

/// Refuses a SignedData (ContentInfo, DER) whose digestAlgorithms are empty or name anything
/// but SHA-256/384/512.
pub(crate) fn check(der: &[u8]) -> Result<()> {
    let malformed = || ProtocolError::PecSignature("PKCS#7 structure not as expected".into());
    let (content_info, _) = tlv(der, 0x30).ok_or_else(malformed)?;
    let (_content_type, rest) = tlv(content_info, 0x06).ok_or_else(malformed)?;
    let (explicit, _) = tlv(rest, 0xa0).ok_or_else(malformed)?;
    let (signed_data, _) = tlv(explicit, 0x30).ok_or_else(malformed)?;
    let (_version, rest) = tlv(signed_data, 0x02).ok_or_else(malformed)?;
    let (mut algorithms, _) = tlv(rest, 0x31).ok_or_else(malformed)?;
    if algorithms.is_empty() {
        return Err(ProtocolError::PecSignature("no digest algorithm".into()));
    }
    while !algorithms.is_empty() {
        let (identifier, rest) = tlv(algorithms, 0x30).ok_or_else(malformed)?;
        let (oid, _) = tlv(identifier, 0x06).ok_or_else(malformed)?;
        if !ALLOWED.contains(&oid) {
            return Err(ProtocolError::PecSignature(format!(
                "digest algorithm not allowed: {}",
                dotted(oid)
            )));
        }
        algorithms = rest;
    }
    Ok(())
}

/// One DER element with the expected tag: its contents and what follows it.
fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    let (len, rest) = if len < 0x80 {
        (usize::from(len), rest)
    } else {
        // Up to four length bytes: far more than the signature part's own bound.
        let n = usize::from(len & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// An OID's contents in dotted form, for the operator's log line.
fn dotted(oid: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &b in oid {
        value = value
            .saturating_mul(128)
            .saturating_add(u64::from(b & 0x7f));
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SignedData prefix with the given digest algorithm OIDs (contents only).
    fn signed_data(oids: &[&[u8]]) -> Vec<u8> {
        fn wrap(tag: u8, content: &[u8]) -> Vec<u8> {
            assert!(content.len() < 0x80);
            let mut v = vec![tag, content.len() as u8];
            v.extend_from_slice(content);
            v
        }
        let set: Vec<u8> = oids
            .iter()
            .flat_map(|o| wrap(0x30, &[wrap(0x06, o), vec![0x05, 0x00]].concat()))
            .collect();
        let sd = wrap(0x30, &[wrap(0x02, &[1]), wrap(0x31, &set)].concat());
        let oid_signed = wrap(
            0x06,
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02],
        );
        wrap(0x30, &[oid_signed, wrap(0xa0, &sd)].concat())
    }

    #[test]
    fn sha2_digests_pass_and_anything_else_is_named() {
        check(&signed_data(&[ALLOWED[0], ALLOWED[2]])).unwrap();
        let sha1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
        match check(&signed_data(&[ALLOWED[0], sha1])) {
            Err(ProtocolError::PecSignature(why)) => {
                assert_eq!(why, "digest algorithm not allowed: 1.3.14.3.2.26")
            }
            other => panic!("{other:?}"),
        }
        // What the fuzzer found: a sha256 OID with one arc changed.
        let mutated: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0xcd, 0x03, 0x04, 0x02, 0x01];
        match check(&signed_data(&[mutated])) {
            Err(ProtocolError::PecSignature(why)) => {
                assert_eq!(why, "digest algorithm not allowed: 2.16.840.1.9859.4.2.1")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_empty_or_truncated_structure_is_refused() {
        match check(&signed_data(&[])) {
            Err(ProtocolError::PecSignature(why)) => assert_eq!(why, "no digest algorithm"),
            other => panic!("{other:?}"),
        }
        let whole = signed_data(&[ALLOWED[0]]);
        for cut in 0..whole.len() {
            match check(&whole[..cut]) {
                Err(ProtocolError::PecSignature(why)) => {
                    assert_eq!(why, "PKCS#7 structure not as expected", "cut at {cut}")
                }
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
    }
}
