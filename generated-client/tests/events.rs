//! Every event spec's example (a whole delivery, as the doc page shows it) parses as a delivery,
//! decodes into its typed event through `feishu::Event` (never `Unknown`), and reads back to the
//! same JSON: no field of the example is lost or changed by the typed struct. Data-driven over
//! every event file under `specs/`.
#![cfg(feature = "feishu")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use generated_client::feishu;
use generated_client::runtime::events::{Delivery, EventSet};
use serde_json::Value;

/// `value` as the typed structs read it back: without object members that are `null` (unset
/// fields are left out), and every number as a float (`100` in a `float` field reads back `100.0`).
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), normalized(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or_else(|| value.clone(), Value::Number),
        other => other.clone(),
    }
}

#[test]
fn every_event_example_decodes_into_its_typed_event_and_reads_back_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let (set, _) = codegen::load(&root).unwrap_or_else(|d| panic!("{}", d.render()));
    let vendor = set.vendors.iter().find(|v| v.dir == "feishu").expect("specs/feishu");
    let mut failures = Vec::new();
    let mut decoded = 0;
    for ev in &vendor.events {
        let Some(example) = &ev.example else { continue };
        let file = format!("specs/feishu/{}.yaml", ev.rel_path);
        let envelope = match Delivery::parse(example.value.as_bytes()) {
            Ok(Delivery::Event(e)) => e,
            Ok(Delivery::Challenge { .. }) => {
                failures.push(format!("{file}: the example is a challenge, not an event"));
                continue;
            }
            Err(e) => {
                failures.push(format!("{file}: the example is not a delivery: {e}"));
                continue;
            }
        };
        assert_eq!(envelope.header.event_type, ev.event.value, "{file}: the example's event type");
        let body = envelope.event.clone();
        match feishu::Event::decode(&envelope.header.event_type, envelope.event) {
            Ok(feishu::Event::Unknown(_)) => failures.push(format!("{file}: decoded as Unknown")),
            Ok(event) => {
                let back = normalized(&event.to_json().expect("a decoded event serializes"));
                let mut expected = normalized(&body);
                // A 1.0 event's `type` is the envelope's, not a field of the struct.
                if let (Value::Object(map), false) = (&mut expected, back.get("type").is_some()) {
                    map.remove("type");
                }
                if back != expected {
                    failures.push(format!("{file}: reads back differently\n  example: {expected}\n  typed:   {back}"));
                } else {
                    decoded += 1;
                }
            }
            Err(e) => failures.push(format!("{file}: does not decode: {e}")),
        }
    }
    eprintln!("events: {decoded} of {} event specs' examples decoded and read back unchanged", vendor.events.len());
    assert!(failures.is_empty(), "{} event examples failed:\n{}", failures.len(), failures.join("\n"));
    assert!(decoded > 0, "no event spec has an example");
}
