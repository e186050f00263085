//! `[rate_limit]`: per-client limits on the anonymous endpoints (see `web::ratelimit`), and
//! the check of `server.trusted_proxies`, which say who the client is.

use serde::{Deserialize, Serialize};

use super::ConfigError;

/// A token bucket: `burst` requests at once, refilled at `per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub per_minute: u32,
    pub burst: u32,
}

impl Limit {
    const fn new(per_minute: u32, burst: u32) -> Limit {
        Limit { per_minute, burst }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitSettings {
    /// Unset: on outside demo mode, off in demo mode (a single person on loopback; the tests
    /// run many logins in a row). Set it to force either.
    pub enabled: Option<bool>,
    /// Client addresses remembered per endpoint group. An attacker rotating addresses fills
    /// the map; beyond this size the idle entries are forgotten first, so memory stays bound.
    pub max_clients: usize,
    /// `/spid/login`.
    pub login: Limit,
    /// `/spid/acs`.
    pub acs: Limit,
    /// `/spid/slo`.
    pub slo: Limit,
    /// `/spid/metadata`, `/cie/metadata`.
    pub metadata: Limit,
    /// `/demo-idp/*` (demo mode only).
    pub demo_idp: Limit,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        // A citizen needs a handful of logins an hour; an office behind one NAT address a few
        // dozen a minute at most. Metadata is fetched by federations a few times a day.
        RateLimitSettings {
            enabled: None,
            max_clients: 10_000,
            login: Limit::new(30, 10),
            acs: Limit::new(30, 10),
            slo: Limit::new(30, 10),
            metadata: Limit::new(60, 20),
            demo_idp: Limit::new(120, 40),
        }
    }
}

impl RateLimitSettings {
    /// Whether the limits apply on a server in (or not in) demo mode.
    pub fn active(&self, demo: bool) -> bool {
        self.enabled.unwrap_or(!demo)
    }

    pub(super) fn check(&self) -> Result<(), ConfigError> {
        if !(16..=10_000_000).contains(&self.max_clients) {
            return Err(ConfigError::Invalid(
                "rate_limit.max_clients must be between 16 and 10000000".into(),
            ));
        }
        let groups = [
            ("login", self.login),
            ("acs", self.acs),
            ("slo", self.slo),
            ("metadata", self.metadata),
            ("demo_idp", self.demo_idp),
        ];
        for (name, limit) in groups {
            if !(1..=1_000_000).contains(&limit.per_minute) || !(1..=100_000).contains(&limit.burst)
            {
                return Err(ConfigError::Invalid(format!(
                    "rate_limit.{name}: per_minute must be between 1 and 1000000, burst between 1 and 100000"
                )));
            }
        }
        Ok(())
    }
}

/// Each entry an address or a CIDR range; none in demo mode, which refuses proxied requests.
pub(super) fn check_trusted_proxies(list: &[String], demo: bool) -> Result<(), ConfigError> {
    for proxy in list {
        crate::web::client_addr::Cidr::parse(proxy)
            .map_err(|e| ConfigError::Invalid(format!("server.trusted_proxies: {e}")))?;
    }
    if demo && !list.is_empty() {
        return Err(ConfigError::Invalid(
            "demo mode only serves the local machine directly: server.trusted_proxies must be empty"
                .into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_by_default_outside_demo_only_and_zero_limits_are_refused() {
        let s = RateLimitSettings::default();
        assert!(s.active(false));
        assert!(!s.active(true));
        let forced = RateLimitSettings {
            enabled: Some(true),
            ..RateLimitSettings::default()
        };
        assert!(forced.active(true));
        let zero = RateLimitSettings {
            acs: Limit::new(30, 0),
            ..RateLimitSettings::default()
        };
        let err = zero.check().unwrap_err().to_string();
        assert!(err.contains("rate_limit.acs"), "{err}");
        assert!(RateLimitSettings::default().check().is_ok());
    }
}
