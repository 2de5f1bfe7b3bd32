//! One table of key bindings: it drives dispatch, the footer hints and the
//! help screen, so the three never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::rows::Pane;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing panes.
    Main,
    /// The remediation plan dialog.
    Plan,
    /// Help and describe viewers.
    Viewer,
    /// The region and profile pickers.
    Picker,
    /// Typing a filter after `/`.
    Filter,
    /// Typing the resource id that confirms an outage or destructive plan.
    Confirm,
    /// Typing the CIDR a broad world rule is narrowed to.
    Cidr,
}

impl Context {
    pub const ALL: [Context; 7] = [
        Context::Main,
        Context::Plan,
        Context::Viewer,
        Context::Picker,
        Context::Filter,
        Context::Confirm,
        Context::Cidr,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

/// Stands for any printable character (without Control) in a binding;
/// `lookup` hands the character typed to `Action::Insert`.
pub const TYPED: Key = key(KeyCode::Null);

/// The action bound to `TYPED`; its character is the one typed.
const INSERT: Action = Action::Insert(' ');

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// Short label for the footer; `None` keeps it out of the footer.
    pub hint: Option<&'static str>,
    pub help: &'static str,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    hint: Option<&'static str>,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        hint,
        help,
    }
}

use Context::{Cidr, Confirm, Filter, Main, Picker, Plan, Viewer};

