//! JSON Schemas → spec fields and named types: `$ref`s to component schemas become named types
//! (structs and enums), aliases are inlined, and what the spec format cannot say (`oneOf`,
//! `anyOf`, non-object `allOf` parts) becomes `json` with a warning.

use std::collections::{BTreeMap, BTreeSet};

use codegen::diagnostic::Loc;
use codegen::openapi::ext;
use codegen::spec::{EnumDef, EnumValue, Field, Limits, Scalar, Sp, TypeDef, TypeDefKind, TypeExpr};
use codegen::yaml::{Node, Value};
use serde_json::Value as Json;

use super::doc::{Doc, Warning, boolean, entries, escape, extension, get, items, key_node, number, own_description, text, unsigned};

pub fn sp<T>(value: T) -> Sp<T> {
    Sp { value, loc: Loc::NONE }
}

/// Names the generated code uses itself, or the prelude: a component named so gets a suffix.
const RESERVED: &[&str] =
    &["Error", "Client", "ClientBuilder", "Result", "Option", "Some", "None", "Ok", "Err", "String", "Vec", "Box", "Self", "Default", "Send", "Sync", "Copy", "Clone"];

/// How a component schema is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A named struct or enum.
    Named,
    /// An alias (array, scalar, map, `oneOf`…): inlined where it is referenced.
    Inline,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub kind: Kind,
    /// The service directory of the `types.yaml` it goes to (`""`: the vendor's).
    pub scope: String,
    /// The type's name in the spec (what fields write as their `type`).
    pub wire: String,
    pub rust: String,
}

/// The schema reader: the document, its components, the named types made, and warnings.
pub struct Schemas<'d> {
    pub doc: &'d Doc,
    pub components: BTreeMap<String, Component>,
    /// (scope, type) in component order.
    pub types: Vec<(String, TypeDef)>,
    pub warnings: Vec<Warning>,
    /// Keep examples and defaults of object-typed fields (checked by the checker, not here).
    pub object_examples: bool,
    /// The document is our own export: a field's description is its own, never its type's.
    ours: bool,
}

/// A schema lowered to a spec type, with what goes on the innermost scalar or object.
struct Lowered {
    ty: TypeExpr,
    values: Option<Vec<EnumValue>>,
    fields: Option<Vec<Field>>,
    nullable: bool,
    secret: bool,
}

impl Lowered {
    fn of(ty: TypeExpr) -> Lowered {
        Lowered { ty, values: None, fields: None, nullable: false, secret: false }
    }
}

