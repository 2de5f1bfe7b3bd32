//! Everything a key (or click) can ask the app to do.

use super::rows::Pane;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    NextPane,
    PrevPane,
    FocusPane(Pane),
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    DrillDown,
    Back,
    StartFilter,
    SortNext,
    SortReverse,
    ToggleMark,
    Remediate,
    Describe,
    DetailsDown,
    DetailsUp,
    Refresh,
    PickRegion,
    PickProfile,
    Help,
    // Plan dialog.
    Confirm,
    Cancel,
    ToggleApplyImmediately,
    ToggleDeleteOriginal,
    /// Type the CIDR a broad world rule is narrowed to.
    NarrowTo,
    // Pickers.
    SelectAll,
    // Typing text (the filter, a typed confirmation, a CIDR).
    /// Type this character.
    Insert(char),
    /// Delete the last character typed.
    DeleteBack,
}
