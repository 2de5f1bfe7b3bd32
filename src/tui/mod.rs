//! The interactive dashboard.

pub mod svg;
