//! Per-client rate limits on the anonymous endpoints: login start, ACS, SLO, metadata and the
//! demo IdP. One token bucket per client address and endpoint group, in memory.
//!
//! Our own small bucket rather than `governor`/`actix-governor`: those bring a keyed store
//! without a size bound of its own and more to compile, for what is forty lines here. The
//! clock is a parameter of the bucket logic, so the tests drive it.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};

use super::client_addr::{self, TrustedProxies};
use crate::config::{Limit, RateLimitSettings};
use crate::error::ServerError;

/// One client's bucket.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// The buckets of one endpoint group.
#[derive(Debug)]
pub struct Buckets {
    per_second: f64,
    burst: f64,
    max_clients: usize,
    map: Mutex<HashMap<IpAddr, Bucket>>,
}

impl Buckets {
    pub fn new(limit: Limit, max_clients: usize) -> Buckets {
        Buckets {
            per_second: f64::from(limit.per_minute.max(1)) / 60.0,
            burst: f64::from(limit.burst.max(1)),
            max_clients: max_clients.max(1),
            map: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `client` at `now`; when there is none, how long until there is.
    pub fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        // A panic elsewhere while holding the lock leaves only counters behind: still usable.
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        let key = key(client);
        if !map.contains_key(&key) {
            self.make_room(&mut map, now);
        }
        let bucket = map.entry(key).or_insert(Bucket {
            tokens: self.burst,
            last: now,
        });
        let tokens = self.tokens_at(bucket, now);
        bucket.last = bucket.last.max(now);
        if tokens >= 1.0 {
            bucket.tokens = tokens - 1.0;
            Ok(())
        } else {
            bucket.tokens = tokens;
            let wait = (1.0 - tokens) / self.per_second;
            Err(Duration::try_from_secs_f64(wait).unwrap_or(Duration::from_secs(60)))
        }
    }

    /// How many clients are remembered.
    pub fn clients(&self) -> usize {
        self.map
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn tokens_at(&self, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        (bucket.tokens + elapsed * self.per_second).min(self.burst)
    }

    /// Keeps the map below `max_clients`. A full bucket is the same as no bucket, so those go
    /// first; if an attacker rotating addresses keeps them all busy, the least recently seen
    /// quarter goes (each of those clients gets a fresh bucket: the bound on memory wins over
    /// the exactness of the limit). Runs once per quarter of the map, so it costs little.
    fn make_room(&self, map: &mut HashMap<IpAddr, Bucket>, now: Instant) {
        if map.len() < self.max_clients {
            return;
        }
        map.retain(|_, b| self.tokens_at(b, now) < self.burst);
        if map.len() < self.max_clients {
            return;
        }
        let mut seen: Vec<Instant> = map.values().map(|b| b.last).collect();
        let cut = seen.len() / 4;
        let (_, threshold, _) = seen.select_nth_unstable(cut);
        let threshold = *threshold;
        map.retain(|_, b| b.last > threshold);
    }
}

/// IPv6 clients get a /64 each (a subscriber's usual allocation), or rotating through the
/// addresses of one's own prefix would be a way around the limit.
fn key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & (u128::MAX << 64);
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
        v4 => v4,
    }
}

/// The endpoint groups that are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Login,
    Acs,
    Slo,
    Metadata,
    DemoIdp,
}

impl Group {
    /// The group of a request path, if it is limited.
    pub fn of(path: &str) -> Option<Group> {
        match path {
            "/spid/login" => Some(Group::Login),
            "/spid/acs" => Some(Group::Acs),
            "/spid/slo" => Some(Group::Slo),
            "/spid/metadata" | "/cie/metadata" => Some(Group::Metadata),
            p if p.starts_with("/demo-idp/") => Some(Group::DemoIdp),
            _ => None,
        }
    }
}

/// The limits of a server, or none when rate limiting is off.
#[derive(Debug)]
pub struct Limiter {
    groups: Option<[Buckets; 5]>,
    proxies: TrustedProxies,
}

impl Limiter {
    pub fn new(settings: &RateLimitSettings, demo: bool, proxies: TrustedProxies) -> Limiter {
        let buckets = |l: Limit| Buckets::new(l, settings.max_clients);
        let groups = settings.active(demo).then(|| {
            [
                buckets(settings.login),
                buckets(settings.acs),
                buckets(settings.slo),
                buckets(settings.metadata),
                buckets(settings.demo_idp),
            ]
        });
        Limiter { groups, proxies }
    }

    fn buckets(&self, group: Group) -> Option<&Buckets> {
        let groups = self.groups.as_ref()?;
        Some(match group {
            Group::Login => &groups[0],
            Group::Acs => &groups[1],
            Group::Slo => &groups[2],
            Group::Metadata => &groups[3],
            Group::DemoIdp => &groups[4],
        })
    }

    /// Whether a request may go on; when not, the seconds to wait (at least one).
    fn admit(&self, req: &ServiceRequest, now: Instant) -> Result<(), u64> {
        // The path as the router sees it (percent-escapes decoded): the raw one would let
        // `/spid/%61cs` reach the ACS outside its limit.
        let routed = req.match_info().as_str();
        let Some(buckets) = Group::of(routed).and_then(|g| self.buckets(g)) else {
            return Ok(());
        };
        let client = self.proxies.client(client_addr::peer(req), req.headers());
        buckets.take(client, now).map_err(|wait| {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            secs.max(1)
        })
    }
}

