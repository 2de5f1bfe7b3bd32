//! A saved inventory (`rdsight export-fleet`), for offline triage. Read-only.
//!
//! The file is read when the fleet is loaded, not when the source opens, so
//! the dashboard draws its first frame at once even for a 100k-resource
//! file; it is parsed as a stream, so the text never sits in memory beside
//! the fleet, and the source keeps no copy of the fleet it hands out.

use futures::future::BoxFuture;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{FleetSource, SourceError, SourceInfo, SourceKind};
use crate::model::{Fleet, ResourceRef};

pub struct FileSource {
    path: PathBuf,
    /// The account of the last load (unknown until the file is read).
    account: Mutex<Option<String>>,
}

impl FileSource {
    /// Open `path`: fails at once when it cannot be read; its content is
    /// checked when it is loaded.
    pub fn open(path: &Path) -> Result<Self, SourceError> {
        std::fs::File::open(path).map_err(|e| cannot_read(path, &e))?;
        Ok(Self {
            path: path.to_path_buf(),
            account: Mutex::new(None),
        })
    }
}

fn cannot_read(path: &Path, e: &std::io::Error) -> SourceError {
    SourceError::Unavailable(format!("cannot read fleet file {}: {e}", path.display()))
}

/// The saved-fleet format this build writes and reads. Files without a
/// version predate it and have the same shape.
pub const FORMAT_VERSION: u32 = 1;

const HOW: &str = "create one with `rdsight export-fleet > FILE`";

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

/// Write a fleet as `export-fleet` does, streamed.
pub fn write_saved(fleet: &Fleet, out: impl std::io::Write) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(
        out,
        &Saved {
            format_version: FORMAT_VERSION,
            fleet,
        },
    )
}

/// Read a saved fleet from `path`. Two streamed passes: the first only
/// checks the format version (skipping the rest without keeping it), the
/// second builds the fleet; the file's text is never held whole.
pub fn read_saved(path: &Path) -> Result<Fleet, SourceError> {
    let open = || {
        std::fs::File::open(path)
            .map(BufReader::new)
            .map_err(|e| cannot_read(path, &e))
    };
    let problem =
        |text: String| SourceError::Unavailable(format!("fleet file {} {text}", path.display()));
    let not_a_fleet =
        |e: serde_json::Error| problem(format!("is not a saved rdsight fleet: {e} — {HOW}"));
    let version: Version = serde_json::from_reader(open()?).map_err(not_a_fleet)?;
    if let Some(v) = version.format_version.filter(|v| *v != FORMAT_VERSION) {
        return Err(problem(format!(
            "has format version {v}, and this rdsight reads version {FORMAT_VERSION} — export it again with this version, or use the rdsight that wrote it"
        )));
    }
    serde_json::from_reader(open()?).map_err(not_a_fleet)
}

impl FleetSource for FileSource {
    fn info(&self) -> SourceInfo {
        let account = self.account.lock().unwrap_or_else(|e| e.into_inner());
        SourceInfo {
            kind: SourceKind::File,
            label: format!("file {}", self.path.display()),
            account: account.clone().filter(|a| !a.is_empty()),
            read_only: Some("a saved fleet file is read-only".into()),
        }
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        Box::pin(async move {
            // Parsing a large file takes a while: keep it off the runtime's
            // threads so the dashboard keeps drawing.
            let path = self.path.clone();
            let fleet = tokio::task::spawn_blocking(move || read_saved(&path))
                .await
                .map_err(|e| {
                    SourceError::Unavailable(format!("loading {}: {e}", self.path.display()))
                })??;
            *self.account.lock().unwrap_or_else(|e| e.into_inner()) = Some(fleet.account.clone());
            Ok(fleet)
        })
    }

    fn apply<'a>(
        &'a self,
        _step: &'a dyn super::Mutation,
    ) -> BoxFuture<'a, Result<super::StepOutcome, SourceError>> {
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
        // Nothing changes a saved file from here: read it again.
        Box::pin(async move { Ok(read_saved(&self.path)?.fragment(resource)) })
    }
}
