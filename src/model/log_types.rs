//! Which database logs must reach CloudWatch, per engine, as Security Hub
//! judges them: RDS.9 for instances (with RDS.36 PostgreSQL, RDS.40 SQL
//! Server and RDS.42 MariaDB), RDS.34 for Aurora MySQL clusters (audit)
//! and RDS.37 for Aurora PostgreSQL clusters. Exporting one log type is
//! not enough: each missing type is named.

/// The log types an engine must export, or `None` when no control asks
/// for any. A Multi-AZ DB cluster running MySQL cannot export `audit`
/// (ModifyDBCluster accepts error, general and slowquery for it).
pub fn required(engine: &str, on_cluster: bool) -> Option<&'static [&'static str]> {
    const MYSQL: &[&str] = &["audit", "error", "general", "slowquery"];
    let types: &'static [&'static str] = if engine.starts_with("aurora-postgresql") {
        &["postgresql"]
    } else if engine.starts_with("aurora") {
        // Aurora MySQL (`aurora-mysql`, and `aurora` for its first version).
        &["audit"]
    } else if engine.starts_with("postgres") {
        &["postgresql", "upgrade"]
    } else if engine.starts_with("mysql") && on_cluster {
        &["error", "general", "slowquery"]
    } else if engine.starts_with("mysql") || engine.starts_with("mariadb") {
        MYSQL
    } else if engine.starts_with("oracle") {
        &["alert", "audit", "trace", "listener"]
    } else if engine.starts_with("sqlserver") {
        &["error", "agent"]
    } else {
        return None;
    };
    Some(types)
}

/// The required types not among `exported`, in the order required.
pub fn missing(required: &[&'static str], exported: &[String]) -> Vec<&'static str> {
    required
        .iter()
        .copied()
        .filter(|t| !exported.iter().any(|e| e == t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_needs_its_own_types() {
        assert_eq!(
            required("postgres", false),
            Some(&["postgresql", "upgrade"][..])
        );
        assert_eq!(required("aurora-mysql", true), Some(&["audit"][..]));
        assert_eq!(
            required("aurora-postgresql", true),
            Some(&["postgresql"][..])
        );
        assert_eq!(required("mariadb", false).map(<[_]>::len), Some(4));
        assert_eq!(
            required("mysql", true),
            Some(&["error", "general", "slowquery"][..])
        );
        assert_eq!(
            required("sqlserver-se", false),
            Some(&["error", "agent"][..])
        );
        assert_eq!(required("oracle-ee", false).map(<[_]>::len), Some(4));
        assert_eq!(required("db2-se", false), None);
    }

    #[test]
    fn one_exported_type_does_not_cover_the_rest() {
        let exported = vec!["error".to_string()];
        assert_eq!(
            missing(&["audit", "error", "general", "slowquery"], &exported),
            vec!["audit", "general", "slowquery"]
        );
        assert!(missing(&["audit"], &["audit".to_string()]).is_empty());
    }
}
