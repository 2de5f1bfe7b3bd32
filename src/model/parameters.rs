//! Parameter groups, as far as rules need them: the few parameters that
//! decide whether the database refuses clients without TLS.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// PostgreSQL, Aurora PostgreSQL and SQL Server: `1` refuses clients
/// without TLS.
pub const FORCE_SSL: &str = "rds.force_ssl";
/// MySQL, MariaDB and Aurora MySQL: `ON` (or `1`) refuses clients without TLS.
pub const REQUIRE_SECURE_TRANSPORT: &str = "require_secure_transport";
/// The parameters a load reads values of; every other one is skipped.
pub const TLS_PARAMETERS: [&str; 2] = [FORCE_SSL, REQUIRE_SECURE_TRANSPORT];

/// A DB parameter group (instances) or a DB cluster parameter group
/// (Aurora and Multi-AZ DB clusters): names can repeat across the two.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ParameterGroupKind {
    #[default]
    Db,
    Cluster,
}

impl ParameterGroupKind {
    pub fn label(self) -> &'static str {
        match self {
            ParameterGroupKind::Db => "DB parameter group",
            ParameterGroupKind::Cluster => "DB cluster parameter group",
        }
    }
}

/// One parameter group of a region, with the values rdsight judges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParameterGroup {
    pub region: String,
    pub name: String,
    pub kind: ParameterGroupKind,
    /// The values AWS reported for [`TLS_PARAMETERS`]. A parameter absent
    /// here was reported without a value: the engine's default applies.
    pub values: BTreeMap<String, String>,
}

impl ParameterGroup {
    /// AWS's own group for an engine family, which cannot be modified.
    pub fn is_default(&self) -> bool {
        is_default_group(&self.name)
    }
}

/// AWS names its default groups `default.<family>` (`default.postgres16`,
/// `default.aurora-mysql8.0`) and refuses names starting with `default`
/// for groups a user creates.
pub fn is_default_group(name: &str) -> bool {
    name.starts_with("default.")
}

/// The parameter that enforces TLS on `engine`, if one does. Oracle
/// (an SSL option in an option group) and Db2 have none.
pub fn tls_parameter(engine: &str) -> Option<&'static str> {
    if engine.starts_with("postgres")
        || engine.starts_with("aurora-postgresql")
        || engine.starts_with("sqlserver")
    {
        Some(FORCE_SSL)
    } else if engine.starts_with("mysql")
        || engine.starts_with("mariadb")
        || engine.starts_with("aurora-mysql")
        || engine == "aurora"
    {
        Some(REQUIRE_SECURE_TRANSPORT)
    } else {
        None
    }
}

/// Is TLS required when the group leaves the parameter at its default?
/// RDS for PostgreSQL 15 and later defaults `rds.force_ssl` to 1; earlier
/// versions, Aurora PostgreSQL and SQL Server default it to 0; MySQL,
/// MariaDB and Aurora MySQL default `require_secure_transport` to OFF.
pub fn tls_required_by_default(engine: &str, version: &str) -> bool {
    engine.starts_with("postgres") && major_version(version).is_some_and(|major| major >= 15)
}

fn major_version(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

/// The engine's value when the group sets none, as AWS spells it.
pub fn tls_default_value(engine: &str, version: &str) -> &'static str {
    match (
        tls_parameter(engine),
        tls_required_by_default(engine, version),
    ) {
        (Some(REQUIRE_SECURE_TRANSPORT), _) => "OFF",
        (_, true) => "1",
        _ => "0",
    }
}

/// The value that requires TLS, as AWS spells it for the parameter.
pub fn tls_on_value(parameter: &str) -> &'static str {
    if parameter == REQUIRE_SECURE_TRANSPORT {
        "ON"
    } else {
        "1"
    }
}

/// Does this value turn the parameter on? (`1`, `ON`, `true`, any case.)
pub fn is_on(value: &str) -> bool {
    let value = value.trim();
    value == "1" || value.eq_ignore_ascii_case("on") || value.eq_ignore_ascii_case("true")
}

/// The instance's server certificate, as `CertificateDetails` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Certificate {
    /// The CA that signed it (`rds-ca-rsa2048-g1`).
    pub ca: Option<String>,
    /// When it expires, RFC 3339 (`2025-08-22T17:08:50Z`).
    pub valid_till: Option<String>,
}

/// CAs AWS retired: their certificates have expired, clients that trust
/// only them fail, and instances still on them must move.
pub const RETIRED_CAS: [&str; 2] = ["rds-ca-2015", "rds-ca-2019"];

/// The CA rdsight moves instances to: RSA 2048, valid until 2061, and
/// the one AWS gives new instances by default.
pub const CURRENT_CA: &str = "rds-ca-rsa2048-g1";

pub fn is_retired_ca(ca: &str) -> bool {
    RETIRED_CAS.contains(&ca)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_has_its_tls_parameter_and_default() {
        for (engine, version, parameter, default) in [
            ("postgres", "16.3", Some(FORCE_SSL), "1"),
            ("postgres", "15.2", Some(FORCE_SSL), "1"),
            ("postgres", "14.9", Some(FORCE_SSL), "0"),
            ("aurora-postgresql", "16.1", Some(FORCE_SSL), "0"),
            ("sqlserver-se", "15.00", Some(FORCE_SSL), "0"),
            ("mysql", "8.0.35", Some(REQUIRE_SECURE_TRANSPORT), "OFF"),
            ("mariadb", "10.11", Some(REQUIRE_SECURE_TRANSPORT), "OFF"),
            ("aurora-mysql", "8.0", Some(REQUIRE_SECURE_TRANSPORT), "OFF"),
            ("oracle-ee", "19", None, "0"),
        ] {
            assert_eq!(tls_parameter(engine), parameter, "{engine}");
            if parameter.is_some() {
                assert_eq!(tls_default_value(engine, version), default, "{engine}");
            }
        }
    }

    #[test]
    fn values_read_as_aws_spells_them() {
        for on in ["1", "ON", "on", "true"] {
            assert!(is_on(on), "{on}");
        }
        for off in ["0", "OFF", "", "{DBInstanceClassMemory}"] {
            assert!(!is_on(off), "{off}");
        }
        assert!(is_default_group("default.postgres16"));
        assert!(!is_default_group("defaults-pg"));
    }
}