/// Refuses a request over its limit with 429 and `Retry-After` (the error page, or JSON under
/// `/api`), before any handler or database work.
pub(super) fn middleware<S, B>(
    limiter: &Arc<Limiter>,
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody + 'static,
{
    let next = match limiter.admit(&req, Instant::now()) {
        Ok(()) => Ok(srv.call(req)),
        Err(retry_after) => {
            let refusal =
                super::error_response(req.path(), ServerError::TooManyRequests { retry_after });
            Err(req.into_response(refusal))
        }
    };
    async move {
        match next {
            Ok(fut) => fut.await.map(ServiceResponse::map_into_boxed_body),
            Err(refused) => Ok(refused),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn limit(per_minute: u32, burst: u32) -> Limit {
        Limit { per_minute, burst }
    }

    #[test]
    fn a_bucket_gives_its_burst_then_refills_with_time() {
        let b = Buckets::new(limit(60, 3), 100);
        let t0 = Instant::now();
        let a = ip("203.0.113.1");
        for n in 0..3 {
            assert_eq!(b.take(a, t0), Ok(()), "request {n} within the burst");
        }
        assert_eq!(b.take(a, t0), Err(Duration::from_secs(1)), "one per second");
        // Another client has its own bucket.
        assert_eq!(b.take(ip("203.0.113.2"), t0), Ok(()));
        // Half a second later: still nothing, half a token to go.
        let wait = b.take(a, t0 + Duration::from_millis(500)).unwrap_err();
        assert!(
            wait > Duration::from_millis(490) && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
        assert_eq!(b.take(a, t0 + Duration::from_millis(1000)), Ok(()));
        assert!(b.take(a, t0 + Duration::from_millis(1000)).is_err());
        // A long pause refills only up to the burst.
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(b.take(a, later), Ok(()));
        }
        assert!(b.take(a, later).is_err());
    }

    #[test]
    fn a_slow_refill_announces_the_right_wait() {
        let b = Buckets::new(limit(1, 1), 100);
        let t0 = Instant::now();
        let a = ip("203.0.113.1");
        assert_eq!(b.take(a, t0), Ok(()));
        assert_eq!(b.take(a, t0), Err(Duration::from_secs(60)));
        assert_eq!(
            b.take(a, t0 + Duration::from_secs(45)),
            Err(Duration::from_secs(15))
        );
    }

    #[test]
    fn rotating_addresses_cannot_grow_the_map_past_its_bound() {
        let b = Buckets::new(limit(1, 2), 64);
        let t0 = Instant::now();
        for n in 0..10_000u32 {
            let addr = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + n));
            let now = t0 + Duration::from_millis(u64::from(n));
            assert_eq!(b.take(addr, now), Ok(()), "a new client gets its burst");
            assert!(b.clients() <= 64, "{} clients after {n}", b.clients());
        }
        // A client seen recently keeps its (empty) bucket while the idle ones are dropped.
        let busy = ip("192.0.2.1");
        let now = t0 + Duration::from_secs(20);
        assert_eq!(b.take(busy, now), Ok(()));
        assert_eq!(b.take(busy, now), Ok(()));
        for n in 0..40u32 {
            let addr = IpAddr::V4(std::net::Ipv4Addr::from(0x0b00_0000 + n));
            assert_eq!(
                b.take(addr, now + Duration::from_millis(u64::from(n) + 1)),
                Ok(())
            );
        }
        assert!(
            b.take(busy, now + Duration::from_millis(100)).is_err(),
            "still limited"
        );
    }

    #[test]
    fn full_buckets_are_forgotten_first() {
        let b = Buckets::new(limit(60, 1), 16);
        let t0 = Instant::now();
        for n in 0..16u32 {
            let addr = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + n));
            assert_eq!(b.take(addr, t0), Ok(()));
        }
        assert_eq!(b.clients(), 16);
        // Two seconds on, every bucket has refilled: the next newcomer clears them all.
        assert_eq!(b.take(ip("192.0.2.1"), t0 + Duration::from_secs(2)), Ok(()));
        assert_eq!(b.clients(), 1);
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        let b = Buckets::new(limit(1, 1), 100);
        let t0 = Instant::now();
        assert_eq!(b.take(ip("2001:db8:1:2::1"), t0), Ok(()));
        assert!(b.take(ip("2001:db8:1:2:ffff::9"), t0).is_err());
        assert_eq!(b.take(ip("2001:db8:1:3::1"), t0), Ok(()));
        assert_eq!(key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }

    #[test]
    fn only_the_anonymous_saml_endpoints_are_limited() {
        assert_eq!(Group::of("/spid/login"), Some(Group::Login));
        assert_eq!(Group::of("/spid/acs"), Some(Group::Acs));
        assert_eq!(Group::of("/spid/slo"), Some(Group::Slo));
        assert_eq!(Group::of("/spid/metadata"), Some(Group::Metadata));
        assert_eq!(Group::of("/cie/metadata"), Some(Group::Metadata));
        assert_eq!(Group::of("/demo-idp/sso"), Some(Group::DemoIdp));
        for free in [
            "/",
            "/servizi/patrocinio",
            "/api/v1/forms",
            "/healthz",
            "/spid/acsx",
        ] {
            assert_eq!(Group::of(free), None, "{free}");
        }
    }

    #[test]
    fn off_means_no_bucket_at_all() {
        let off = Limiter::new(
            &RateLimitSettings::default(),
            true,
            TrustedProxies::default(),
        );
        assert!(off.buckets(Group::Acs).is_none());
        let on = Limiter::new(
            &RateLimitSettings::default(),
            false,
            TrustedProxies::default(),
        );
        assert!(on.buckets(Group::Acs).is_some());
    }
}
