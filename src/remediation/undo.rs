//! `rdsight undo`: find a call in the audit log by its AWS request id and
//! the step that reverses it (the exact revoked rule, the removed share).

use std::path::Path;

use super::Step;

/// A reversible call the audit log recorded as succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undoable {
    pub request_id: String,
    pub time: String,
    pub account: Option<String>,
    pub api: String,
    /// The call that reverses it.
    pub undo: Step,
}

/// Why there is nothing to undo, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NothingToUndo(pub String);

/// The succeeded call with `request_id` in the audit log at `path`, or with
/// `None`, the latest reversible one.
pub fn find(path: &Path, request_id: Option<&str>) -> Result<Undoable, NothingToUndo> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        NothingToUndo(format!(
            "cannot read the audit log {}: {e} — is RDSIGHT_AUDIT_LOG right?",
            path.display()
        ))
    })?;
    let succeeded = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|entry| entry["phase"] == "succeeded");
    let mut found = None;
    for entry in succeeded {
        let id = entry["request_id"].as_str().unwrap_or_default();
        let wanted = match request_id {
            Some(wanted) => id == wanted,
            None => entry.get("undo").is_some(),
        };
        if wanted {
            found = Some(entry);
            if request_id.is_some() {
                break;
            }
        }
    }
    let Some(entry) = found else {
        return Err(NothingToUndo(match request_id {
            Some(id) => format!(
                "no successful call with request id {id} in {} — copy it from a \"succeeded\" line",
                path.display()
            ),
            None => format!("no reversible call in {}", path.display()),
        }));
    };
    let api = entry["api"].as_str().unwrap_or("the call").to_string();
    let undo = serde_json::from_value::<Step>(entry["undo"].clone()).map_err(|_| {
        NothingToUndo(format!(
            "{api} cannot be undone by one call — the plan dialog said how to reverse it by hand"
        ))
    })?;
    Ok(Undoable {
        request_id: entry["request_id"].as_str().unwrap_or_default().to_string(),
        time: entry["time"].as_str().unwrap_or_default().to_string(),
        account: entry["account"].as_str().map(str::to_string),
        api,
        undo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remediation::audit::{AuditLog, Ending, Origin};
    use crate::remediation::fixes::instance_encryption::CreateDBSnapshot;
    use crate::remediation::fixes::world_ingress::{RevokeSecurityGroupIngress, RuleSpec};
    use crate::source::StepOutcome;

    fn revoke(cidr: &str) -> Step {
        Step::from(RevokeSecurityGroupIngress::new(RuleSpec {
            region: "us-east-1".into(),
            group_id: "sg-1".into(),
            protocol: "tcp".into(),
            from_port: Some(5432),
            to_port: Some(5432),
            cidr: cidr.into(),
        }))
    }

    fn log_with(steps: &[(Step, &str)]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!(
            "rdsight-undo-{}-{}.jsonl",
            std::process::id(),
            steps.len()
        ));
        let _ = std::fs::remove_file(&path);
        let log = AuditLog::new(&path);
        let origin = Origin {
            source: "test".into(),
            account: Some("123456789012".into()),
        };
        for (step, request) in steps {
            let outcome = StepOutcome::new(Vec::new(), Some(request));
            log.before(&origin, step).unwrap();
            log.after(&origin, step, Ending::Succeeded(&outcome))
                .unwrap();
        }
        path
    }

    #[test]
    fn finds_the_call_by_request_id_or_the_latest_reversible_one() {
        let create = Step::from(CreateDBSnapshot {
            region: "us-east-1".into(),
            instance_id: "db".into(),
            snapshot_id: "s".into(),
        });
        let path = log_with(&[
            (revoke("0.0.0.0/0"), "req-1"),
            (revoke("::/0"), "req-2"),
            (create, "req-3"),
        ]);
        let first = find(&path, Some("req-1")).unwrap();
        assert_eq!(first.undo, revoke("0.0.0.0/0").undo().unwrap());
        assert_eq!(first.account.as_deref(), Some("123456789012"));
        // The latest call with an undo: req-3 has none.
        assert_eq!(find(&path, None).unwrap().request_id, "req-2");
        let none = find(&path, Some("req-3")).unwrap_err().to_string();
        assert!(
            none.starts_with("rds:CreateDBSnapshot cannot be undone"),
            "{none}"
        );
        let missing = find(&path, Some("req-9")).unwrap_err().to_string();
        assert!(
            missing.starts_with("no successful call with request id req-9"),
            "{missing}"
        );
        let _ = std::fs::remove_file(&path);
    }
}
