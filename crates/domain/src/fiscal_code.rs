//! The Italian fiscal code (codice fiscale) of a person, with its check character.
//!
//! Rules: DM 23/12/1976 and the omocodia substitutions of the Agenzia delle Entrate, where digits
//! of the code may be replaced by letters (L M N P Q R S T U V) to tell apart people who would
//! otherwise share a code.

use serde::{Deserialize, Serialize};

/// Values of a character in an odd position (1st, 3rd, ...), indexed by digit or letter.
const ODD: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// Letters that may replace a digit in the omocodia positions, in digit order 0-9.
const OMOCODIA: &str = "LMNPQRSTUV";

/// Positions (0-based) that hold digits in a normal code and may hold omocodia letters.
const DIGIT_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

/// An Italian personal fiscal code, checked on construction: 16 characters, the month
/// letter, the day, the check character (omocodia allowed), held in upper case.
///
/// ```
/// use istanze_domain::FiscalCode;
///
/// let cf = FiscalCode::parse("rssmra85t10a562s").unwrap();
/// assert_eq!(cf.as_str(), "RSSMRA85T10A562S");
/// assert!(FiscalCode::parse("RSSMRA85T10A562T").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FiscalCode(String);

/// A text that is not a personal fiscal code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid fiscal code (16 characters with a matching check character)")]
pub struct FiscalCodeError;

impl FiscalCode {
    /// The fiscal code in `code` (any case; no white space).
    pub fn parse(code: &str) -> Result<FiscalCode, FiscalCodeError> {
        if is_valid(code) {
            Ok(FiscalCode(code.to_ascii_uppercase()))
        } else {
            Err(FiscalCodeError)
        }
    }

    /// The code, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FiscalCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for FiscalCode {
    type Error = FiscalCodeError;
    fn try_from(code: String) -> Result<FiscalCode, FiscalCodeError> {
        FiscalCode::parse(&code)
    }
}

impl From<FiscalCode> for String {
    fn from(code: FiscalCode) -> String {
        code.0
    }
}

/// Checks a 16-character personal fiscal code: shape, month letter, day, and check character.
///
/// Lower case is accepted (citizens type it); white space is not.
fn is_valid(code: &str) -> bool {
    let code = code.to_ascii_uppercase();
    let bytes = code.as_bytes();
    if bytes.len() != 16 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    for (i, &b) in bytes.iter().enumerate().take(15) {
        let ok = if DIGIT_POSITIONS.contains(&i) {
            b.is_ascii_digit() || OMOCODIA.as_bytes().contains(&b)
        } else {
            b.is_ascii_uppercase()
        };
        if !ok {
            return false;
        }
    }
    if !b"ABCDEHLMPRST".contains(&bytes[8]) {
        return false;
    }
    let day = decode_digit(bytes[9]) * 10 + decode_digit(bytes[10]);
    if !(1..=31).contains(&day) && !(41..=71).contains(&day) {
        return false;
    }
    check_character(&bytes[..15]) == bytes[15]
}

fn decode_digit(b: u8) -> u32 {
    if b.is_ascii_digit() {
        u32::from(b - b'0')
    } else {
        OMOCODIA
            .bytes()
            .position(|c| c == b)
            .map_or(0, |p| p as u32)
    }
}

/// Computes the check character of the first 15 characters (upper case).
fn check_character(first15: &[u8]) -> u8 {
    let sum: u32 = first15
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let idx = if b.is_ascii_digit() {
                (b - b'0') as usize
            } else {
                (b - b'A') as usize
            };
            // Positions are counted from 1, so index 0 is an odd position.
            if i % 2 == 0 {
                ODD[idx]
            } else {
                idx as u32
            }
        })
        .sum();
    b'A' + (sum % 26) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_codes() {
        // Codes of the SPID test identities and the Agenzia delle Entrate's examples.
        for cf in ["RSSMRA85T10A562S", "MRTMTT25D09F205Z", "rssmra85t10a562s"] {
            assert!(is_valid(cf), "{cf}");
        }
    }

    #[test]
    fn accepts_omocodia() {
        // RSSMRA85T10A562S with its last digit 2 replaced by N: the check character changes.
        let base = b"RSSMRA85T10A56N";
        let c = check_character(base);
        let code = format!("{}{}", std::str::from_utf8(base).unwrap(), c as char);
        assert!(is_valid(&code));
    }

    #[test]
    fn refuses_wrong_check_character_and_shapes() {
        for cf in [
            "RSSMRA85T10A562T",
            "RSSMRA85T10A562",
            "RSSMRA85T10A562SS",
            "RSSMRA85Z10A562S",
            "RSSMRA85T99A562S",
            "RSSMRA8ST10A562S",
            "RSSMRA85T10A56 S",
            "",
        ] {
            assert!(!is_valid(cf), "{cf}");
            assert_eq!(FiscalCode::parse(cf), Err(FiscalCodeError), "{cf}");
        }
    }

    #[test]
    fn serde_checks_the_code() {
        let cf: FiscalCode = serde_json::from_str("\"rssmra85t10a562s\"").unwrap();
        assert_eq!(serde_json::to_string(&cf).unwrap(), "\"RSSMRA85T10A562S\"");
        assert!(serde_json::from_str::<FiscalCode>("\"RSSMRA85T10A562T\"").is_err());
    }
}
