//! pizhu (批注): read and annotate Chinese articles in a terminal.
//!
//! The library is pure: no terminal, no global state. The binary is a thin shell over it.

pub mod annotations;
pub mod app;
pub mod clock;
pub mod config;
pub mod document;
pub mod entities;
pub mod export;
pub mod formats;
pub mod import;
pub mod io_error;
pub mod keys;
pub mod layout;
pub mod load;
pub mod output;
pub mod plain;
pub mod search;
pub mod segment;
pub mod session;
pub mod store;
pub mod term;
pub mod text;
pub mod ui;
pub mod units;
pub mod wording;
