//! Who is asking: the client's address for the rate limits, and the demo's refusal of
//! requests that came through a proxy.
//!
//! The address is the TCP peer's, unless the peer is one of `server.trusted_proxies`: then it
//! is the right-most address of `X-Forwarded-For` (or `Forwarded: for=`) that is not itself a
//! trusted proxy. Everything left of it was written by the client and proves nothing.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, FORWARDED};
use actix_web::web;

use crate::error::ServerError;
use crate::state::AppState;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// An address range: an address and how many leading bits of it count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `192.0.2.1`, `10.0.0.0/8`, `2001:db8::/32`.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (ip, prefix) = match text.split_once('/') {
            Some((ip, prefix)) => (ip, Some(prefix)),
            None => (text, None),
        };
        let addr = ip
            .parse::<IpAddr>()
            .map_err(|_| format!("{text:?} is not an IP address or a CIDR range"))?
            .to_canonical();
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(|| format!("{text:?}: the prefix length must be 0 to {bits}"))?,
        };
        Ok(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let (net, ip, bits) = match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(i)) => {
                (u128::from(u32::from(n)), u128::from(u32::from(i)), 32u32)
            }
            (IpAddr::V6(n), IpAddr::V6(i)) => (u128::from(n), u128::from(i), 128),
            _ => return false,
        };
        let host_bits = bits - u32::from(self.prefix);
        // Shifting a u128 by 128 would overflow: a /0 range matches everything.
        let mask = u128::MAX.checked_shl(host_bits).unwrap_or(0);
        (net ^ ip) & mask == 0
    }
}

/// The reverse proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// The configured list (already checked at start-up; a bad entry is refused again here).
    pub fn parse(list: &[String]) -> Result<TrustedProxies, String> {
        list.iter()
            .map(|s| Cidr::parse(s))
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client's address for a request from `peer` with these headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let chains = [
            joined(headers, &X_FORWARDED_FOR).map(|v| x_forwarded_for(&v)),
            joined(headers, &FORWARDED).map(|v| forwarded_for(&v)),
        ];
        let mut found = None;
        for chain in chains.into_iter().flatten() {
            let candidate = self.rightmost_untrusted(peer, &chain);
            match found {
                None => found = Some(candidate),
                // Our proxy wrote one of the two, the client perhaps the other, and we cannot
                // tell which: the proxy itself answers for the request.
                Some(other) if other != candidate => return peer,
                Some(_) => {}
            }
        }
        found.unwrap_or(peer)
    }

    /// Walks the hops from the nearest: the first one that is not a trusted proxy is the
    /// client. An entry that is no address (`unknown`, an obfuscated name) stops the walk at
    /// the proxy that wrote it.
    fn rightmost_untrusted(&self, peer: IpAddr, chain: &[Option<IpAddr>]) -> IpAddr {
        let mut nearest = peer;
        for hop in chain.iter().rev() {
            match hop {
                Some(ip) if self.trusts(*ip) => nearest = *ip,
                Some(ip) => return *ip,
                None => return nearest,
            }
        }
        nearest
    }
}

/// All the values of a header, in order, as one comma-separated list (RFC 9110 §5.3).
fn joined(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .map(|v| v.to_str().unwrap_or("?"))
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// `203.0.113.7, 198.51.100.2` (some proxies add a port, or brackets around IPv6).
fn x_forwarded_for(value: &str) -> Vec<Option<IpAddr>> {
    value.split(',').map(node).collect()
}

/// `for=192.0.2.60;proto=https, for="[2001:db8::17]:4711"` (RFC 7239): one element per hop.
fn forwarded_for(value: &str) -> Vec<Option<IpAddr>> {
    value
        .split(',')
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, v)| node(v))
        })
        .collect()
}

/// One hop's address: `192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]`, `[2001:db8::1]:80`,
/// `2001:db8::1`, possibly quoted.
fn node(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    if let Some(rest) = text.strip_prefix('[') {
        let inside = rest.split(']').next()?;
        return inside.parse::<IpAddr>().ok().map(|ip| ip.to_canonical());
    }
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

/// The TCP peer of a request (unspecified when there is none, as in some unit tests).
pub(crate) fn peer(req: &ServiceRequest) -> IpAddr {
    req.peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip())
}