impl<'d> Schemas<'d> {
    /// Classifies every component schema and names it; `taken` are names the operations use;
    /// `ours`: the document is our own export.
    pub fn new(doc: &'d Doc, taken: &BTreeSet<String>, ours: bool) -> Schemas<'d> {
        let mut s = Schemas { doc, components: BTreeMap::new(), types: Vec::new(), warnings: Vec::new(), object_examples: true, ours };
        let Some(list) = get(&doc.root, "components").and_then(|c| get(c, "schemas")) else { return s };
        let mut used: BTreeSet<String> = taken.clone();
        // The service whose `types.yaml` each component goes to (our export's `x-service`).
        let scopes: Vec<String> = entries(list)
            .iter()
            .map(|(name, node)| extension::<ext::ServiceDir>(node, &format!("#/components/schemas/{}", escape(name)), &mut s.warnings).map(|d| d.0).unwrap_or_default())
            .collect();
        let mut titles: BTreeMap<(String, String), usize> = BTreeMap::new();
        for ((_, node), scope) in entries(list).iter().zip(&scopes) {
            if let Some(t) = text(node, "title") {
                *titles.entry((scope.clone(), t.to_owned())).or_default() += 1;
            }
        }
        let mut wires = BTreeSet::new();
        for ((name, node), scope) in entries(list).into_iter().zip(scopes) {
            // Our export prefixes colliding names with the service module: `acs_v1.User`.
            let plain = if scope.is_empty() { name.clone() } else { name.rsplit('.').next().unwrap_or(&name).to_owned() };
            // A title is the vendor's name only where no other type of the scope has it, and
            // where it names a type (not a built-in one: an inline struct of a field `object`).
            let names_a_type = |t: &str| matches!(t.parse::<codegen::spec::TypeExpr>(), Ok(codegen::spec::TypeExpr::Named(_)));
            let wire = match text(node, "title") {
                Some(t) if names_a_type(t) && titles.get(&(scope.clone(), t.to_owned())) == Some(&1) && !wires.contains(&(scope.clone(), t.to_owned())) => t.to_owned(),
                _ => plain.clone(),
            };
            let mut wire_unique = wire.clone();
            let mut k = 2;
            while !wires.insert((scope.clone(), wire_unique.clone())) {
                wire_unique = format!("{wire}{k}");
                k += 1;
            }
            let wire = wire_unique;
            let mut rust = codegen::names::upper_camel(&plain).unwrap_or_else(|| "Type".to_owned());
            if rust.starts_with(|c: char| c.is_ascii_digit()) {
                rust = format!("T{rust}");
            }
            if RESERVED.contains(&rust.as_str()) {
                rust.push_str("Schema");
            }
            let base = rust.clone();
            let mut n = 2;
            while used.contains(&format!("{scope}/{rust}")) {
                rust = format!("{base}{n}");
                n += 1;
            }
            used.insert(format!("{scope}/{rust}"));
            let kind = if s.is_named(node) { Kind::Named } else { Kind::Inline };
            s.components.insert(name, Component { kind, scope, wire, rust });
        }
        s
    }

    /// A struct (properties, or an `allOf` of objects) or an enum of strings or integers.
    fn is_named(&self, node: &Node) -> bool {
        if get(node, "$ref").is_some() {
            return false;
        }
        if get(node, "enum").is_some() {
            return matches!(scalar_type(node).as_deref(), Some("string" | "integer"));
        }
        if get(node, "oneOf").is_some() || get(node, "anyOf").is_some() {
            return false;
        }
        if let Some(parts) = get(node, "allOf") {
            return items(parts).iter().all(|p| self.doc.resolve(p).is_ok_and(|(n, _)| get(n, "properties").is_some() || get(n, "allOf").is_some()));
        }
        get(node, "properties").is_some_and(|p| !entries(p).is_empty())
    }

    /// Makes the named type of every `Named` component.
    pub fn build_types(&mut self) {
        let Some(list) = get(&self.doc.root, "components").and_then(|c| get(c, "schemas")) else { return };

        for (name, node) in entries(list) {
            let Some(c) = self.components.get(&name).cloned() else { continue };
            if c.kind != Kind::Named {
                continue;
            }
            let at = format!("#/components/schemas/{}", escape(&name));
            let wire = c.wire.clone();
            let rust_name = (codegen::names::upper_camel(&wire).as_deref() != Some(c.rust.as_str())).then(|| sp(c.rust.clone()));
            let kind = if get(node, "enum").is_some() {
                let base = if scalar_type(node).as_deref() == Some("integer") {
                    if text(node, "format") == Some("int32") { Scalar::Int32 } else { Scalar::Int64 }
                } else {
                    Scalar::String
                };
                TypeDefKind::Enum(EnumDef { base: sp(base), values: enum_values(node, &at, &mut self.warnings) })
            } else {
                let (props, required) = self.object_parts(node, &at);
                TypeDefKind::Struct(self.struct_fields(&props, &required, &at))
            };
            let description = own_description(node, &at, &mut self.warnings).filter(|d| !d.trim().is_empty());
            self.types.push((c.scope.clone(), TypeDef { name: sp(wire), rust_name, description, kind }));
        }
    }

    /// Whether `v` may be the example or default of a field of type `ty`.
    pub fn example_fits(&self, ty: &TypeExpr, v: &Json) -> bool {
        fits(ty, v, None, self.object_examples, &|wire: &str| self.named_shape(wire).map(|_| Vec::new()))
    }

    /// A named type's enum values (`Some`), or `None` for a struct.
    fn named_shape(&self, wire: &str) -> Option<Vec<EnumValue>> {
        let (name, _) = self.components.iter().find(|(_, c)| c.wire == wire)?;
        let node = get(get(get(&self.doc.root, "components")?, "schemas")?, name)?;
        // The same node is read (and any warning said) when its type is built.
        get(node, "enum").is_some().then(|| enum_values(node, "", &mut Vec::new()))
    }

    /// Whether the named type `wire` is an enum.
    pub fn is_enum(&self, wire: &str) -> bool {
        self.types.iter().any(|(_, t)| matches!(t.kind, TypeDefKind::Enum(_)) && t.name.value == wire)
    }

    fn warn(&mut self, node: &Node, at: &str, message: impl Into<String>) {
        self.warnings.push(Warning { line: node.loc.line, col: node.loc.col, at: at.to_owned(), message: message.into() });
    }

    /// The properties and required names of an object schema, `allOf` parts merged.
    fn object_parts<'n>(&mut self, node: &'n Node, at: &str) -> (Vec<(String, &'n Node)>, BTreeSet<String>)
    where
        'd: 'n,
    {
        let mut props: Vec<(String, &Node)> = Vec::new();
        let mut required = BTreeSet::new();
        let add = |n: &'n Node, props: &mut Vec<(String, &'n Node)>, required: &mut BTreeSet<String>| {
            if let Some(p) = get(n, "properties") {
                for (k, v) in entries(p) {
                    props.retain(|(name, _)| *name != k);
                    props.push((k, v));
                }
            }
            for r in get(n, "required").map(items).unwrap_or_default() {
                if let Some(r) = r.as_str() {
                    required.insert(r.to_owned());
                }
            }
        };
        add(node, &mut props, &mut required);
        if let Some(parts) = get(node, "allOf") {
            for (i, part) in items(parts).iter().enumerate() {
                match self.doc.resolve(part) {
                    Ok((n, _)) => {
                        let (p, r) = self.object_parts(n, &format!("{at}/allOf/{i}"));
                        for (k, v) in p {
                            props.retain(|(name, _)| *name != k);
                            props.push((k, v));
                        }
                        required.extend(r);
                    }
                    Err(e) => self.warn(part, &format!("{at}/allOf/{i}"), format!("{e}; this part of `allOf` is left out")),
                }
            }
        }
        (props, required)
    }

    /// The fields of a struct, with Rust names that do not collide.
    pub fn struct_fields(&mut self, props: &[(String, &Node)], required: &BTreeSet<String>, at: &str) -> Vec<Field> {
        let mut out = Vec::new();
        let mut used = BTreeSet::new();
        for (name, node) in props {
            let mut f = self.field(name, node, required.contains(name), &format!("{at}/properties/{}", escape(name)));
            unique_rust_name(&mut f, &mut used);
            out.push(f);
        }
        out
    }

    /// One field (a property, a parameter's schema, a body field) from its schema.
    pub fn field(&mut self, wire: &str, node: &Node, required: bool, at: &str) -> Field {
        let lowered = self.lower(node, at, 0);
        // Documentation sits beside a `$ref` (3.1) or on the target.
        let own = node;
        let target = self.doc.resolve(node).map_or(node, |(n, _)| n);
        let described = if get(own, "description").is_some() || self.ours { own } else { target };
        let description = text(described, "description").map(str::to_owned).filter(|d| !d.trim().is_empty());
        let example = example_of(own).or_else(|| if get(own, "$ref").is_none() { None } else { example_of(target) });
        let named = |wire: &str| self.named_shape(wire);
        // Enums are open: an example may be a value the list does not have; a default may not.
        let example = example.filter(|e| fits(&lowered.ty, e, None, self.object_examples, &|w: &str| named(w).map(|_| Vec::new())));
        let default = get(own, "default").map(Node::to_json).filter(|d| fits(&lowered.ty, d, lowered.values.as_deref(), self.object_examples, &named) && !d.is_null());
        let limits = limits(own, &lowered.ty, self.doc);
        let rust_name = extension::<ext::RustName>(own, at, &mut self.warnings).map(|r| sp(r.0));
        Field {
            name: sp(wire.to_owned()),
            ty: sp(lowered.ty),
            required: required && !lowered.nullable,
            description,
            example: example.map(sp),
            default: default.map(sp),
            values: lowered.values,
            fields: lowered.fields,
            type_name: None,
            rust_name,
            limits,
            style: None,
            secret: lowered.secret,
        }
    }

    fn lower(&mut self, node: &Node, at: &str, depth: usize) -> Lowered {
        if depth > 24 {
            self.warn(node, at, "schemas nested deeper than 24 levels: free-form JSON");
            return Lowered::of(TypeExpr::Json);
        }
        let (node, name) = match self.doc.resolve(node) {
            Ok(x) => x,
            Err(e) => {
                self.warn(node, at, format!("{e}: free-form JSON (`json`)"));
                return Lowered::of(TypeExpr::Json);
            }
        };
        if let Some(c) = name.and_then(|n| self.components.get(n))
            && c.kind == Kind::Named
        {
            return Lowered::of(TypeExpr::Named(c.wire.clone()));
        }
        let nullable = boolean(node, "nullable") || type_list(node).iter().any(|t| t == "null");
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = get(node, key) {
                let alts: Vec<&Node> = items(alts).iter().filter(|a| !self.doc.resolve(a).is_ok_and(|(n, _)| type_list(n) == ["null"])).collect();
                let had_null = alts.len() < items(get(node, key).unwrap_or(node)).len();
                if let [one] = alts.as_slice() {
                    let mut l = self.lower(one, &format!("{at}/{key}/0"), depth + 1);
                    l.nullable |= had_null || nullable;
                    return l;
                }
                let how = if get(node, "discriminator").is_some() { "with a discriminator (tagged unions are not in the spec format)" } else { "without a discriminator" };
                // At the keyword itself, not at the schema's first key.
                self.warn(key_node(node, key).unwrap_or(node), at, format!("`{key}` of {} alternatives {how}: free-form JSON (`json`)", alts.len()));
                let mut l = Lowered::of(TypeExpr::Json);
                l.nullable = had_null || nullable;
                return l;
            }
        }
        if let Some(parts) = get(node, "allOf") {
            let parts = items(parts);
            if let [one] = parts
                && get(node, "properties").is_none()
            {
                let mut l = self.lower(one, &format!("{at}/allOf/0"), depth + 1);
                l.nullable |= nullable;
                return l;
            }
            if !self.is_named(node) {
                self.warn(key_node(node, "allOf").unwrap_or(node), at, "`allOf` with parts that are not objects: free-form JSON (`json`)");
                return Lowered::of(TypeExpr::Json);
            }
            let (props, required) = self.object_parts(node, at);
            let fields = self.struct_fields(&props, &required, at);
            return Lowered { ty: TypeExpr::Object, values: None, fields: Some(fields), nullable, secret: false };
        }
        let mut out = match scalar_type(node).as_deref() {
            Some("string") => match text(node, "format") {
                Some("binary") => Lowered::of(TypeExpr::File),
                Some("password") => Lowered { secret: true, ..Lowered::of(TypeExpr::String) },
                _ => Lowered::of(TypeExpr::String),
            },
            Some("integer") => Lowered::of(if text(node, "format") == Some("int32") { TypeExpr::Int32 } else { TypeExpr::Int64 }),
            Some("number") => Lowered::of(TypeExpr::Float),
            Some("boolean") => Lowered::of(TypeExpr::Bool),
            Some("array") => match get(node, "items") {
                Some(inner) => {
                    let l = self.lower(inner, &format!("{at}/items"), depth + 1);
                    Lowered { ty: TypeExpr::Array(Box::new(l.ty)), values: l.values, fields: l.fields, nullable, secret: false }
                }
                None => Lowered::of(TypeExpr::Array(Box::new(TypeExpr::Json))),
            },
            Some("object") => {
                let props: Vec<(String, &Node)> = get(node, "properties").map(entries).unwrap_or_default();
                if !props.is_empty() {
                    let required: BTreeSet<String> = get(node, "required").map(items).unwrap_or_default().iter().filter_map(|r| r.as_str().map(str::to_owned)).collect();
                    let fields = self.struct_fields(&props, &required, at);
                    Lowered { ty: TypeExpr::Object, values: None, fields: Some(fields), nullable, secret: false }
                } else {
                    match get(node, "additionalProperties") {
                        Some(ap) if matches!(ap.value, Value::Map(_)) => {
                            let l = self.lower(ap, &format!("{at}/additionalProperties"), depth + 1);
                            Lowered { ty: TypeExpr::Map(Box::new(l.ty)), values: l.values, fields: l.fields, nullable, secret: false }
                        }
                        _ => Lowered::of(TypeExpr::Json),
                    }
                }
            }
            _ => Lowered::of(TypeExpr::Json),
        };
        out.nullable |= nullable;
        if matches!(out.ty, TypeExpr::String | TypeExpr::Int32 | TypeExpr::Int64) {
            if let Some(c) = get(node, "const") {
                out.values = c.scalar_text().map(|v| vec![EnumValue { value: sp(v), name: None, description: None }]);
            } else if get(node, "enum").is_some() {
                let values = enum_values(node, at, &mut self.warnings);
                out.values = (!values.is_empty()).then_some(values);
            }
        }
        out
    }
}

