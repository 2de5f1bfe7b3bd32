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
        let fleet = parse_fleet(&text).map_err(|e| {
            SourceError::Unavailable(format!(
                "fleet file {} is not a saved rdsight fleet: {e} — create one with `rdsight export-fleet > FILE`",
                path.display()
            ))
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
