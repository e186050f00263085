//! Random bytes, hex and digests. Identifiers and tokens are drawn through [`crate::ids::Ids`]
//! in the application state; [`token`] is its secure source.

use rand::RngCore;

/// `bytes` random bytes as lower-case hex.
pub fn token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex(&buf)
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of data, hex.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(data))
}
