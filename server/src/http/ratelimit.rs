//! Per-client-IP and per-site-key rate limits with the `governor` crate. Written as our own middleware rather than
//! tower_governor so refusals share the API's JSON error body, `Retry-After` and the refusal metric.
//! State is per instance: with N instances behind a load balancer the effective limit is up to N times the
//! configured one (documented in the README).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

pub struct RateLimiters {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_key: DefaultKeyedRateLimiter<String>,
    /// Admin requests per IP, separate and much tighter: a wrong key is refused in microseconds, so without it a
    /// client could try hundreds of keys a second (and write an audit line for each).
    admin: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

fn quota(per_minute: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl RateLimiters {
    pub fn new(per_ip_per_min: u32, per_key_per_min: u32, admin_per_min: u32) -> RateLimiters {
        RateLimiters {
            per_ip: DefaultKeyedRateLimiter::keyed(quota(per_ip_per_min)),
            per_key: DefaultKeyedRateLimiter::keyed(quota(per_key_per_min)),
            admin: DefaultKeyedRateLimiter::keyed(quota(admin_per_min)),
            clock: DefaultClock::default(),
        }
    }

    /// `Err(seconds to wait)` when either limit is exhausted.
    pub fn check(&self, ip: IpAddr, key: Option<&str>) -> Result<(), u64> {
        let wait = |n: governor::NotUntil<_>| n.wait_time_from(self.clock.now()).as_secs_f64().ceil() as u64;
        self.per_ip.check_key(&ip).map_err(wait)?;
        if let Some(k) = key {
            self.per_key.check_key(&k.to_string()).map_err(wait)?;
        }
        Ok(())
    }

    /// `Err(seconds to wait)` when this IP has used up its admin requests.
    pub fn check_admin(&self, ip: IpAddr) -> Result<(), u64> {
        self.admin.check_key(&ip).map_err(|n| n.wait_time_from(self.clock.now()).as_secs_f64().ceil() as u64)
    }

    /// Drops idle entries so the maps do not grow without bound.
    pub fn housekeeping(&self) {
        self.per_ip.retain_recent();
        self.per_key.retain_recent();
        self.admin.retain_recent();
    }
}

/// The client's address: the peer, or — only when the peer is a configured proxy — the right-most address in
/// `X-Forwarded-For` that is not itself a trusted proxy (left-most entries are client-controlled).
pub fn client_ip(peer: SocketAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer.ip()) {
        return peer.ip();
    }
    forwarded_for
        .into_iter()
        .flat_map(|h| h.split(','))
        .rev()
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_trusted_only_from_proxies() {
        let proxy: IpNet = "10.0.0.0/8".parse().unwrap();
        let via_proxy: SocketAddr = "10.1.2.3:5000".parse().unwrap();
        let direct: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        let xff = Some("198.51.100.1, 203.0.113.50, 10.9.9.9");
        assert_eq!(client_ip(via_proxy, xff, &[proxy]).to_string(), "203.0.113.50");
        assert_eq!(client_ip(direct, xff, &[proxy]).to_string(), "203.0.113.9");
        assert_eq!(client_ip(via_proxy, None, &[proxy]).to_string(), "10.1.2.3");
    }

    #[test]
    fn limit_refuses_with_wait_time() {
        let l = RateLimiters::new(2, 100, 1);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(l.check(ip, None).is_ok());
        assert!(l.check(ip, None).is_ok());
        let wait = l.check(ip, None).unwrap_err();
        assert!((1..=30).contains(&wait), "{wait}");
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(l.check(other, None).is_ok(), "limits are per IP");
        assert!(l.check_admin(ip).is_ok() && l.check_admin(ip).is_err(), "admin has its own, tighter limit");
        assert!(l.check_admin(other).is_ok());
    }
}