#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    bind(Main, &[key(KeyCode::Tab)], Action::NextPane, None, "next pane"),
    bind(Main, &[key(KeyCode::BackTab)], Action::PrevPane, None, "previous pane"),
    bind(Main, &[ch('1')], Action::FocusPane(Pane::Clusters), None, "Clusters pane"),
    bind(Main, &[ch('2')], Action::FocusPane(Pane::Instances), None, "Instances pane"),
    bind(Main, &[ch('3')], Action::FocusPane(Pane::Snapshots), None, "Snapshots pane"),
    bind(Main, &[ch('4')], Action::FocusPane(Pane::Findings), None, "Findings pane"),
    bind(Main, &[ch('5')], Action::FocusPane(Pane::Events), None, "Events pane: the RDS activity trail (CloudTrail)"),
    bind(Main, &[ch('j'), key(KeyCode::Down)], Action::Down, None, "move down"),
    bind(Main, &[ch('k'), key(KeyCode::Up)], Action::Up, None, "move up"),
    bind(Main, &[ch('g'), key(KeyCode::Home)], Action::Top, None, "first row"),
    bind(Main, &[ch('G'), key(KeyCode::End)], Action::Bottom, None, "last row"),
    bind(Main, &[key(KeyCode::PageDown), ctrl('d')], Action::PageDown, None, "page down"),
    bind(Main, &[key(KeyCode::PageUp), ctrl('u')], Action::PageUp, None, "page up"),
    bind(Main, &[key(KeyCode::Enter)], Action::DrillDown, Some("open"), "drill down: cluster → its instances and snapshots; finding → its resource (a caller → its events); event → the resource it names"),
    bind(Main, &[key(KeyCode::Esc)], Action::Back, None, "back out of a drill-down, clear the filter, then the marks"),
    bind(Main, &[ch('/')], Action::StartFilter, Some("filter"), "filter: text, sev:high, sev:high+, region:, rule:, kind:, event:, principal:, ip:, result:, !negate"),
    bind(Main, &[ch('s')], Action::SortNext, None, "sort by the next column (risk order after the last)"),
    bind(Main, &[ch('S')], Action::SortReverse, None, "reverse the sort"),
    bind(Main, &[key(KeyCode::Char(' '))], Action::ToggleMark, Some("mark"), "mark the row for a combined remediation"),
    bind(Main, &[ch('f')], Action::Remediate, Some("fix"), "remediate the marked or selected finding(s): review the plan first"),
    bind(Main, &[ch('d')], Action::Describe, Some("json"), "describe: the full JSON of the resource"),
    bind(Main, &[ch('J')], Action::DetailsDown, None, "scroll the details pane down"),
    bind(Main, &[ch('K')], Action::DetailsUp, None, "scroll the details pane up"),
    bind(Main, &[ch('r')], Action::Refresh, Some("refresh"), "reload the fleet from the source (the rows stay until the new answer is in)"),
    bind(Main, &[ch('R')], Action::PickRegion, None, "choose the regions to show (reloads; rows never mix)"),
    bind(Main, &[ch('P')], Action::PickProfile, None, "switch AWS profile (re-reads the account; reloads)"),
    bind(Main, &[ch('?')], Action::Help, Some("help"), "this help"),
    bind(Main, &[ch('q'), ctrl('c')], Action::Quit, Some("quit"), "quit"),
    bind(Plan, &[key(KeyCode::Enter), ch('y')], Action::Confirm, Some("confirm"), "run the plan (an outage or destructive step asks for the id first)"),
    bind(Plan, &[key(KeyCode::Esc), ch('n')], Action::Cancel, Some("cancel"), "close without sending anything"),
    bind(Plan, &[ch('a')], Action::ToggleApplyImmediately, Some("now/window"), "apply immediately, or in the next maintenance window"),
    bind(Plan, &[ch('x')], Action::ToggleDeleteOriginal, Some("delete original"), "also delete the unencrypted original snapshot (destructive)"),
    bind(Plan, &[ch('c')], Action::NarrowTo, Some("narrow"), "narrow an all-traffic or port-range world rule: the DB port from a CIDR you type"),
    bind(Plan, &[ch('j'), key(KeyCode::Down)], Action::Down, None, "scroll down"),
    bind(Plan, &[ch('k'), key(KeyCode::Up)], Action::Up, None, "scroll up"),
    bind(Viewer, &[key(KeyCode::Esc), ch('q')], Action::Cancel, Some("close"), "close"),
    bind(Viewer, &[ch('j'), key(KeyCode::Down)], Action::Down, Some("scroll"), "scroll down"),
    bind(Viewer, &[ch('k'), key(KeyCode::Up)], Action::Up, None, "scroll up"),
    bind(Viewer, &[key(KeyCode::PageDown), key(KeyCode::Char(' '))], Action::PageDown, None, "page down"),
    bind(Viewer, &[key(KeyCode::PageUp)], Action::PageUp, None, "page up"),
    bind(Viewer, &[ch('g'), key(KeyCode::Home)], Action::Top, None, "top"),
    bind(Viewer, &[ch('G'), key(KeyCode::End)], Action::Bottom, None, "bottom"),
    bind(Picker, &[key(KeyCode::Enter)], Action::Confirm, Some("switch"), "switch to the chosen profile or regions and reload"),
    bind(Picker, &[key(KeyCode::Esc), ch('q')], Action::Cancel, Some("cancel"), "close without switching"),
    bind(Picker, &[key(KeyCode::Char(' '))], Action::ToggleMark, Some("choose"), "choose or un-choose the region (profiles: pick it)"),
    bind(Picker, &[ch('a')], Action::SelectAll, Some("all"), "choose every region, or none"),
    bind(Picker, &[ch('j'), key(KeyCode::Down)], Action::Down, None, "move down"),
    bind(Picker, &[ch('k'), key(KeyCode::Up)], Action::Up, None, "move up"),
    bind(Picker, &[ch('g'), key(KeyCode::Home)], Action::Top, None, "first"),
    bind(Picker, &[ch('G'), key(KeyCode::End)], Action::Bottom, None, "last"),
    bind(Filter, &[key(KeyCode::Enter)], Action::Confirm, Some("keep"), "keep the filter and go back to the rows"),
    bind(Filter, &[key(KeyCode::Esc)], Action::Cancel, Some("cancel"), "drop the edit: the filter before / comes back"),
    bind(Filter, &[key(KeyCode::Backspace)], Action::DeleteBack, None, "delete the last character"),
    bind(Filter, &[TYPED], INSERT, None, "type the filter: the rows narrow as you type"),
    bind(Confirm, &[key(KeyCode::Enter)], Action::Confirm, Some("confirm"), "run the plan if the typed id matches"),
    bind(Confirm, &[key(KeyCode::Esc)], Action::Cancel, Some("back to the plan"), "back to the plan; nothing is sent"),
    bind(Confirm, &[key(KeyCode::Backspace)], Action::DeleteBack, None, "delete the last character"),
    bind(Confirm, &[TYPED], INSERT, None, "type the resource id the prompt shows"),
    bind(Cidr, &[key(KeyCode::Enter)], Action::Confirm, Some("use it"), "narrow the plan to this CIDR (empty: no narrowing); nothing is sent"),
    bind(Cidr, &[key(KeyCode::Esc)], Action::Cancel, Some("back to the plan"), "back to the plan, unchanged"),
    bind(Cidr, &[key(KeyCode::Backspace)], Action::DeleteBack, None, "delete the last character"),
    bind(Cidr, &[TYPED], INSERT, None, "type an IPv4 or IPv6 CIDR (never the whole internet)"),
];

