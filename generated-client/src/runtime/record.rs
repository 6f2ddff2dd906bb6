//! Generated structs on the wire: each struct gives its wire names, a `match` from name to index
//! and a body that stores each field; the visitor, the key reader and every per-field step live
//! here once, so the generated code type-checks one small function per struct instead of serde's
//! field enum, visitors and their error paths.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// A generated struct read from a JSON object. Its `Deserialize` is [`deserialize_record`].
pub trait Record: Sized {
    /// The index of a wire name among the struct's fields, or [`UNKNOWN`] for a key the struct
    /// does not have. A `match` on the names, which the compiler turns into comparisons by length first,
    /// as serde's derive does.
    fn field_index(key: &str) -> usize;
    /// Reads the fields from the object's entries: [`next_key`], then [`read_required`],
    /// [`read_optional`] or [`skip_value`] by index, then [`required`] for each required field.
    fn read_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The index [`Record::field_index`] gives a key the struct does not have; its value is skipped.
pub const UNKNOWN: usize = usize::MAX;

/// The `Deserialize` of every generated struct. The struct's name is its type's path (an error
/// says "expected struct Name", the path's last segment, computed only then); its field names are
/// not passed, as JSON does not use them.
#[inline(always)]
pub fn deserialize_record<'de, T: Record, D: de::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(std::any::type_name::<T>(), &[], RecordVisitor(PhantomData))
}

/// The last segment of a type's path.
fn struct_name<T>() -> &'static str {
    let path = std::any::type_name::<T>();
    path.rsplit("::").next().unwrap_or(path)
}

struct RecordVisitor<T>(PhantomData<T>);

impl<'de, T: Record> Visitor<'de> for RecordVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", struct_name::<T>())
    }
    #[inline(always)]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read_fields(map)
    }
}

/// The index of the next key (see [`Record::field_index`]), without allocating for it; `None`
/// after the last entry.
#[inline(always)]
pub fn next_key<'de, T: Record, A: MapAccess<'de>>(map: &mut A) -> Result<Option<usize>, A::Error> {
    map.next_key_seed(KeySeed::<T>(PhantomData))
}

struct KeySeed<T>(PhantomData<T>);

impl<'de, T: Record> DeserializeSeed<'de> for KeySeed<T> {
    type Value = usize;
    #[inline(always)]
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, T: Record> Visitor<'de> for KeySeed<T> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    #[inline(always)]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(T::field_index(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        Ok(std::str::from_utf8(v).map_or(UNKNOWN, T::field_index))
    }
}

/// Reads a required field's value into its slot. A key sent twice is serde's `duplicate_field`
/// error; the check also spares the drop of a value the assignment would replace, which made
/// decoding 1.6-3x slower without it.
#[inline(always)]
pub fn read_required<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(map: &mut A, slot: &mut Option<T>, wire: &'static str) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(wire));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Reads an optional field's value into its slot: `null` is `Some(None)`, seen but absent. Its
/// own function so that the slot's type says the field is optional (the struct's loop needs no
/// type annotations).
#[inline(always)]
pub fn read_optional<'de, A: MapAccess<'de>, T: de::Deserialize<'de>>(map: &mut A, slot: &mut Option<Option<T>>, wire: &'static str) -> Result<(), A::Error> {
    read_required(map, slot, wire)
}

/// Skips the value of a key the struct does not have.
#[inline(always)]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// A required field's value, or serde's `missing_field` error.
#[inline(always)]
pub fn required<T, E: de::Error>(slot: Option<T>, wire: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(wire))
}

/// Writes an optional field of a generated struct's `Serialize` when it is set, and skips it
/// otherwise (absent from the JSON, not `null`).
#[inline(always)]
pub fn serialize_set<S: serde::ser::SerializeStruct, T: serde::Serialize>(out: &mut S, wire: &'static str, value: &Option<T>) -> Result<(), S::Error> {
    match value {
        Some(value) => out.serialize_field(wire, value),
        None => out.skip_field(wire),
    }
}
