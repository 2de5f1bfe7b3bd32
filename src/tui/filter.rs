//! The `/` filter: words that must all match a row.
//!
//! `sev:high` (worst severity exactly high; `sev:high+` at or above),
//! `region:eu-west-1`, `rule:snapshot-public`, `kind:cluster`, free text
//! matched against the row's cells, and `!` before any word to negate it.

use crate::rules::Severity;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Severity {
        at_least: bool,
        severity: Severity,
    },
    /// Rows with no findings: `sev:ok` / `sev:none`.
    Clean,
    Region(String),
    Rule(String),
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
    /// Rule ids of the row's findings (one for a finding row).
    pub rules: &'a [String],
    /// Resource type and, for snapshots, the kind (`db`/`cluster`).
    pub kinds: &'a [&'a str],
    /// The row's cells, lower-cased and joined, for free-text words.
    pub text: &'a str,
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
                Some(("rule", value)) => Some(Term::Rule(value.into())),
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
        Term::Region(r) => s.region.to_lowercase().starts_with(r.as_str()),
        Term::Rule(r) => s.rules.iter().any(|rule| rule.contains(r.as_str())),
        Term::Kind(k) => s.kinds.iter().any(|kind| kind.contains(k.as_str())),
        Term::Text(t) => s.text.contains(t.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(
        worst: Option<Severity>,
        region: &'a str,
        rules: &'a [String],
        kinds: &'a [&'a str],
        text: &'a str,
    ) -> Subject<'a> {
        Subject {
            worst,
            region,
            rules,
            kinds,
            text,
        }
    }

    #[test]
    fn combines_terms_with_and_and_negation() {
        let rules = vec!["snapshot-public".to_string()];
        let text = "orders-prod-final";
        let kinds = ["db-cluster-snapshot", "cluster"];
        let s = subject(Some(Severity::Critical), "us-east-1", &rules, &kinds, text);
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
    fn reports_bad_severity() {
        let f = Filter::parse("sev:urgent");
        assert!(f.error.is_some());
    }
}
