//! The `/` filter: words that must all match a row.
//!
//! `sev:high` (worst severity exactly high; `sev:high+` at or above),
//! `region:eu-west-1`, `rule:snapshot-public`, `kind:cluster`, free text
//! matched against the row's cells, and `!` before any word to negate it.
//! Events have their own words: `event:ModifyDBClusterSnapshotAttribute`,
//! `principal:alice` (short name or ARN), `ip:203.0.113.`, and
//! `result:ok|error|denied|<code>`.
//!
//! A word speaks only of the rows it can describe: event words leave
//! resources and findings alone, and `sev:`/`rule:` leave events alone, so
//! a filter typed in one pane does not empty the panes Enter leads to.
//!
//! A filter is parsed once per change. Words are kept once each (a pasted
//! block repeats itself), and `narrows` says when a new filter can only
//! drop rows from the previous one's result, so the caller can filter
//! those rows instead of every row again.

use crate::model::Event;
use crate::rules::{CATALOGUE, RuleId, Severity};

mod event;

use event::{Outcome, event_matches};

/// A set of rules as bits: a row's rules, and the rules a `rule:` word
/// names, so matching one against the other is one AND per row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleSet(u64);

// One bit per rule: a rule past the 64th needs a wider set.
const _: () = assert!(RuleId::ALL.len() <= u64::BITS as usize);

impl RuleSet {
    pub fn of(rule: RuleId) -> Self {
        Self(1 << rule as u64)
    }

