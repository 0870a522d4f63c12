//! Code shared by integration tests (`mod common;` in a test file).
//!
//! Each test file compiles this on its own and uses only part of it.
#![allow(dead_code)]

pub mod epub;
pub mod sandbox;