fn same_key(bound: &Key, event: &KeyEvent) -> bool {
    if *bound == TYPED {
        return matches!(event.code, KeyCode::Char(_))
            && !event.modifiers.contains(KeyModifiers::CONTROL);
    }
    if bound.code != event.code {
        return false;
    }
    // Terminals report shifted letters with SHIFT set; the char already
    // says it, so compare only Control and Alt.
    let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
    (bound.modifiers & relevant) == (event.modifiers & relevant)
}

pub fn lookup(context: Context, event: &KeyEvent) -> Option<Action> {
    let action = BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .find(|b| b.keys.iter().any(|k| same_key(k, event)))
        .map(|b| b.action)?;
    match (action, event.code) {
        (Action::Insert(_), KeyCode::Char(c)) => Some(Action::Insert(c)),
        _ => Some(action),
    }
}

fn binding(context: Context, action: Action) -> Option<&'static Binding> {
    BINDINGS
        .iter()
        .find(|b| b.context == context && b.action == action)
}

/// All keys bound to `action` in `context`, e.g. `Enter/y`.
pub fn keys_for(context: Context, action: Action) -> String {
    binding(context, action).map(keys_label).unwrap_or_default()
}

/// The first key bound to `action` in `context`, e.g. `j`.
pub fn first_key(context: Context, action: Action) -> String {
    binding(context, action)
        .and_then(|b| b.keys.first())
        .map(key_name)
        .unwrap_or_default()
}

pub fn key_name(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "S-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Backspace => "BS".into(),
        KeyCode::Null => "text".into(),
        other => format!("{other:?}"),
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        format!("C-{base}")
    } else {
        base
    }
}

/// All key names of a binding, e.g. `j/↓`.
pub fn keys_label(binding: &Binding) -> String {
    binding
        .keys
        .iter()
        .map(key_name)
        .collect::<Vec<_>>()
        .join("/")
}

/// Footer hints for a context: `(action, first key, label)`.
pub fn hints(context: Context) -> Vec<(Action, String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.context == context)
        .filter_map(|b| b.hint.map(|h| (b.action, key_name(&b.keys[0]), h)))
        .collect()
}

/// Parse a key list such as `4 / rule:snapshot <Enter> f y` into events:
/// `<Name>` is a special key, any other word is typed character by character.
pub fn parse_keys(text: &str) -> Result<Vec<KeyEvent>, String> {
    let mut events = Vec::new();
    for word in text.split_whitespace() {
        if let Some(name) = word.strip_prefix('<').and_then(|w| w.strip_suffix('>')) {
            let code = match name.to_ascii_lowercase().as_str() {
                "enter" | "cr" => KeyCode::Enter,
                "esc" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "bs" | "backspace" => KeyCode::Backspace,
                other => return Err(format!("unknown key <{other}> in --keys")),
            };
            events.push(KeyEvent::new(code, KeyModifiers::NONE));
        } else {
            events.extend(
                word.chars()
                    .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for context in Context::ALL {
            let mut seen = Vec::new();
            for b in BINDINGS.iter().filter(|b| b.context == context) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} bound twice in {context:?}");
                    seen.push(*k);
                }
            }
        }
    }

    #[test]
    fn shifted_letters_match_their_binding() {
        let event = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Context::Main, &event), Some(Action::Bottom));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Main, &ctrl_c), Some(Action::Quit));
        let plain_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(lookup(Context::Main, &plain_c), None);
    }

    #[test]
    fn parses_key_scripts() {
        let keys = parse_keys("4 /ab <Enter>").unwrap();
        let codes: Vec<KeyCode> = keys.iter().map(|k| k.code).collect();
        assert_eq!(
            codes,
            vec![
                KeyCode::Char('4'),
                KeyCode::Char('/'),
                KeyCode::Char('a'),
                KeyCode::Char('b'),
                KeyCode::Enter
            ]
        );
        assert!(parse_keys("<Nope>").is_err());
    }

    #[test]
    fn typing_contexts_turn_characters_into_text() {
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        let shifted = KeyEvent::new(KeyCode::Char('Q'), KeyModifiers::SHIFT);
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        for context in [Context::Filter, Context::Confirm, Context::Cidr] {
            assert_eq!(lookup(context, &q), Some(Action::Insert('q')));
            assert_eq!(lookup(context, &shifted), Some(Action::Insert('Q')));
            assert_eq!(lookup(context, &ctrl_u), None);
            assert_eq!(lookup(context, &enter), Some(Action::Confirm));
        }
        assert_eq!(lookup(Context::Main, &q), Some(Action::Quit));
    }
}
