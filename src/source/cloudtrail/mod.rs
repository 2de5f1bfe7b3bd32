//! CloudTrail, where the activity trail comes from: records as CloudTrail
//! writes them (`record.rs`, their parameters in `detail.rs`), whichever
//! way they arrive — LookupEvents' `CloudTrailEvent` strings, or trail log
//! files (`files.rs`, streamed by `scan.rs`), which `with_trail.rs` adds to
//! whatever source the fleet comes from (`--cloudtrail PATH`).

mod detail;
pub mod files;
pub mod record;
mod scan;
mod with_trail;

pub use files::{Trail, read_trail, read_trail_until};
pub use record::{RecordError, event_from_record, normalize_time};
pub use with_trail::WithTrail;
