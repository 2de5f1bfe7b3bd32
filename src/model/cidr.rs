//! A CIDR a person typed to narrow a world-open rule: checked before any
//! plan uses it, so a narrowing can never re-open what it replaces.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The broadest prefixes a narrowing accepts. Anything shorter covers a
/// large share of the internet (0.0.0.0/1 is half of it), which is not a
/// narrowing of "everyone" in any useful sense.
const MIN_PREFIX_V4: u8 = 8;
const MIN_PREFIX_V6: u8 = 16;

/// A validated IPv4 or IPv6 CIDR, in canonical form (`10.0.0.0/8`,
/// `2001:db8::/32`): never the whole internet, however it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cidr(String);

impl Cidr {
    /// Parse what a person typed. Every refusal says what was wrong and
    /// what would be accepted.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("type a CIDR such as 10.0.0.0/8 or 2001:db8::/32".into());
        }
        let Some((address, prefix)) = text.split_once('/') else {
            return Err(format!(
                "{text} has no prefix length: write a CIDR, e.g. {text}/32"
            ));
        };
        let prefix: u8 = prefix
            .parse()
            .map_err(|_| format!("{text}: the prefix length `{prefix}` is not a number"))?;
        let address: IpAddr = address
            .parse()
            .map_err(|_| format!("{text}: `{address}` is not an IPv4 or IPv6 address"))?;
        checked(text, address, prefix)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_ipv6(&self) -> bool {
        self.0.contains(':')
    }
}

/// The address and prefix as a CIDR, or why they are not one to narrow
/// to. Both families are checked as bits of their own width.
fn checked(text: &str, address: IpAddr, prefix: u8) -> Result<Cidr, String> {
    let (width, min, bits) = match address {
        IpAddr::V4(v4) => (32u8, MIN_PREFIX_V4, u128::from(u32::from(v4))),
        // ::ffff:0:0/96 is every IPv4 address written as IPv6: the IPv4
        // internet under another name. A security group matches IPv4
        // traffic only by its IPv4 ranges, so such a range is refused
        // rather than judged.
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => {
            return Err(format!(
                "{text} is an IPv4-mapped IPv6 range: type the IPv4 CIDR instead"
            ));
        }
        IpAddr::V6(v6) => (128u8, MIN_PREFIX_V6, u128::from(v6)),
    };
    let family = if width == 32 { "IPv4" } else { "IPv6" };
    if prefix > width {
        return Err(format!("{text}: an {family} prefix is at most /{width}"));
    }
    refuse_world(text, prefix)?;
    if prefix < min {
        return Err(too_broad(text, min));
    }
    // Past here 8 <= prefix <= width, so the shift stays below 128.
    let host = (1u128 << (width - prefix)) - 1;
    let network = match address {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from(u32::try_from(bits & !host).unwrap_or(0))),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(bits & !host)),
    };
    if bits & host != 0 {
        return Err(host_bits(text, &format!("{network}/{prefix}")));
    }
    Ok(Cidr(format!("{network}/{prefix}")))
}

fn refuse_world(text: &str, prefix: u8) -> Result<(), String> {
    if prefix == 0 {
        return Err(format!(
            "{text} is the whole internet (/0): name only who needs the database"
        ));
    }
    Ok(())
}

fn too_broad(text: &str, min: u8) -> String {
    format!("{text} is too broad to narrow anything: use /{min} or longer")
}

fn host_bits(text: &str, network: &str) -> String {
    format!("{text} has host bits set: did you mean {network}?")
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Cidr {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Cidr::parse(&text)
    }
}

impl From<Cidr> for String {
    fn from(cidr: Cidr) -> String {
        cidr.0
    }
}

impl std::str::FromStr for Cidr {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Cidr::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        Cidr::parse(text).expect_err(text)
    }

    #[test]
    fn accepts_networks_in_canonical_form() {
        assert_eq!(Cidr::parse(" 10.0.0.0/8 ").unwrap().as_str(), "10.0.0.0/8");
        assert_eq!(
            Cidr::parse("203.0.113.7/32").unwrap().as_str(),
            "203.0.113.7/32"
        );
        let v6 = Cidr::parse("2001:DB8:0:0::/32").unwrap();
        assert_eq!(v6.as_str(), "2001:db8::/32");
        assert!(v6.is_ipv6());
    }

    #[test]
    fn refuses_the_world_however_it_is_written() {
        for world in [
            "0.0.0.0/0",
            "10.1.2.3/0",
            "::/0",
            "0::0/0",
            "2001:db8::/0",
            "0000::/00",
        ] {
            assert!(refused(world).contains("whole internet"), "{world}");
        }
        for mapped in ["::ffff:0:0/96", "::ffff:0.0.0.0/96", "::ffff:10.0.0.0/104"] {
            assert!(refused(mapped).contains("IPv4-mapped"), "{mapped}");
        }
        assert!(refused("0.0.0.0/1").contains("too broad"));
        assert!(refused("::/1").contains("too broad"));
    }

    #[test]
    fn says_what_is_wrong_with_a_malformed_cidr() {
        assert!(refused("").contains("type a CIDR"));
        assert!(refused("10.0.0.1").contains("no prefix length"));
        assert!(refused("10.0.0.0/33").contains("at most /32"));
        assert!(refused("2001:db8::/129").contains("at most /128"));
        assert!(refused("10.0.0.0/x").contains("not a number"));
        assert!(refused("10.0.0.256/32").contains("not an IPv4 or IPv6 address"));
        assert!(refused("010.0.0.0/8").contains("not an IPv4"));
        assert!(refused("office/24").contains("not an IPv4"));
        assert!(refused("10.0.0.5/8").contains("did you mean 10.0.0.0/8?"));
        assert!(refused("2001:db8::1/32").contains("did you mean 2001:db8::/32?"));
    }

    #[test]
    fn a_saved_cidr_is_checked_again_when_read() {
        assert!(serde_json::from_str::<Cidr>("\"0.0.0.0/0\"").is_err());
        let ok: Cidr = serde_json::from_str("\"10.0.0.0/8\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"10.0.0.0/8\"");
    }
}
