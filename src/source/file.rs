//! A saved inventory (`rdsight export-fleet`), for offline triage. Read-only.

use futures::future::BoxFuture;
use std::path::{Path, PathBuf};

use super::{FleetSource, SourceError, SourceInfo, SourceKind};
use crate::model::{Fleet, ResourceRef};
use crate::remediation::{Step, StepOutcome};

pub struct FileSource {
    path: PathBuf,
    fleet: Fleet,
}

impl FileSource {
    pub fn open(path: &Path) -> Result<Self, SourceError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            SourceError::Unavailable(format!("cannot read fleet file {}: {e}", path.display()))
        })?;
        let fleet = parse_saved(&text).map_err(|problem| {
            SourceError::Unavailable(format!("fleet file {} {problem}", path.display()))
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            fleet,
        })
    }
}

pub fn parse_fleet(text: &str) -> Result<Fleet, serde_json::Error> {
    serde_json::from_str(text)
}

/// The saved-fleet format this build writes and reads. Files without a
/// version predate it and have the same shape.
pub const FORMAT_VERSION: u32 = 1;

/// What `export-fleet` writes: the fleet, with the format version first.
#[derive(serde::Serialize)]
struct Saved<'a> {
    format_version: u32,
    #[serde(flatten)]
    fleet: &'a Fleet,
}

#[derive(serde::Deserialize)]
struct Version {
    format_version: Option<u32>,
}

/// A fleet as `export-fleet` writes it.
pub fn to_saved_json(fleet: &Fleet) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(&Saved {
        format_version: FORMAT_VERSION,
        fleet,
    })?;
    text.push('\n');
    Ok(text)
}

/// Read a saved fleet; the error completes "fleet file F …".
pub fn parse_saved(text: &str) -> Result<Fleet, String> {
    const HOW: &str = "create one with `rdsight export-fleet > FILE`";
    let version: Version = serde_json::from_str(text)
        .map_err(|e| format!("is not a saved rdsight fleet: {e} — {HOW}"))?;
    if let Some(v) = version.format_version.filter(|v| *v != FORMAT_VERSION) {
        return Err(format!(
            "has format version {v}, and this rdsight reads version {FORMAT_VERSION} — export it again with this version, or use the rdsight that wrote it"
        ));
    }
    parse_fleet(text).map_err(|e| format!("is not a saved rdsight fleet: {e} — {HOW}"))
}

impl FleetSource for FileSource {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::File,
            label: format!("file {}", self.path.display()),
            account: Some(self.fleet.account.clone()).filter(|a| !a.is_empty()),
            read_only: Some("a saved fleet file is read-only".into()),
        }
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        Box::pin(async move { Ok(self.fleet.clone()) })
    }

    fn apply<'a>(&'a self, _step: &'a Step) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        Box::pin(async move {
            Err(SourceError::ReadOnly(
                "a saved fleet file is read-only".into(),
            ))
        })
    }

    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        Box::pin(async move { Ok(self.fleet.fragment(resource)) })
    }
}
