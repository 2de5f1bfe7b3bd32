//! `--cloudtrail PATH` on any source: the fleet as the source loads it,
//! plus the RDS events in the trail files at PATH.
//!
//! The files are read on a blocking thread while the source loads (its
//! load is network, theirs is one core), and the read stops when the load
//! is dropped. A streaming load announces the trail as one more part
//! (`* events`) and sends its events as one page. Everything else —
//! changes, re-reads, keys, the users of a group — is the source's.

use futures::future::BoxFuture;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::files::{ANY_REGION, Trail, read_trail_until};
use crate::model::{Fleet, GroupUser, LoadError, ResourceList, ResourceRef, merge_events};
use crate::source::{
    FleetSource, LoadEvent, LoadPart, LoadSink, Mutation, Pacing, SourceError, SourceInfo,
    StepOutcome,
};

/// A source whose loads also read a trail.
pub struct WithTrail {
    inner: Arc<dyn FleetSource>,
    path: PathBuf,
}

impl WithTrail {
    /// Wrap `inner`. A PATH that does not exist is refused now, not at the
    /// first load.
    pub fn new(inner: Arc<dyn FleetSource>, path: &Path) -> Result<Self, SourceError> {
        std::fs::metadata(path).map_err(|e| {
            SourceError::Unavailable(format!("--cloudtrail {}: {e}", path.display()))
        })?;
        Ok(WithTrail {
            inner,
            path: path.to_path_buf(),
        })
    }

    /// The part a streaming load announces the trail as.
    pub fn part() -> LoadPart {
        LoadPart {
            region: ANY_REGION.to_string(),
            what: ResourceList::Events,
        }
    }
}

/// Add what the trail gave to a loaded fleet: its events beside the
/// source's own (each id once, oldest first), its reads and its errors.
pub fn add_trail(fleet: &mut Fleet, trail: Trail) {
    merge_events(&mut fleet.events, trail.events);
    fleet.activity_reads.extend(trail.reads);
    fleet.load_errors.extend(trail.errors);
}

/// The trail being read on a blocking thread; dropping it asks the read to
/// stop.
struct Reading {
    stop: Arc<AtomicBool>,
    task: Option<tokio::task::JoinHandle<Trail>>,
}

impl Reading {
    fn start(path: PathBuf) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::task::spawn_blocking(move || read_trail_until(&path, &flag));
        Reading {
            stop,
            task: Some(task),
        }
    }

    async fn finish(mut self) -> Trail {
        let Some(task) = self.task.take() else {
            return Trail::default();
        };
        task.await.unwrap_or_else(|e| Trail {
            errors: vec![LoadError {
                region: ANY_REGION.to_string(),
                what: ResourceList::Events,
                message: format!("reading the trail files failed: {e}"),
            }],
            ..Trail::default()
        })
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl FleetSource for WithTrail {
    fn info(&self) -> SourceInfo {
        let mut info = self.inner.info();
        info.label
            .push_str(&format!(" + cloudtrail {}", self.path.display()));
        info
    }

    fn load(&self) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        Box::pin(async move {
            let reading = Reading::start(self.path.clone());
            let mut fleet = self.inner.load().await?;
            add_trail(&mut fleet, reading.finish().await);
            Ok(fleet)
        })
    }

    fn load_streaming(&self, sink: LoadSink) -> BoxFuture<'_, Result<Fleet, SourceError>> {
        Box::pin(async move {
            let reading = Reading::start(self.path.clone());
            let planned = Arc::new(AtomicBool::new(false));
            let inner_sink: LoadSink = {
                let (sink, planned) = (sink.clone(), planned.clone());
                Arc::new(move |event| match event {
                    // The trail is one more part of the same load.
                    LoadEvent::Planned(mut parts) => {
                        planned.store(true, Ordering::Relaxed);
                        parts.push(WithTrail::part());
                        sink(LoadEvent::Planned(parts));
                    }
                    other => sink(other),
                })
            };
            let mut fleet = self.inner.load_streaming(inner_sink).await?;
            if !planned.load(Ordering::Relaxed) {
                sink(LoadEvent::Planned(vec![WithTrail::part()]));
            }
            let trail = reading.finish().await;
            let part = WithTrail::part();
            sink(LoadEvent::Page {
                part: part.clone(),
                fragment: Fleet {
                    events: trail.events.clone(),
                    activity_reads: trail.reads.clone(),
                    ..Fleet::default()
                },
            });
            let result = match (trail.files, trail.errors.first()) {
                (0, Some(error)) => Err(error.message.clone()),
                _ => Ok(trail.events.len()),
            };
            sink(LoadEvent::Finished { part, result });
            add_trail(&mut fleet, trail);
            Ok(fleet)
        })
    }

    fn available_regions(&self) -> BoxFuture<'_, Option<Vec<String>>> {
        self.inner.available_regions()
    }

    fn apply<'a>(
        &'a self,
        step: &'a dyn Mutation,
    ) -> BoxFuture<'a, Result<StepOutcome, SourceError>> {
        self.inner.apply(step)
    }

    fn refresh<'a>(
        &'a self,
        resource: &'a ResourceRef,
    ) -> BoxFuture<'a, Result<Fleet, SourceError>> {
        self.inner.refresh(resource)
    }

    fn check_kms_key<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), SourceError>> {
        self.inner.check_kms_key(key)
    }

    fn group_users<'a>(
        &'a self,
        region: &'a str,
        group: &'a str,
    ) -> BoxFuture<'a, Result<Vec<GroupUser>, SourceError>> {
        self.inner.group_users(region, group)
    }

    fn pacing(&self) -> Pacing {
        self.inner.pacing()
    }
}
