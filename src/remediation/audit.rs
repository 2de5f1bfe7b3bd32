//! The audit log: one JSON line before and one after every mutating call,
//! and one when a plan stops with steps left unsent.
//!
//! Written synchronously and flushed, so a crash mid-plan still leaves the
//! "started" line of the call that was in flight. The file is created
//! owner-only (0600) and tightened if it was looser: it names accounts,
//! resources and network rules. It never holds credentials — steps carry
//! no secrets.

use serde::Serialize;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Step;
use crate::model::ResourceRef;
use crate::source::{SourceError, SourceInfo, SourceKind, StepOutcome};

/// Where the audit log lives: `RDSIGHT_AUDIT_LOG`, else the state directory.
pub fn default_path() -> PathBuf {
    if let Some(path) = std::env::var_os("RDSIGHT_AUDIT_LOG") {
        return PathBuf::from(path);
    }
    crate::logging::state_dir().join("audit.jsonl")
}

/// The audit log for a kind of source. Only the live AWS source writes
/// the real one: the demo's changes go beside it (`audit.demo.jsonl`), so
/// `rdsight undo` never finds a demo change and sends it to an account.
/// (A saved fleet is read-only and writes nothing.)
pub fn path_for(kind: SourceKind) -> PathBuf {
    let real = default_path();
    match kind {
        SourceKind::Aws => real,
        SourceKind::Demo | SourceKind::File => real.with_extension("demo.jsonl"),
    }
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
}

/// Who a call is made as: the source and the account it speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source: String,
    pub account: Option<String>,
}

impl From<&SourceInfo> for Origin {
    fn from(info: &SourceInfo) -> Self {
        Self {
            source: info.label.clone(),
            account: info.account.clone(),
        }
    }
}

/// One call's line.
#[derive(Serialize)]
struct Entry<'a> {
    time: String,
    phase: &'a str,
    account: Option<&'a str>,
    source: &'a str,
    region: String,
    resource: &'a ResourceRef,
    api: &'a str,
    parameters: serde_json::Map<String, serde_json::Value>,
    step: &'a Step,
    /// The call that reverses this one, when one call can (the exact
    /// revoked rule, the removed share), as a step and as a CLI line.
    #[serde(skip_serializing_if = "Option::is_none")]
    undo: Option<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    undo_cli: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The line written when a plan stops before its last step.
#[derive(Serialize)]
struct Stopped<'a> {
    time: String,
    phase: &'static str,
    account: Option<&'a str>,
    source: &'a str,
    /// Why it stopped, e.g. the failed call's error.
    reason: &'a str,
    /// The calls never sent, as CLI lines, in plan order.
    not_sent: Vec<String>,
}

