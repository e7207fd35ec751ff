//! Who the client really is: its address, seen through the reverse proxies the configuration trusts.
//!
//! Behind a reverse proxy every request comes from the proxy's address, so the lock-out per address would lock out
//! everyone at once and the audit trail would name the proxy. `X-Forwarded-For` and `Forwarded` are read only when
//! the connection comes from a trusted proxy (`trusted_proxies`: addresses or CIDR ranges); otherwise anyone could
//! claim any address. The chain is read from the right, skipping trusted hops, so a client cannot prepend a forged
//! address of its own.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

/// The address of the peer that opened the connection (the proxy, when there is one).
pub fn peer(parts: &Parts) -> Option<IpAddr> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip())
}

/// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest untrusted hop it forwarded.
pub fn address(parts: &Parts, trusted: &[IpNet]) -> String {
    let Some(peer) = peer(parts) else { return "unknown".to_owned() };
    real_address(peer, &parts.headers, trusted).to_string()
}

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&ip))
}

pub(crate) fn real_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let hops = forwarded_hops(headers);
    // From the right: the last hop was added by the nearest proxy; skip the trusted ones.
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if is_trusted(*ip, trusted) => continue,
            Some(ip) => return *ip,
            // An unreadable hop: stop trusting the chain there.
            None => return peer,
        }
    }
    peer
}

/// The client addresses the proxies recorded, oldest first: `Forwarded: for=` when present (RFC 7239), else
/// `X-Forwarded-For`. `None` stands for an entry that is not an address (obfuscated, "unknown", garbage).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers.get_all("forwarded").iter().filter_map(|v| v.to_str().ok()).collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.trim().split_once('=')?;
                    k.trim().eq_ignore_ascii_case("for").then(|| parse_node(v.trim()))
                })?
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| parse_node(s.trim()))
        .collect()
}

/// An address as proxies write it: `192.0.2.1`, `"[2001:db8::1]:4711"`, `192.0.2.1:8080`.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let s = raw.trim_matches('"');
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    s.parse::<SocketAddr>().ok().map(|a| a.ip())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_headers_count_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(real_address(proxy, &h, &[]), proxy, "nothing trusted: the peer");
        assert_eq!(real_address(proxy, &h, &nets(&["10.0.0.0/24"])).to_string(), "203.0.113.7");
        let stranger: IpAddr = "198.51.100.9".parse().unwrap();
        assert_eq!(real_address(stranger, &h, &nets(&["10.0.0.0/24"])), stranger, "an untrusted peer cannot claim");
    }

    #[test]
    fn a_client_cannot_prepend_a_forged_address() {
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real one.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7")]);
        assert_eq!(real_address(proxy, &h, &nets(&["127.0.0.1/32"])).to_string(), "203.0.113.7");
        // Two trusted proxies in a row.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7, 10.0.0.2")]);
        assert_eq!(real_address(proxy, &h, &nets(&["127.0.0.1/32", "10.0.0.0/8"])).to_string(), "203.0.113.7");
    }

    #[test]
    fn the_forwarded_header_is_read_with_its_quoting() {
        let proxy: IpAddr = "::1".parse().unwrap();
        let h = headers(&[("forwarded", "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"")]);
        assert_eq!(real_address(proxy, &h, &nets(&["::1/128"])).to_string(), "2001:db8:cafe::17");
        let h = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(real_address(proxy, &h, &nets(&["::1/128"])), proxy);
    }
}