    pub fn insert(&mut self, rule: RuleId) {
        self.0 |= Self::of(rule).0;
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn intersects(self, other: RuleSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Every rule whose id contains `text`.
    fn named(text: &str) -> Self {
        let mut set = Self::default();
        for rule in CATALOGUE.iter().filter(|r| r.name().contains(text)) {
            set.insert(rule.id);
        }
        set
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Severity {
        at_least: bool,
        severity: Severity,
    },
    /// Rows with no findings: `sev:ok` / `sev:none`.
    Clean,
    /// Rows with a verdict rdsight could not reach: `sev:unknown`.
    Unknown,
    Region(String),
    /// The rules whose id contains the word.
    Rule(RuleSet),
    Kind(String),
    /// An event whose name contains it.
    EventName(String),
    /// An event whose caller's ARN (or role, or service) contains it.
    Principal(String),
    /// An event whose source address starts with it.
    Ip(String),
    Result(Outcome),
    Text(String),
}

impl Term {
    /// Whether the term can say anything about a row that is an event
    /// (`event`) or not: event words speak of events only, severity and
    /// rule words of resources and findings.
    fn describes(&self, event: bool) -> bool {
        match self {
            Term::EventName(_) | Term::Principal(_) | Term::Ip(_) | Term::Result(_) => event,
            Term::Severity { .. } | Term::Clean | Term::Unknown | Term::Rule(_) => !event,
            Term::Region(_) | Term::Kind(_) | Term::Text(_) => true,
        }
    }
}

/// One word of a filter: a term, perhaps negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    negated: bool,
    term: Term,
}

impl Word {
    /// The free text this word looks for (lower-case), when it is a text
    /// word; callers search their own index for it.
    pub fn text(&self) -> Option<&str> {
        match &self.term {
            Term::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn negated(&self) -> bool {
        self.negated
    }

    /// Does the row `subject` describes pass this word? A word that
    /// cannot describe the row lets it through, negated or not.
    pub fn matches(&self, subject: &Subject<'_>) -> bool {
        !self.term.describes(subject.event.is_some())
            || term_matches(&self.term, subject) != self.negated
    }

    /// Whether this word can narrow rows that are events (`events`) or
    /// rows that are not: a pane skips the words that cannot.
    pub fn narrows_rows_of(&self, events: bool) -> bool {
        self.term.describes(events)
    }

    /// Every row that passes `self` also passes `other`.
    fn implies(&self, other: &Word) -> bool {
        if self == other {
            return true;
        }
        if self.negated != other.negated {
            return false;
        }
        match (&self.term, &other.term) {
            // Containing `prod` contains `pro`; lacking `pro` lacks `prod`.
            (Term::Text(new), Term::Text(old)) => {
                if self.negated {
                    old.contains(new.as_str())
                } else {
                    new.contains(old.as_str())
                }
            }
            // `region:us-east-1` is inside `region:us-east`.
            (Term::Region(new), Term::Region(old)) if !self.negated => {
                new.starts_with(old.as_str())
            }
            (Term::Kind(new), Term::Kind(old))
            | (Term::EventName(new), Term::EventName(old))
            | (Term::Principal(new), Term::Principal(old))
                if !self.negated =>
            {
                new.contains(old.as_str())
            }
            (Term::Ip(new), Term::Ip(old)) if !self.negated => new.starts_with(old.as_str()),
            _ => false,
        }
    }
}

/// Above this many word pairs, `narrows` does not look for a word that
/// implies another out of place (a filter rebuilt in full is still right).
const MAX_PAIRS: usize = 1 << 16;

/// A parsed filter. The empty filter matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    text: String,
    words: Vec<Word>,
    /// A word that did not parse (e.g. `sev:urgent`), shown to the user.
    pub error: Option<String>,
}

/// What a filter is matched against, for one row.
pub struct Subject<'a> {
    pub worst: Option<Severity>,
    /// Some rule could not judge the row's resource.
    pub unknown: bool,
    pub region: &'a str,
    /// Rules of the row's findings (one for a finding row).
    pub rules: RuleSet,
    /// Resource type and, for snapshots, the kind (`db`/`cluster`); for an
    /// event, those of the resource it names.
    pub kinds: &'a [&'a str],
    /// The event, for an event row.
    pub event: Option<&'a Event>,
    /// Does the row's text (its cells) contain this lower-case word?
    /// Callers answer from an index built once per pane (`search`).
    pub contains: &'a dyn Fn(&str) -> bool,
}

impl Filter {
    pub fn parse(text: &str) -> Self {
        let mut words = Vec::new();
        let mut error = None;
        // Each word once: a word twice is the same test twice.
        let mut seen = std::collections::HashSet::new();
        for raw in text.split_whitespace() {
            let (negated, body) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            if body.is_empty() {
                continue;
            }
            let lower = body.to_lowercase();
            if !seen.insert((negated, lower.clone())) {
                continue;
            }
            let term = match lower.split_once(':') {
                Some(("sev" | "severity", value)) => match value {
                    "ok" | "none" | "pass" => Some(Term::Clean),
                    "unknown" | "?" => Some(Term::Unknown),
                    _ => {
                        let (at_least, name) = match value.strip_suffix('+') {
                            Some(name) => (true, name),
                            None => (false, value),
                        };
                        match name.parse::<Severity>() {
                            Ok(severity) => Some(Term::Severity { at_least, severity }),
                            Err(e) => {
                                error = Some(e);
                                None
                            }
                        }
                    }
                },
                Some(("region", value)) => Some(Term::Region(value.into())),
                Some(("rule", value)) => Some(Term::Rule(RuleSet::named(value))),
                Some(("kind" | "type", value)) => Some(Term::Kind(value.into())),
                Some(("event", value)) => Some(Term::EventName(value.into())),
                Some(("principal" | "who", value)) => Some(Term::Principal(value.into())),
                Some(("ip", value)) => Some(Term::Ip(value.into())),
                Some(("result", value)) => Some(Term::Result(Outcome::parse(value))),
                _ => Some(Term::Text(lower)),
            };
            if let Some(term) = term {
                words.push(Word { negated, term });
            }
        }
        Self {
            text: text.to_string(),
            words,
            error,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words, each once, in the order typed.
    pub fn words(&self) -> &[Word] {
        &self.words
    }

    /// Whether any word is free text (and so needs the rows' text).
    pub fn has_text(&self) -> bool {
        self.words.iter().any(|w| w.text().is_some())
    }

    pub fn matches(&self, subject: &Subject<'_>) -> bool {
        self.words.iter().all(|w| w.matches(subject))
    }

    /// Whether every row this filter lets through was let through by
    /// `earlier` as well — typing on at the end of a word, adding a word,
    /// pasting — so the rows `earlier` left can be narrowed instead of
    /// every row being filtered again. `false` when unsure.
    pub fn narrows(&self, earlier: &Filter) -> bool {
        // Usually the earlier words are still there, in place, perhaps the
        // last one longer.
        let in_place = earlier.words.len() <= self.words.len()
            && earlier
                .words
                .iter()
                .zip(&self.words)
                .all(|(old, new)| new.implies(old));
        in_place
            || (earlier.words.len().saturating_mul(self.words.len()) <= MAX_PAIRS
                && earlier
                    .words
                    .iter()
                    .all(|old| self.words.iter().any(|new| new.implies(old))))
    }
}

fn term_matches(term: &Term, s: &Subject<'_>) -> bool {
    match term {
        Term::Severity { at_least, severity } => match s.worst {
            Some(worst) if *at_least => worst >= *severity,
            Some(worst) => worst == *severity,
            None => false,
        },
        Term::Clean => s.worst.is_none() && !s.unknown,
        Term::Unknown => s.unknown,
        // Regions are ASCII: compare without lower-casing a copy per row.
        Term::Region(r) => s
            .region
            .get(..r.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(r)),
        Term::Rule(rules) => s.rules.intersects(*rules),
        Term::Kind(k) => s.kinds.iter().any(|kind| kind.contains(k.as_str())),
        Term::Text(t) => (s.contains)(t),
        Term::EventName(_) | Term::Principal(_) | Term::Ip(_) | Term::Result(_) => {
            s.event.is_some_and(|e| event_matches(term, e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combines_terms_with_and_and_negation() {
        let kinds = ["db-cluster-snapshot", "cluster"];
        let contains = |word: &str| "orders-prod-final".contains(word);
        let s = Subject {
            worst: Some(Severity::Critical),
            unknown: false,
            region: "us-east-1",
            rules: RuleSet::of(RuleId::SnapshotPublic),
            kinds: &kinds,
            event: None,
            contains: &contains,
        };
        assert!(Filter::parse("").matches(&s));
        assert!(Filter::parse("sev:critical region:us-east").matches(&s));
        assert!(Filter::parse("rule:snapshot-public kind:cluster orders").matches(&s));
        assert!(!Filter::parse("sev:high").matches(&s));
        assert!(Filter::parse("sev:high+").matches(&s));
        assert!(!Filter::parse("!orders").matches(&s));
        assert!(Filter::parse("!region:eu-west-1").matches(&s));
        assert!(!Filter::parse("sev:ok").matches(&s));
    }

    #[test]
    fn rule_words_match_any_rule_containing_them() {
        let contains = |_: &str| false;
        let mut rules = RuleSet::of(RuleId::BackupsShort);
        rules.insert(RuleId::CopyTagsOff);
        let s = Subject {
            worst: Some(Severity::Low),
            unknown: false,
            region: "EU-West-1",
            rules,
            kinds: &["db-instance"],
            event: None,
            contains: &contains,
        };
        assert!(Filter::parse("rule:backups").matches(&s));
        assert!(Filter::parse("rule:copy-tags-off").matches(&s));
        assert!(!Filter::parse("rule:public").matches(&s));
        assert!(!Filter::parse("rule:nosuchrule").matches(&s));
        assert!(Filter::parse("region:eu-west").matches(&s));
        assert_eq!(rules.len(), 2);
    }

    #[test]
    fn keeps_each_word_once() {
        let f = Filter::parse("prod PROD !prod prod sev:high sev:high");
        assert_eq!(f.words().len(), 3);
        assert_eq!(f.text(), "prod PROD !prod prod sev:high sev:high");
    }

    #[test]
    fn knows_when_a_filter_only_narrows_the_last_one() {
        let narrows = |new: &str, old: &str| Filter::parse(new).narrows(&Filter::parse(old));
        assert!(narrows("pro", ""));
        assert!(narrows("prod", "pro"));
        assert!(narrows("pro db", "pro"));
        assert!(narrows("db pro", "pro"));
        assert!(narrows("!pro", "!prod"));
        assert!(narrows("region:us-east-1", "region:us-east"));
        assert!(narrows("sev:high x", "sev:high"));
        // Widening, or changing a word, needs every row again.
        assert!(!narrows("pro", "prod"));
        assert!(!narrows("", "pro"));
        assert!(!narrows("!prod", "!pro"));
        assert!(!narrows("sev:high", "sev:critical"));
        assert!(!narrows("pro", "!pro"));
    }

    #[test]
    fn reports_bad_severity() {
        let f = Filter::parse("sev:urgent");
        assert!(f.error.is_some());
    }

    #[test]
    fn unknown_verdicts_have_their_own_word_and_are_never_clean() {
        let subject = |worst, unknown| Subject {
            worst,
            unknown,
            region: "us-east-1",
            rules: RuleSet::of(RuleId::SgOpenDbPort),
            kinds: &["db-instance"],
            event: None,
            contains: &|_| false,
        };
        let unknown_only = subject(None, true);
        assert!(Filter::parse("sev:unknown").matches(&unknown_only));
        assert!(Filter::parse("sev:?").matches(&unknown_only));
        assert!(!Filter::parse("sev:ok").matches(&unknown_only));
        assert!(!Filter::parse("sev:low+").matches(&unknown_only));
        let clean = subject(None, false);
        assert!(!Filter::parse("sev:unknown").matches(&clean));
        assert!(Filter::parse("sev:ok").matches(&clean));
        let both = subject(Some(Severity::High), true);
        assert!(Filter::parse("sev:unknown sev:high").matches(&both));
        assert!(Filter::parse("parse").error.is_none());
    }
}
