//! Resource tags: a small sorted list, written as a JSON object.
//!
//! A `BTreeMap` allocates a 544-byte node for its first entry; at fleet
//! scale (three tags on each of 100k resources) that alone was 73 MB of a
//! scan's peak memory. A sorted `Vec` of pairs holds the same data in a
//! quarter of it and reads the same JSON.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.0[i].1.as_str())
    }

    /// Set `key`, replacing any value it had.
    pub fn insert(&mut self, key: String, value: String) {
        match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Sorted once, not inserted one by one: hostile input (200k tags in
/// descending order) must not cost a quadratic number of moves. The sort
/// is stable, so of repeated keys the last value wins, as with `insert`.
impl FromIterator<(String, String)> for Tags {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        let mut pairs: Vec<(String, String)> = pairs.into_iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut tags: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match tags.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => tags.push(pair),
            }
        }
        tags.shrink_to_fit();
        Tags(tags)
    }
}

impl<const N: usize> From<[(String, String); N]> for Tags {
    fn from(pairs: [(String, String); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl Serialize for Tags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagsVisitor;
        impl<'de> Visitor<'de> for TagsVisitor {
            type Value = Tags;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of tag names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tags, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(pair) = map.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(pairs.into_iter().collect())
            }
        }
        deserializer.deserialize_map(TagsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_read_and_write_the_same_json_object_sorted_by_key() {
        let tags: Tags =
            serde_json::from_str(r#"{"team":"payments","env":"prod","team":"billing"}"#)
                .expect("a tag object");
        assert_eq!(tags.len(), 2, "a repeated key keeps its last value");
        assert_eq!(tags.get("team"), Some("billing"));
        assert_eq!(tags.get("missing"), None);
        assert_eq!(
            serde_json::to_string(&tags).expect("serialises"),
            r#"{"env":"prod","team":"billing"}"#
        );
        assert!(serde_json::from_str::<Tags>("[1]").is_err());
    }

    #[test]
    fn descending_and_repeated_keys_build_one_sorted_list() {
        let tags: Tags = (0..5000)
            .rev()
            .chain([4999, 0])
            .map(|n| (format!("k{n:05}"), format!("v{n}")))
            .collect();
        assert_eq!(tags.len(), 5000);
        let keys: Vec<&str> = tags.iter().map(|(k, _)| k).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        assert_eq!(tags.get("k00000"), Some("v0"));
        assert_eq!(tags.get("k04999"), Some("v4999"));
    }
}
