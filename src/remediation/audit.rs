//! The audit log: one JSON line before and one after every mutating call.
//!
//! Written synchronously and flushed, so a crash mid-plan still leaves the
//! "started" line of the call that was in flight.

use serde::Serialize;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::step::{Step, StepOutcome};

/// Where the audit log lives: `RDSIGHT_AUDIT_LOG`, else the state directory.
pub fn default_path() -> PathBuf {
    if let Some(path) = std::env::var_os("RDSIGHT_AUDIT_LOG") {
        return PathBuf::from(path);
    }
    crate::logging::state_dir().join("audit.jsonl")
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
}

#[derive(Serialize)]
struct Entry<'a> {
    time: String,
    phase: &'a str,
    source: &'a str,
    api: &'a str,
    region: &'a str,
    parameters: serde_json::Map<String, serde_json::Value>,
    step: &'a Step,
    #[serde(skip_serializing_if = "Option::is_none")]
    undo: Option<Step>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'a StepOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// How a call ended, for the "after" line.
pub enum Ending<'a> {
    Succeeded(&'a StepOutcome),
    Failed(&'a str),
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
    pub fn before(&self, source: &str, step: &Step) -> std::io::Result<()> {
        self.write(source, step, "started", None, None)
    }

    pub fn after(&self, source: &str, step: &Step, ending: Ending<'_>) -> std::io::Result<()> {
        match ending {
            Ending::Succeeded(outcome) => {
                self.write(source, step, "succeeded", Some(outcome), None)
            }
            Ending::Failed(error) => self.write(source, step, "failed", None, Some(error)),
        }
    }

    fn write(
        &self,
        source: &str,
        step: &Step,
        phase: &str,
        outcome: Option<&StepOutcome>,
        error: Option<&str>,
    ) -> std::io::Result<()> {
        let entry = Entry {
            time: humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string(),
            phase,
            source,
            api: step.api(),
            region: step.region(),
            parameters: step
                .parameters()
                .into_iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
                .collect(),
            step,
            undo: step.undo(),
            outcome,
            error,
        };
        let line = serde_json::to_string(&entry).map_err(std::io::Error::other)?;
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        writeln!(file, "{line}")?;
        file.sync_data()
    }
}
