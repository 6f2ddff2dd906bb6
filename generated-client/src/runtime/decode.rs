//! Reading answers: the envelope's code, message and request id without decoding the payload,
//! then the payload alone, in one pass each and without allocating for keys.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::profile::EnvelopeSpec;

/// The parts of an envelope the runtime acts on.
#[derive(Debug, Default)]
pub(crate) struct Head {
    pub code: Option<i64>,
    pub sub_code: Option<i64>,
    pub message: Option<String>,
    pub request_id: Option<String>,
}

pub(crate) fn head(body: &[u8], envelope: &EnvelopeSpec, request_id_field: Option<&str>) -> Result<Head, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let head = HeadSeed { envelope, request_id_field }.deserialize(&mut de)?;
    de.end()?;
    Ok(head)
}

/// The payload under `field`. A missing or null field decodes as JSON `null`, or else as `{}`:
/// a payload whose fields are all optional is then empty, as the vendor means it.
pub(crate) fn data<T: DeserializeOwned>(body: &[u8], field: &str) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = DataSeed::<T> { field, marker: std::marker::PhantomData }.deserialize(&mut de)?;
    de.end()?;
    match value {
        Some(v) => Ok(v),
        None => serde_json::from_slice(b"null").or_else(|e| serde_json::from_slice(b"{}").map_err(|_| e)),
    }
}

/// The envelope and the payload in one pass: the fast path of every successful answer. The
/// payload is decoded unless the code, read before it, already says failure. `Err` when the
/// body is not the envelope or the payload not `T`: the caller then reads the body again,
/// carefully, to say why.
pub(crate) fn envelope_and_data<T: DeserializeOwned>(body: &[u8], envelope: &EnvelopeSpec, request_id_field: Option<&str>) -> Result<(Head, Option<T>), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let out = OnePassSeed::<T> { envelope, request_id_field, marker: std::marker::PhantomData }.deserialize(&mut de)?;
    de.end()?;
    Ok(out)
}

struct OnePassSeed<'a, T> {
    envelope: &'a EnvelopeSpec,
    request_id_field: Option<&'a str>,
    marker: std::marker::PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for OnePassSeed<'_, T> {
    type Value = (Head, Option<T>);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for OnePassSeed<'_, T> {
    type Value = (Head, Option<T>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (the response envelope)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let e = self.envelope;
        // The data field takes the place of the sub-code's slot when there is none.
        let names = [Some(e.code), e.sub_code, Some(e.message), self.request_id_field];
        let mut head = Head::default();
        let mut data = None;
        let success = |head: &Head| head.code.is_none_or(|c| c == e.success);
        while let Some(key) = map.next_key_seed(DataOrKey { names, data: e.data })? {
            match key {
                Some(Key::Code) => head.code = map.next_value::<LenientInt>()?.0,
                Some(Key::SubCode) => head.sub_code = map.next_value::<LenientInt>()?.0,
                // A successful answer's message and request id are not needed: no allocation.
                Some(Key::Message) if success(&head) && head.code.is_some() => {
                    map.next_value::<IgnoredAny>()?;
                }
                Some(Key::Message) => head.message = map.next_value::<Option<String>>()?,
                Some(Key::RequestId) => head.request_id = map.next_value::<Option<String>>()?,
                Some(Key::Other) => {
                    map.next_value::<IgnoredAny>()?;
                }
                None if success(&head) => data = map.next_value::<Option<T>>()?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((head, data))
    }
}

/// A key of the envelope (`Some`), or the data field (`None`).
struct DataOrKey<'a> {
    names: [Option<&'a str>; 4],
    data: &'a str,
}

impl<'de> DeserializeSeed<'de> for DataOrKey<'_> {
    type Value = Option<Key>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<Key>, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for DataOrKey<'_> {
    type Value = Option<Key>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Key>, E> {
        if v == self.data {
            return Ok(None);
        }
        const KEYS: [Key; 4] = [Key::Code, Key::SubCode, Key::Message, Key::RequestId];
        Ok(Some(self.names.iter().position(|n| *n == Some(v)).map_or(Key::Other, |i| KEYS[i])))
    }
}

struct HeadSeed<'a> {
    envelope: &'a EnvelopeSpec,
    request_id_field: Option<&'a str>,
}

#[derive(Clone, Copy)]
enum Key {
    Code,
    SubCode,
    Message,
    RequestId,
    Other,
}

struct KeySeed<'a> {
    names: [Option<&'a str>; 4],
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        const KEYS: [Key; 4] = [Key::Code, Key::SubCode, Key::Message, Key::RequestId];
        Ok(self.names.iter().position(|n| *n == Some(v)).map_or(Key::Other, |i| KEYS[i]))
    }
}

impl<'de> DeserializeSeed<'de> for HeadSeed<'_> {
    type Value = Head;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Head, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for HeadSeed<'_> {
    type Value = Head;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (the response envelope)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Head, A::Error> {
        let e = self.envelope;
        let seed = KeySeed { names: [Some(e.code), e.sub_code, Some(e.message), self.request_id_field] };
        let mut head = Head::default();
        while let Some(key) = map.next_key_seed(KeySeed { names: seed.names })? {
            match key {
                Key::Code => head.code = map.next_value::<LenientInt>()?.0,
                Key::SubCode => head.sub_code = map.next_value::<LenientInt>()?.0,
                Key::Message => head.message = map.next_value::<Option<String>>()?,
                Key::RequestId => head.request_id = map.next_value::<Option<String>>()?,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(head)
    }
}

/// An integer written as a number or as a numeric string (Authing's older `apiCode`).
struct LenientInt(Option<i64>);

impl<'de> serde::Deserialize<'de> for LenientInt {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LenientIntVisitor).map(LenientInt)
    }
}

struct LenientIntVisitor;

impl Visitor<'_> for LenientIntVisitor {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding one")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v).map(Some).map_err(|_| E::custom("code out of range"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 { Ok(Some(v as i64)) } else { Err(E::custom("code is not an integer")) }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        v.trim().parse().map(Some).map_err(|_| E::custom(format!("code {v:?} is not an integer")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

struct DataSeed<'a, T> {
    field: &'a str,
    marker: std::marker::PhantomData<T>,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for DataSeed<'_, T> {
    type Value = Option<T>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for DataSeed<'_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (the response envelope)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let mut out = None;
        let names = [Some(self.field), None, None, None];
        while let Some(key) = map.next_key_seed(KeySeed { names })? {
            match key {
                Key::Code => out = map.next_value::<Option<T>>()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// Deserializes an open string enum through its `From<&str>`: a borrowed value is matched
/// without allocating, and only a value the enum does not know is copied (into `Unknown`).
pub fn deserialize_enum<'de, T: for<'a> From<&'a str>, D: de::Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_str(EnumVisitor(std::marker::PhantomData))
}

struct EnumVisitor<T>(std::marker::PhantomData<T>);

impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// Deserializes the wire value of an open integer enum; a numeric string is accepted too.
pub fn enum_integer<'de, D: de::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(LenientIntVisitor)?.ok_or_else(|| de::Error::custom("expected an integer, found null"))
}
