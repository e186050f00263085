//! Italian civil time (Europe/Rome): the register's year and dates are Italian.
//!
//! A filing at 23:30 UTC on 31 December is already in the new year in Italy, so the number
//! sequence must restart by Italian time. The EU rule (Directive 2000/84/EC) is simple enough to
//! compute without a time zone database: summer time from 01:00 UTC on the last Sunday of March
//! to 01:00 UTC on the last Sunday of October.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, TimeZone, Utc, Weekday,
};

/// `now` in Italian civil time.
///
/// ```
/// use chrono::{TimeZone, Utc, Datelike};
/// let new_year = istanze_protocol::rome::local(Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap());
/// assert_eq!(new_year.year(), 2027);
/// ```
pub fn local(now: DateTime<Utc>) -> DateTime<FixedOffset> {
    let hours = if is_summer_time(now) { 2 } else { 1 };
    let offset = FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| Utc.fix());
    now.with_timezone(&offset)
}

fn is_summer_time(now: DateTime<Utc>) -> bool {
    let y = now.year();
    let start = last_sunday(y, 3) + Duration::hours(1);
    let end = last_sunday(y, 10) + Duration::hours(1);
    now >= start && now < end
}

/// Midnight UTC of the last Sunday of a month.
fn last_sunday(year: i32, month: u32) -> DateTime<Utc> {
    let mut day = NaiveDate::from_ymd_opt(year, month + 1, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or_default();
    while day.weekday() != Weekday::Sun {
        day = day.pred_opt().unwrap_or_default();
    }
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_at_one_utc_on_the_last_sundays() {
        // 2026: summer time from 29 March to 25 October.
        let t = |m, d, h| {
            local(Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap())
                .offset()
                .local_minus_utc()
                / 3600
        };
        assert_eq!(t(3, 29, 0), 1);
        assert_eq!(t(3, 29, 1), 2);
        assert_eq!(t(10, 25, 0), 2);
        assert_eq!(t(10, 25, 1), 1);
        assert_eq!(t(1, 15, 12), 1);
        assert_eq!(t(7, 15, 12), 2);
    }
}