/// Demo mode promises that only the local machine reaches the demo; a request that names a
/// client through a proxy breaks that promise, whatever the bound address.
pub(super) fn refuse_proxied_demo<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<BoxBody>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody + 'static,
{
    let demo = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.demo());
    let proxied =
        req.headers().contains_key(FORWARDED) || req.headers().contains_key(X_FORWARDED_FOR);
    let next = if demo && proxied {
        let refusal = super::error_response(req.path(), ServerError::ProxiedDemo);
        Err(req.into_response(refusal))
    } else {
        Ok(srv.call(req))
    };
    async move {
        match next {
            Ok(fut) => fut.await.map(ServiceResponse::map_into_boxed_body),
            Err(refused) => Ok(refused),
        }
    }
}

/// The client address of a request as the audit log records it: the peer, or the client a
/// trusted proxy names.
pub(crate) fn origin_of(state: &crate::state::AppState, req: &actix_web::HttpRequest) -> String {
    let proxies = TrustedProxies::parse(&state.settings.server.trusted_proxies).unwrap_or_default();
    let peer = req
        .peer_addr()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip());
    proxies.client(peer, req.headers()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        h
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn ranges_parse_and_match() {
        let net = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "IPv4-mapped IPv6 peer");
        assert!(!net.contains(ip("2001:db8::1")));
        let one = Cidr::parse("192.0.2.1").unwrap();
        assert!(one.contains(ip("192.0.2.1")));
        assert!(!one.contains(ip("192.0.2.2")));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains(ip("203.0.113.1")));
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "10.0.0",
            "proxy.example",
            "10.0.0.0/x",
            "",
        ] {
            assert!(Cidr::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let p = proxies(&["10.0.0.1"]);
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.9"),
            ("forwarded", "for=198.51.100.9"),
        ]);
        assert_eq!(p.client(ip("203.0.113.5"), &h), ip("203.0.113.5"));
        assert_eq!(
            TrustedProxies::default().client(ip("10.0.0.1"), &h),
            ip("10.0.0.1"),
            "no proxy trusted: headers are never read"
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() {
        let p = proxies(&["10.0.0.0/8"]);
        let peer = ip("10.0.0.1");
        assert_eq!(
            p.client(peer, &headers(&[("x-forwarded-for", "203.0.113.7")])),
            ip("203.0.113.7")
        );
        // The client wrote the left-most values itself: they are ignored.
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4, 192.0.2.99, 203.0.113.7")]);
        assert_eq!(p.client(peer, &spoofed), ip("203.0.113.7"));
        // A chain of our own proxies is skipped.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7, 10.2.3.4")]);
        assert_eq!(p.client(peer, &chain), ip("203.0.113.7"));
        // Several header lines are one list, in order.
        let lines = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.8"),
        ]);
        assert_eq!(p.client(peer, &lines), ip("203.0.113.8"));
        // Ports and brackets.
        let ported = headers(&[("x-forwarded-for", "[2001:db8::5]:443")]);
        assert_eq!(p.client(peer, &ported), ip("2001:db8::5"));
        let ported = headers(&[("x-forwarded-for", "203.0.113.9:5555")]);
        assert_eq!(p.client(peer, &ported), ip("203.0.113.9"));
        // No header: the proxy itself.
        assert_eq!(p.client(peer, &HeaderMap::new()), peer);
    }

    #[test]
    fn the_forwarded_header_is_read_like_x_forwarded_for() {
        let p = proxies(&["10.0.0.1"]);
        let peer = ip("10.0.0.1");
        let h = headers(&[(
            "forwarded",
            r#"for=1.2.3.4;proto=https, For="[2001:db8:cafe::17]:4711";by=10.0.0.1"#,
        )]);
        assert_eq!(p.client(peer, &h), ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "for=1.2.3.4, for=192.0.2.60:8080;proto=http")]);
        assert_eq!(p.client(peer, &h), ip("192.0.2.60"));
    }

    #[test]
    fn unreadable_or_conflicting_headers_fall_back_to_the_proxy() {
        let p = proxies(&["10.0.0.1", "10.0.0.2"]);
        let peer = ip("10.0.0.1");
        // `unknown` where the client should be: the proxy that wrote it answers.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, unknown, 10.0.0.2")]);
        assert_eq!(p.client(peer, &h), ip("10.0.0.2"));
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(p.client(peer, &h), peer);
        // The client added a `Forwarded` header our proxy does not manage: the two disagree,
        // and neither is believed.
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.7"),
            ("forwarded", "for=198.51.100.1"),
        ]);
        assert_eq!(p.client(peer, &h), peer);
        // Both agree: fine.
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.7"),
            ("forwarded", "for=203.0.113.7"),
        ]);
        assert_eq!(p.client(peer, &h), ip("203.0.113.7"));
    }
}