/// `type`, or the one non-null type of a 3.1 type list, or what the keywords imply.
fn scalar_type(node: &Node) -> Option<String> {
    let listed: Vec<String> = type_list(node).into_iter().filter(|t| t != "null").collect();
    if let [one] = listed.as_slice() {
        return Some(one.clone());
    }
    if !listed.is_empty() {
        return None;
    }
    if get(node, "properties").is_some() || get(node, "additionalProperties").is_some() {
        return Some("object".to_owned());
    }
    if get(node, "items").is_some() {
        return Some("array".to_owned());
    }
    match get(node, "const").map(|c| &c.value) {
        Some(Value::Str(_)) => return Some("string".to_owned()),
        Some(Value::Int(_)) => return Some("integer".to_owned()),
        _ => {}
    }
    let values = get(node, "enum").map(items).unwrap_or_default();
    if !values.is_empty() && values.iter().all(|v| matches!(v.value, Value::Str(_) | Value::Null)) {
        return Some("string".to_owned());
    }
    if !values.is_empty() && values.iter().all(|v| matches!(v.value, Value::Int(_) | Value::Null)) {
        return Some("integer".to_owned());
    }
    None
}

fn type_list(node: &Node) -> Vec<String> {
    match get(node, "type").map(|t| &t.value) {
        Some(Value::Str(s)) => vec![s.clone()],
        Some(Value::Seq(list)) => list.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// Enum values, with `x-enum-varnames` / `x-enum-descriptions` (openapi-generator's names) when
/// present; values that would make no or a duplicate variant get a name of their own.
fn enum_values(node: &Node, at: &str, warnings: &mut Vec<Warning>) -> Vec<EnumValue> {
    let names = extension::<ext::EnumVarnames>(node, at, warnings).map(|n| n.0).unwrap_or_default();
    let descriptions = extension::<ext::EnumDescriptions>(node, at, warnings).map(|d| d.0).unwrap_or_default();
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for (i, v) in get(node, "enum").map(items).unwrap_or_default().iter().enumerate() {
        let Some(value) = v.scalar_text().filter(|_| !matches!(v.value, Value::Null)) else { continue };
        if out.iter().any(|e: &EnumValue| e.value.value == value) {
            continue;
        }
        let derived = codegen::names::variant(&value);
        let given = names.get(i).filter(|n| codegen::names::is_ident(n)).cloned();
        let variant = given.clone().or_else(|| derived.clone()).filter(|v| !used.contains(v)).unwrap_or_else(|| format!("Value{i}"));
        used.insert(variant.clone());
        let name = (Some(&variant) != derived.as_ref()).then(|| sp(variant));
        let description = descriptions.get(i).filter(|d| !d.is_empty()).cloned();
        out.push(EnumValue { value: sp(value), name, description });
    }
    out
}

/// `example` (3.0) or the first of `examples` (3.1).
fn example_of(node: &Node) -> Option<Json> {
    if let Some(e) = get(node, "example") {
        return Some(e.to_json());
    }
    match get(node, "examples").map(|e| &e.value) {
        Some(Value::Seq(list)) => list.first().map(Node::to_json),
        _ => None,
    }
}

/// Whether an example or default has the field's type (a value outside `values` does not).
/// Objects are held to their shape only (the checker compares their fields), and kept only when
/// `objects` says so.
fn fits(ty: &TypeExpr, v: &Json, values: Option<&[EnumValue]>, objects: bool, named: &dyn Fn(&str) -> Option<Vec<EnumValue>>) -> bool {
    let listed = |text: String| values.is_none_or(|vs| vs.iter().any(|e| e.value.value == text));
    let fits = |ty: &TypeExpr, v: &Json| fits(ty, v, values, objects, named);
    match ty {
        TypeExpr::String => v.as_str().is_some_and(|s| listed(s.to_owned())),
        TypeExpr::Int32 => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok() && listed(n.to_string())),
        TypeExpr::Int64 => v.as_i64().is_some_and(|n| listed(n.to_string())),
        TypeExpr::Float => v.is_number(),
        TypeExpr::Bool => v.is_boolean(),
        TypeExpr::Json => true,
        TypeExpr::File => false,
        TypeExpr::Array(inner) => v.as_array().is_some_and(|a| a.iter().all(|x| fits(inner, x))),
        TypeExpr::Map(inner) => v.as_object().is_some_and(|m| m.values().all(|x| fits(inner, x))),
        TypeExpr::Object => objects && v.is_object(),
        // An enum (an empty list: any value of its kind).
        TypeExpr::Named(wire) => match named(wire) {
            Some(variants) => {
                v.as_str().map(str::to_owned).or_else(|| v.as_i64().map(|n| n.to_string())).is_some_and(|t| variants.is_empty() || variants.iter().any(|e| e.value.value == t))
            }
            None => objects && v.is_object(),
        },
    }
}

/// Limits the type can carry: numbers for numbers, lengths and patterns for strings, item counts
/// for arrays (whose items' scalar limits go on the field, as the spec format reads them).
fn limits(node: &Node, ty: &TypeExpr, doc: &Doc) -> Limits {
    let mut l = Limits::default();
    let scalar_node = match ty {
        TypeExpr::Array(_) => {
            l.min_items = unsigned(node, "minItems");
            l.max_items = unsigned(node, "maxItems");
            get(node, "items").and_then(|i| doc.resolve(i).ok()).map(|(n, _)| n)
        }
        _ => Some(node),
    };
    let inner = match ty {
        TypeExpr::Array(inner) => inner.as_ref(),
        other => other,
    };
    if let Some(n) = scalar_node {
        match inner {
            TypeExpr::Int32 | TypeExpr::Int64 | TypeExpr::Float => {
                l.min = number(n, "minimum");
                l.max = number(n, "maximum");
            }
            TypeExpr::String => {
                l.min_length = unsigned(n, "minLength");
                l.max_length = unsigned(n, "maxLength");
                l.pattern = text(n, "pattern").map(str::to_owned);
            }
            _ => {}
        }
    }
    l
}

/// Gives a field a Rust name of its own when its wire name converts to nothing or to a name
/// already used in the same struct or request.
pub fn unique_rust_name(f: &mut Field, used: &mut BTreeSet<String>) {
    let derived = f.rust_name.as_ref().map(|r| r.value.clone()).or_else(|| codegen::names::snake(&f.name.value));
    let mut name = derived.clone().unwrap_or_else(|| "field".to_owned());
    let base = name.clone();
    let mut n = 2;
    while used.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    used.insert(name.clone());
    if Some(&name) != derived.as_ref() || f.rust_name.is_some() {
        f.rust_name = Some(sp(name));
    }
}
