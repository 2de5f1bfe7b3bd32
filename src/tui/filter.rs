//! The `/` filter: words that must all match a row.
//!
//! `sev:high` (worst severity exactly high; `sev:high+` at or above),
//! `region:eu-west-1`, `rule:snapshot-public`, `kind:cluster`, free text
//! matched against the row's cells, and `!` before any word to negate it.

use crate::rules::{CATALOGUE, RuleId, Severity};

/// A set of rules as bits: a row's rules, and the rules a `rule:` word
/// names, so matching one against the other is one AND per row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleSet(u32);

impl RuleSet {
    pub fn of(rule: RuleId) -> Self {
        Self(1 << rule as u32)
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
    Region(String),
    /// The rules whose id contains the word.
    Rule(RuleSet),
    Kind(String),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    negated: bool,
    term: Term,
}

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
    pub region: &'a str,
    /// Rules of the row's findings (one for a finding row).
    pub rules: RuleSet,
    /// Resource type and, for snapshots, the kind (`db`/`cluster`).
    pub kinds: &'a [&'a str],
    /// Does the row's text (its cells) contain this lower-case word?
    /// Callers answer from an index built once per pane (`search`).
    pub contains: &'a dyn Fn(&str) -> bool,
}

impl Filter {
    pub fn parse(text: &str) -> Self {
        let mut words = Vec::new();
        let mut error = None;
        for raw in text.split_whitespace() {
            let (negated, body) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            if body.is_empty() {
                continue;
            }
            let lower = body.to_lowercase();
            let term = match lower.split_once(':') {
                Some(("sev" | "severity", value)) => match value {
                    "ok" | "none" | "pass" => Some(Term::Clean),
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

    /// The free-text words (lower-case), for callers that index rows by
    /// them before matching.
    pub fn text_words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().filter_map(|w| match &w.term {
            Term::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }

    pub fn matches(&self, subject: &Subject<'_>) -> bool {
        self.words
            .iter()
            .all(|w| term_matches(&w.term, subject) != w.negated)
    }
}

fn term_matches(term: &Term, s: &Subject<'_>) -> bool {
    match term {
        Term::Severity { at_least, severity } => match s.worst {
            Some(worst) if *at_least => worst >= *severity,
            Some(worst) => worst == *severity,
            None => false,
        },
        Term::Clean => s.worst.is_none(),
        // Regions are ASCII: compare without lower-casing a copy per row.
        Term::Region(r) => s
            .region
            .get(..r.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(r)),
        Term::Rule(rules) => s.rules.intersects(*rules),
        Term::Kind(k) => s.kinds.iter().any(|kind| kind.contains(k.as_str())),
        Term::Text(t) => (s.contains)(t),
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
            region: "us-east-1",
            rules: RuleSet::of(RuleId::SnapshotPublic),
            kinds: &kinds,
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
            region: "EU-West-1",
            rules,
            kinds: &["db-instance"],
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
    fn reports_bad_severity() {
        let f = Filter::parse("sev:urgent");
        assert!(f.error.is_some());
    }
}
