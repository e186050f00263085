//! Italian formats a form designer can use on string fields: `partita-iva`, `iban`, `cap`,
//! `telefono` (besides `codice-fiscale` and the standard `email`, `date`, `date-time`, `uri`).
//!
//! ```
//! use istanze_forms::formats::{is_iban, is_partita_iva};
//! assert!(is_partita_iva("01234567897"));
//! assert!(is_iban("IT60 X054 2811 1010 0000 0123 456"));
//! assert!(!is_iban("IT60X0542811101000000123457"));
//! ```

/// An Italian VAT number: 11 digits, the last one the check digit (Luhn variant of DM 23/12/1976).
pub fn is_partita_iva(value: &str) -> bool {
    let digits: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
    if value.len() != 11 || digits.len() != 11 {
        return false;
    }
    let sum: u32 = digits[..10]
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                *d
            } else {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            }
        })
        .sum();
    (10 - sum % 10) % 10 == digits[10]
}

/// An IBAN (ISO 13616): country code, check digits verified by mod 97; spaces allowed. Italian
/// IBANs must be 27 characters long.
pub fn is_iban(value: &str) -> bool {
    let compact: String = value.chars().filter(|c| *c != ' ').collect();
    let bytes = compact.as_bytes();
    if !(15..=34).contains(&bytes.len())
        || !bytes[..2].iter().all(u8::is_ascii_uppercase)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
        || !bytes
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    {
        return false;
    }
    if compact.starts_with("IT") && bytes.len() != 27 {
        return false;
    }
    let rotated = bytes[4..].iter().chain(&bytes[..4]);
    let mut rest: u32 = 0;
    for b in rotated {
        let v = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
        rest = if v >= 10 {
            (rest * 100 + v) % 97
        } else {
            (rest * 10 + v) % 97
        };
    }
    rest == 1
}

/// An Italian postcode: five digits.
pub fn is_cap(value: &str) -> bool {
    value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit())
}

/// A telephone number: an optional `+`, then 6 to 15 digits, spaces allowed between them.
pub fn is_telefono(value: &str) -> bool {
    let rest = value.strip_prefix('+').unwrap_or(value);
    let digits = rest.chars().filter(char::is_ascii_digit).count();
    rest.chars().all(|c| c.is_ascii_digit() || c == ' ') && (6..=15).contains(&digits)
}

/// The Italian civil time offset (hours east of UTC) at a UTC instant: the EU rule (summer time
/// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October). The
/// register's crate computes the same rule (`istanze_protocol::rome`); this crate cannot depend
/// on it, and a form needs no more than the offset.
fn rome_offset_hours(utc: chrono::NaiveDateTime) -> i32 {
    use chrono::{Datelike, NaiveDate, Weekday};
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(utc.year(), month + 1, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or_default();
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or_default();
        }
        d.and_hms_opt(1, 0, 0).unwrap_or_default()
    };
    if utc >= last_sunday(3) && utc < last_sunday(10) {
        2
    } else {
        1
    }
}

/// The value of a `datetime-local` input (`2026-12-01T10:30`, Italian time) as the RFC 3339
/// text JSON Schema's `date-time` wants, with the Italian offset of that moment.
///
/// ```
/// use istanze_forms::formats::from_local_input;
/// assert_eq!(from_local_input("2026-12-01T10:30").as_deref(), Some("2026-12-01T10:30:00+01:00"));
/// assert_eq!(from_local_input("2026-07-01T10:30").as_deref(), Some("2026-07-01T10:30:00+02:00"));
/// assert_eq!(from_local_input("domani"), None);
/// assert_eq!(from_local_input("-262143-01-01T00:00"), None);
/// ```
pub fn from_local_input(text: &str) -> Option<String> {
    use chrono::Datelike;
    let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        // Four-digit years only: chrono reads any signed year, and its extremes overflow.
        .filter(|t| (1000..=9999).contains(&t.year()))?;
    // The offset depends on the UTC instant; winter time first, as at the ambiguous hour.
    let winter = local.checked_sub_signed(chrono::Duration::hours(1))?;
    let hours = if rome_offset_hours(winter) == 1 { 1 } else { 2 };
    Some(format!("{}+0{hours}:00", local.format("%Y-%m-%dT%H:%M:%S")))
}

/// An RFC 3339 `date-time` as a `datetime-local` input shows it, in Italian time.
pub fn to_local_input(text: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    let utc = t.naive_utc();
    let local =
        utc.checked_add_signed(chrono::Duration::hours(i64::from(rome_offset_hours(utc))))?;
    Some(local.format("%Y-%m-%dT%H:%M").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_italian_formats() {
        assert!(is_partita_iva("01234567897"));
        assert!(!is_partita_iva("01234567890"));
        assert!(!is_partita_iva("0123456789"));
        assert!(is_iban("IT60X0542811101000000123456"));
        assert!(is_iban("GB82 WEST 1234 5698 7654 32"));
        assert!(
            !is_iban("IT60X054281110100000012345"),
            "Italian IBANs have 27 characters"
        );
        assert!(!is_iban("it60x0542811101000000123456"));
        assert!(is_cap("00184") && !is_cap("0018") && !is_cap("0018a"));
        assert!(is_telefono("+39 06 1234567") && is_telefono("3331234567"));
        assert!(!is_telefono("+39 06 123-4567") && !is_telefono("12345"));
    }
}
