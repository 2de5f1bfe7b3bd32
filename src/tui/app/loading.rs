//! Loads as they stream in: which lists are done, pages shown as they
//! arrive, and the whole answer replacing them at the end.

use super::*;
use crate::model::merge_events;
use crate::source::LoadPart;

/// How far one list of a load has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartState {
    Waiting,
    /// Resources received so far.
    Loading(usize),
    Done(usize),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartProgress {
    pub part: LoadPart,
    pub state: PartState,
}

impl PartProgress {
    pub fn finished(&self) -> bool {
        matches!(self.state, PartState::Done(_) | PartState::Failed(_))
    }

    /// What this part has given so far.
    fn received(&self) -> usize {
        match self.state {
            PartState::Loading(n) | PartState::Done(n) => n,
            _ => 0,
        }
    }
}

impl App {
    /// Start a load. `to_screen` shows pages as they arrive (nothing is on
    /// screen yet); otherwise the rows in view stay until the whole answer
    /// is in, so a refresh never blanks the screen.
    pub(super) fn begin_load(&mut self, to_screen: bool) -> Vec<Effect> {
        self.generation += 1;
        self.loading = true;
        self.loading_secs = 0;
        self.load_parts.clear();
        self.streaming_to_screen = to_screen;
        self.needs_eval = false;
        vec![Effect::Load {
            generation: self.generation,
        }]
    }

    /// Forget everything shown: a new account or region set starts empty.
    pub(super) fn clear_fleet(&mut self) {
        self.fleet = Fleet::default();
        self.loaded_at = None;
        self.scope = Scope::All;
        self.marked.clear();
        self.panes = Default::default();
        self.details_scroll = (None, 0);
        self.reevaluate();
    }

    pub(super) fn on_load_event(&mut self, event: LoadEvent) {
        match event {
            LoadEvent::Planned(parts) => {
                self.load_parts = parts
                    .into_iter()
                    .map(|part| PartProgress {
                        part,
                        state: PartState::Waiting,
                    })
                    .collect();
                if self.streaming_to_screen {
                    let mut regions: Vec<String> = Vec::new();
                    // The activity trail is no region of its own (trail
                    // files announce theirs as `*`).
                    let lists = self
                        .load_parts
                        .iter()
                        .filter(|p| p.part.what != ResourceList::Events);
                    for p in lists {
                        if !regions.contains(&p.part.region) {
                            regions.push(p.part.region.clone());
                        }
                    }
                    self.fleet.regions = regions;
                    if let Some(account) = &self.source.account {
                        self.fleet.account = account.clone();
                    }
                }
            }
            LoadEvent::Page { part, fragment } => {
                let n = fragment.listed_count();
                if let Some(p) = self.part_mut(&part) {
                    let so_far = match p.state {
                        PartState::Loading(k) => k,
                        _ => 0,
                    };
                    p.state = PartState::Loading(so_far + n);
                }
                if self.streaming_to_screen {
                    self.fleet.clusters.extend(fragment.clusters);
                    self.fleet.instances.extend(fragment.instances);
                    self.fleet.snapshots.extend(fragment.snapshots);
                    self.fleet.security_groups.extend(fragment.security_groups);
                    self.fleet.network.extend(fragment.network);
                    merge_events(&mut self.fleet.events, fragment.events);
                    self.fleet.activity_reads.extend(fragment.activity_reads);
                    self.needs_eval = true;
                }
            }
            LoadEvent::Finished { part, result } => {
                if let Some(p) = self.part_mut(&part) {
                    p.state = match result {
                        Ok(n) => PartState::Done(n),
                        Err(e) => PartState::Failed(e),
                    };
                }
            }
        }
    }

    fn part_mut(&mut self, part: &LoadPart) -> Option<&mut PartProgress> {
        self.load_parts.iter_mut().find(|p| &p.part == part)
    }

    pub(super) fn on_loaded(&mut self, result: Result<Fleet, String>, at: SystemTime) {
        self.loading = false;
        self.needs_eval = false;
        match result {
            Ok(fleet) => {
                self.fleet = fleet;
                self.loaded_at = Some(at);
                self.flash = None;
                self.reevaluate();
                if !self.fleet.load_errors.is_empty() {
                    self.flash = Some(format!(
                        "{} part(s) of the fleet could not be loaded — what is shown is incomplete; see the header",
                        self.fleet.load_errors.len()
                    ));
                }
            }
            Err(e) => {
                // Pages that streamed in were judged on the fly; judge them
                // once more so the screen matches what is shown.
                self.reevaluate();
                self.flash = Some(format!("load failed: {e}"));
            }
        }
    }

    /// Judge pages that arrived since the last look. The runtime calls this
    /// once per batch of messages, before drawing, so a burst of pages
    /// costs one evaluation rather than one each.
    pub fn flush(&mut self) {
        if std::mem::take(&mut self.needs_eval) {
            self.reevaluate();
        }
    }

    /// The load this app listens to.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Resources received by the running load so far.
    pub fn loaded_so_far(&self) -> usize {
        self.load_parts
            .iter()
            .filter(|p| p.part.what != ResourceList::Events)
            .map(|p| p.received())
            .sum()
    }

    /// Events received by the running load so far, when it reads a trail.
    pub fn events_so_far(&self) -> Option<usize> {
        let mut parts = self
            .load_parts
            .iter()
            .filter(|p| p.part.what == ResourceList::Events)
            .peekable();
        parts.peek()?;
        Some(parts.map(PartProgress::received).sum())
    }
}
