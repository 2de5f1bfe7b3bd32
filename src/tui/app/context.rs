//! Switching profile or regions: the pickers, and a switch that never
//! shows rows of the old context under the new one.

use super::*;
use crate::source::SourceKind;

impl App {
    /// Why the context cannot change now, if it cannot.
    fn switch_blocked(&self, kind: PickerKind) -> Option<String> {
        if self.activities.iter().any(|a| a.finished.is_none()) {
            return Some("a plan is running — switch when it has finished".into());
        }
        match (self.source.kind, kind) {
            (SourceKind::File, _) => {
                Some("a saved fleet file has fixed regions and no profile".into())
            }
            (SourceKind::Demo, PickerKind::Profile) => {
                Some("the demo has no AWS profiles — profiles switch the live AWS source".into())
            }
            _ => None,
        }
    }

    pub(super) fn open_region_picker(&mut self) -> Vec<Effect> {
        if let Some(why) = self.switch_blocked(PickerKind::Region) {
            self.flash = Some(format!("cannot switch regions: {why}"));
            return Vec::new();
        }
        let current = self.fleet.regions.clone();
        self.dialog = Some(Dialog::Picker(PickerDialog {
            kind: PickerKind::Region,
            items: current.clone(),
            chosen: current.into_iter().collect(),
            cursor: 0,
            note: Some("asking the source for its regions…".into()),
        }));
        vec![Effect::ListRegions]
    }

    pub(super) fn open_profile_picker(&mut self) -> Vec<Effect> {
        if let Some(why) = self.switch_blocked(PickerKind::Profile) {
            self.flash = Some(format!("cannot switch profile: {why}"));
            return Vec::new();
        }
        self.dialog = Some(Dialog::Picker(PickerDialog {
            kind: PickerKind::Profile,
            items: Vec::new(),
            chosen: BTreeSet::new(),
            cursor: 0,
            note: Some("reading the AWS config and credentials files…".into()),
        }));
        vec![Effect::ListProfiles]
    }

    pub(super) fn on_profiles(&mut self, profiles: Vec<String>) {
        let current = self
            .context
            .profile
            .clone()
            .unwrap_or_else(|| "default".into());
        let Some(Dialog::Picker(picker)) = self.dialog.as_mut() else {
            return;
        };
        if picker.kind != PickerKind::Profile {
            return;
        }
        picker.cursor = profiles.iter().position(|p| *p == current).unwrap_or(0);
        picker.note = profiles.is_empty().then(|| {
            "no profiles in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)".to_string()
        });
        picker.chosen = std::iter::once(current).collect();
        picker.items = profiles;
    }

    pub(super) fn on_regions(&mut self, regions: Option<Vec<String>>) {
        let Some(Dialog::Picker(picker)) = self.dialog.as_mut() else {
            return;
        };
        if picker.kind != PickerKind::Region {
            return;
        }
        match regions {
            Some(mut listed) => {
                for r in &picker.items {
                    if !listed.contains(r) {
                        listed.push(r.clone());
                    }
                }
                listed.sort();
                listed.dedup();
                picker.items = listed;
                picker.note = None;
            }
            None => {
                picker.note =
                    Some("the source could not list its regions; showing the current ones".into())
            }
        }
        picker.cursor = picker.cursor.min(picker.items.len().saturating_sub(1));
    }

    pub(super) fn on_picker_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Dialog::Picker(picker)) = self.dialog.as_mut() else {
            return Vec::new();
        };
        let last = picker.items.len().saturating_sub(1);
        match action {
            Action::Cancel => self.dialog = None,
            Action::Down => picker.cursor = (picker.cursor + 1).min(last),
            Action::Up => picker.cursor = picker.cursor.saturating_sub(1),
            Action::Top => picker.cursor = 0,
            Action::Bottom => picker.cursor = last,
            Action::ToggleMark => {
                if let Some(item) = picker.items.get(picker.cursor).cloned() {
                    match picker.kind {
                        PickerKind::Region => {
                            if !picker.chosen.remove(&item) {
                                picker.chosen.insert(item);
                            }
                        }
                        PickerKind::Profile => picker.chosen = std::iter::once(item).collect(),
                    }
                }
            }
            Action::SelectAll if picker.kind == PickerKind::Region => {
                if picker.chosen.len() == picker.items.len() {
                    picker.chosen.clear();
                } else {
                    picker.chosen = picker.items.iter().cloned().collect();
                }
            }
            Action::Confirm => return self.confirm_picker(),
            _ => {}
        }
        Vec::new()
    }

    fn confirm_picker(&mut self) -> Vec<Effect> {
        let Some(Dialog::Picker(picker)) = self.dialog.take() else {
            return Vec::new();
        };
        let mut next = self.context.clone();
        match picker.kind {
            PickerKind::Region => {
                if picker.chosen.is_empty() {
                    self.flash = Some("choose at least one region (Space marks one)".into());
                    self.dialog = Some(Dialog::Picker(picker));
                    return Vec::new();
                }
                // Keep the list's order: the header names regions as listed.
                next.regions = picker
                    .items
                    .iter()
                    .filter(|r| picker.chosen.contains(*r))
                    .cloned()
                    .collect();
                next.all_regions = false;
            }
            PickerKind::Profile => {
                let Some(profile) = picker.items.get(picker.cursor).cloned() else {
                    return Vec::new();
                };
                next.profile = Some(profile);
            }
        }
        let sorted = |regions: &[String]| {
            let mut r = regions.to_vec();
            r.sort();
            r
        };
        let same_regions = next.regions == self.context.regions
            || sorted(&next.regions) == sorted(&self.fleet.regions);
        if next.profile == self.context.profile && same_regions && self.loaded_at.is_some() {
            self.flash = Some("already showing that — r reloads it".into());
            return Vec::new();
        }
        self.switch_to(next)
    }

    /// Drop every row, then connect to `next` and load it.
    fn switch_to(&mut self, next: SourceContext) -> Vec<Effect> {
        self.previous = Some((self.context.clone(), self.source.clone()));
        self.context = next.clone();
        self.clear_fleet();
        self.load_parts.clear();
        self.generation += 1;
        self.loading = true;
        self.loading_secs = 0;
        self.streaming_to_screen = true;
        self.source.label = format!("switching to {}…", describe(&next));
        self.source.account = None;
        self.flash = None;
        vec![Effect::Switch {
            generation: self.generation,
            context: next,
        }]
    }

    pub(super) fn on_switched(&mut self, result: Result<SourceHandle, String>) -> Vec<Effect> {
        match result {
            Ok(handle) => {
                self.source = handle.0.info();
                self.previous = None;
                self.flash = Some(format!("switched to {}", describe(&self.context)));
                self.begin_load(true)
            }
            Err(e) => {
                let Some((context, info)) = self.previous.take() else {
                    self.loading = false;
                    self.flash = Some(format!("cannot switch: {e}"));
                    return Vec::new();
                };
                self.context = context;
                self.source = info;
                let effects = self.begin_load(true);
                self.flash = Some(format!(
                    "cannot switch: {e} — reloading {}",
                    describe(&self.context)
                ));
                effects
            }
        }
    }
}

/// `profile prod · eu-west-1, us-east-1` for flashes and the header.
pub fn describe(context: &SourceContext) -> String {
    let profile = context.profile.as_deref().unwrap_or("default credentials");
    let regions = if !context.regions.is_empty() {
        context.regions.join(", ")
    } else if context.all_regions {
        "all enabled regions".into()
    } else {
        "the profile's region".into()
    };
    format!("profile {profile} · {regions}")
}
