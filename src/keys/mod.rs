//! Keys, the actions they stand for and where: the reader's input model as data, shared by
//! the app (which carries actions out), the config (which rebinds keys) and help.

mod action;
mod context;
mod de;
mod key;
mod keymap;

pub use action::{Action, Group};
pub use context::{Context, Unbound};
pub use key::{Key, KeyCode};
pub use keymap::{
    Binding, KeyOverrides, Keymap, Lookup, default_config_section, usable, usable_actions,
};
