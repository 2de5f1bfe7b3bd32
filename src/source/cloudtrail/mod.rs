//! CloudTrail, where the activity trail comes from: records as CloudTrail
//! writes them (`record.rs`), whichever way they arrive — LookupEvents'
//! `CloudTrailEvent` strings, or trail log files.

pub mod record;

pub use record::{RecordError, event_from_record};
