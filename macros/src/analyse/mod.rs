//! Analyses over the IR: activity and the tape plan.

pub mod activity;
pub mod plan;
