//! The v1 engine, kept while the IR → IR pipeline replaces it.
#![allow(dead_code)]

pub mod analyse;
pub mod diag;
pub mod emit;
pub mod expand;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod opt;
pub mod rules;
pub mod sig;
