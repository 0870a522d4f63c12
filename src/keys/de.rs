//! Reading `keys: (reader: { "J": "PageDown" }, …)` from the config. Every binding is checked
//! as it is read, so an error points at its line and column.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::context::Context;
use super::keymap::KeyOverrides;

const FIELDS: &[&str] = &[
    "reader",
    "visual",
    "search",
    "help",
    "help_search",
    "tags",
    "note",
    "discard",
    "export",
    "overwrite",
    "entities",
    "entity_prompt",
    "notes",
    "filter",
    "unsaved",
    "outline",
];

impl<'de> de::Deserialize<'de> for KeyOverrides {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("KeyOverrides", FIELDS, Contexts)
    }
}

struct Contexts;

impl<'de> Visitor<'de> for Contexts {
    type Value = KeyOverrides;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("key bindings by context, e.g. (reader: { \"J\": \"PageDown\" })")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<KeyOverrides, M::Error> {
        let mut out = KeyOverrides::default();
        while let Some(name) = map.next_key::<String>()? {
            let context = Context::from_name(&name).ok_or_else(|| {
                de::Error::custom(format!(
                    "{name:?} is not a context: use one of {}",
                    FIELDS.join(", ")
                ))
            })?;
            map.next_value_seed(Bindings {
                context,
                out: &mut out,
            })?;
        }
        Ok(out)
    }
}

struct Bindings<'a> {
    context: Context,
    out: &'a mut KeyOverrides,
}

impl<'de> DeserializeSeed<'de> for Bindings<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Bindings<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of keys to actions, e.g. { \"J\": \"PageDown\", \"x\": \"none\" }")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some((keys, action)) = map.next_entry::<String, String>()? {
            self.out
                .add(self.context, &keys, &action)
                .map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_the_contexts() {
        assert_eq!(FIELDS.len(), Context::ALL.len());
        for c in Context::ALL {
            assert!(FIELDS.contains(&c.name()), "{c:?}");
        }
    }
}