/// How a call ended, for the "after" line.
pub enum Ending<'a> {
    Succeeded(&'a StepOutcome),
    Failed(&'a SourceError),
    /// No clear answer (`outcome-unknown`): AWS may or may not have done
    /// it. A `read-back` line follows.
    Unknown(&'a SourceError),
    /// What a re-read of the target showed after an unknown outcome.
    ReadBack(&'a str),
    /// The re-read showed the call took effect: `succeeded`, by
    /// verification rather than by AWS's answer.
    Verified(&'a str),
    /// Verify-after: AWS accepted the call, but the settled resource
    /// differs from what it set (`verify-failed`, with each difference).
    Mismatch(&'a str),
}

impl AuditLog {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Record that `step` is about to be sent. An error here stops the plan:
    /// nothing runs unrecorded.
    pub fn before(&self, origin: &Origin, step: &Step) -> std::io::Result<()> {
        self.write_call(origin, step, "started", None)
    }

    pub fn after(&self, origin: &Origin, step: &Step, ending: Ending<'_>) -> std::io::Result<()> {
        let phase = match ending {
            Ending::Succeeded(_) | Ending::Verified(_) => "succeeded",
            Ending::Failed(_) => "failed",
            Ending::Unknown(_) => "outcome-unknown",
            Ending::ReadBack(_) => "read-back",
            Ending::Mismatch(_) => "verify-failed",
        };
        self.write_call(origin, step, phase, Some(ending))
    }

    /// Record that a plan stopped with `not_sent` steps never sent.
    pub fn stopped(
        &self,
        origin: &Origin,
        reason: &str,
        not_sent: &[&Step],
    ) -> std::io::Result<()> {
        let entry = Stopped {
            time: now(),
            phase: "plan-stopped",
            account: origin.account.as_deref(),
            source: &origin.source,
            reason,
            not_sent: not_sent.iter().map(|s| s.cli()).collect(),
        };
        self.append(&entry)
    }

    fn write_call(
        &self,
        origin: &Origin,
        step: &Step,
        phase: &str,
        ending: Option<Ending<'_>>,
    ) -> std::io::Result<()> {
        let target = step.target();
        let undo = step.undo();
        let (outcome, request_id, error_code, error) = match &ending {
            None => (None, None, None, None),
            Some(Ending::Succeeded(o)) => {
                (Some(o.to_string()), o.request_id.as_deref(), None, None)
            }
            Some(Ending::Failed(e) | Ending::Unknown(e)) => {
                (None, e.request_id(), e.code(), Some(e.to_string()))
            }
            Some(Ending::ReadBack(seen)) => (Some(seen.to_string()), None, None, None),
            Some(Ending::Mismatch(differs)) => (None, None, None, Some(differs.to_string())),
            Some(Ending::Verified(seen)) => (
                Some(format!("verified by read-back: {seen}")),
                None,
                None,
                None,
            ),
        };
        let entry = Entry {
            time: now(),
            phase,
            account: origin.account.as_deref(),
            source: &origin.source,
            region: step.region(),
            resource: &target,
            api: step.api(),
            parameters: step
                .parameters()
                .into_iter()
                .map(|p| {
                    (
                        p.name.to_string(),
                        serde_json::Value::String(p.value.shown()),
                    )
                })
                .collect(),
            step,
            undo_cli: undo.as_ref().map(Step::cli),
            undo,
            outcome,
            request_id,
            error_code,
            error,
        };
        self.append(&entry)
    }

    fn append(&self, entry: &impl Serialize) -> std::io::Result<()> {
        let line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        let mut file = self.open()?;
        writeln!(file, "{line}")?;
        file.sync_data()
    }

    /// Open for appending, owner-only; never through a planted symlink,
    /// never anything but a regular file of ours (`private_file`).
    fn open(&self) -> std::io::Result<File> {
        crate::private_file::open_append(&self.path)
    }
}

fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SnapshotKind;
    use crate::remediation::fixes::snapshot_sharing::ModifySnapshotAttribute;
    use crate::source::Fact;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rdsight-audit-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("audit.jsonl")
    }

    fn share_step() -> Step {
        Step::from(ModifySnapshotAttribute {
            kind: SnapshotKind::Db,
            region: "us-east-1".into(),
            snapshot_id: "s1".into(),
            values_to_add: Vec::new(),
            values_to_remove: vec!["all".into()],
        })
    }

    fn origin() -> Origin {
        Origin {
            source: "test".into(),
            account: Some("123456789012".into()),
        }
    }

    fn lines(path: &Path) -> Vec<serde_json::Value> {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_default())
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn created_owner_only_and_a_looser_file_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let path = scratch("mode");
        let log = AuditLog::new(&path);
        log.before(&origin(), &share_step()).unwrap();
        let mode = |p: &Path| {
            std::fs::metadata(p)
                .map(|m| m.permissions().mode() & 0o777)
                .ok()
        };
        assert_eq!(mode(&path), Some(0o600));
        assert_eq!(mode(path.parent().unwrap_or(&path)), Some(0o700));

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        log.before(&origin(), &share_step()).unwrap();
        assert_eq!(mode(&path), Some(0o600));
        assert_eq!(lines(&path).len(), 2, "appended, not truncated");
    }

    #[test]
    fn records_say_who_what_where_how_it_ended_and_how_to_undo() {
        let path = scratch("fields");
        let log = AuditLog::new(&path);
        let step = share_step();
        let outcome = StepOutcome::new(vec![Fact::SharedWith(Vec::new())], Some("req-1"));
        log.before(&origin(), &step).unwrap();
        log.after(&origin(), &step, Ending::Succeeded(&outcome))
            .unwrap();
        let failure = SourceError::Call {
            call: "rds:CopyDBSnapshot".into(),
            message: "KMSKeyNotAccessibleFault: no such key".into(),
            code: Some("KMSKeyNotAccessibleFault".into()),
            request_id: Some("req-2".into()),
        };
        log.after(&origin(), &step, Ending::Failed(&failure))
            .unwrap();
        log.stopped(&origin(), "step 1 failed", &[&step]).unwrap();

        let lines = lines(&path);
        let [started, succeeded, failed, stopped] = lines.as_slice() else {
            panic!("expected 4 lines: {lines:?}");
        };
        assert_eq!(started["phase"], "started");
        assert_eq!(started["account"], "123456789012");
        assert_eq!(started["region"], "us-east-1");
        assert_eq!(started["resource"]["id"], "s1");
        assert_eq!(started["api"], "rds:ModifyDBSnapshotAttribute");
        assert_eq!(started["parameters"]["ValuesToRemove"], r#"["all"]"#);
        assert_eq!(started["undo"]["values_to_add"][0], "all");
        assert!(
            started["undo_cli"]
                .as_str()
                .is_some_and(|c| c.ends_with("--values-to-add all")),
            "{started}"
        );
        assert!(started.get("request_id").is_none());
        assert_eq!(succeeded["phase"], "succeeded");
        assert_eq!(succeeded["request_id"], "req-1");
        assert_eq!(
            succeeded["outcome"],
            "restore attribute now empty: not shared (request req-1)"
        );
        assert_eq!(failed["phase"], "failed");
        assert_eq!(failed["error_code"], "KMSKeyNotAccessibleFault");
        assert_eq!(failed["request_id"], "req-2");
        assert_eq!(stopped["phase"], "plan-stopped");
        assert_eq!(stopped["reason"], "step 1 failed");
        assert_eq!(stopped["not_sent"][0], step.cli());
    }
}
