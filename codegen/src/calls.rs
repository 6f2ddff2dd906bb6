//! The data-driven tests' table, a back end over the checked model: per vendor, every operation as
//! a typed call built from its spec's examples (the request example's body, the parameters'
//! examples, and samples of the types where the spec gives none), with the request it must send
//! and the answer to serve it. `cargo xtask regen` writes it to
//! `generated-client/tests/calls/<vendor>.rs`; the tests send every call to a loopback server that
//! checks the request and serves the answer, and to Prism.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use crate::emit::ident;
use crate::model::{Args, ArrayStyle, BodyKind, EnvelopeUse, Member, Module, Named, Operation, PathPart, Response, Scalar, Service, Ty, TypeDef, TypeKind, Vendor};
use crate::openapi::Collisions;
use crate::pieces::Pieces;

/// What a path parameter is written as: every byte but the unreserved characters encoded, as the
/// runtime writes it.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// One vendor's cases, the file `<vendor>.rs`, as pieces: the module's head, whose `cases()`
/// calls one function per service, and each service's function (`<module>#calls`), each formatted
/// on its own. `collisions` are the whole vendor's (see [`crate::openapi::pieces`]).
pub fn pieces(v: &Vendor, collisions: &Collisions) -> Result<Pieces, String> {
    let ids = crate::openapi::operation_ids(v, collisions);
    let client = ident(&crate::names::escape(&v.module));
    let with_calls: Vec<(usize, &Service)> = v.services.iter().enumerate().filter(|(_, s)| !s.operations.is_empty()).collect();
    let calls = with_calls.iter().map(|(_, svc)| {
        let feature = svc.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
        let f = function(svc);
        quote!(#feature #f(&mut out);)
    });
    let doc = format!(" Every operation of `{}` as a call built from its spec's examples.", v.module);
    let head = quote! {
        #![doc = #doc]
        #![allow(deprecated, unused_mut, clippy::all)]
        use super::{Answer, Body, Case, v};

        /// The cases of the services compiled in.
        pub fn cases() -> Vec<Case<generated_client::#client::Client>> {
            let mut out = Vec::new();
            #(#calls)*
            out
        }
    };
    let mut out = Pieces::default();
    out.fixed(format!("{}{}", crate::format::header(&v.spec_dir), format(&v.module, head)?));
    for (si, svc) in with_calls {
        let cases = svc.operations.iter().map(|op| case(v, svc, op, ids.get(&(si, op.name.clone())).map_or(op.name.as_str(), String::as_str)));
        let feature = svc.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
        let f = function(svc);
        let doc = format!(" The cases of `{}`.", svc.path.join("/"));
        let item = quote! {
            #[doc = #doc]
            #feature
            fn #f(out: &mut Vec<Case<generated_client::#client::Client>>) {
                #(#cases)*
            }
        };
        out.owned(Some(crate::pieces::key(&svc.module, "calls")), format(&v.module, item)?);
    }
    Ok(out)
}

/// The file a vendor's cases are written to, under `generated-client/tests/calls/`.
pub fn file(v: &Vendor) -> String {
    format!("{}.rs", v.module)
}

/// The function of one service's cases.
fn function(svc: &Service) -> proc_macro2::Ident {
    ident(&format!("cases_{}", svc.module))
}

/// Items formatted as a file of their own; concatenated, such files are the whole file.
fn format(vendor: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("the generator emitted invalid Rust for the cases of `{vendor}`: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The push of one case.
fn case(v: &Vendor, svc: &Service, op: &Operation, operation_id: &str) -> TokenStream {
    let mut b = Build { v, svc, args: Vec::new(), setters: Vec::new(), required: Vec::new(), path: String::new(), query: Vec::new(), body: Map::new(), parts: Vec::new() };
    b.inputs(op);
    let spec = op.spec_file.trim_start_matches("specs/").trim_end_matches(".yaml");
    let method = op.method.as_str();
    let path = &b.path;
    let query = b.query.iter().map(|(k, val)| quote!((#k, #val)));
    let body = match &op.body {
        Some(body) if body.kind == BodyKind::Json => {
            let json = Value::Object(b.body.clone()).to_string();
            quote!(Body::Json(#json))
        }
        Some(_) => {
            let parts = &b.parts;
            quote!(Body::Multipart(&[#(#parts),*]))
        }
        None => quote!(Body::None),
    };
    let answer = match &op.response {
        Response::Binary => quote!(Answer::Binary),
        Response::Json { envelope, data } => {
            let text = op.response_example.clone().unwrap_or_else(|| answer(v, svc, *envelope, data.as_ref()).to_string());
            quote!(Answer::Json(#text))
        }
    };
    let chain = v.call_chain(svc, op).into_iter().map(|m| {
        let m = ident(&m);
        quote!(.#m())
    });
    let method_name = ident(&op.method_name);
    let client = ident(&crate::names::escape(&v.module));
    let mut args = b.args.clone();
    if let Args::Named(name) = &op.args {
        let ty = qualified(v, svc, name, Module::Service);
        let fields = &b.required;
        args.push(quote!(#ty { #(#fields),* }));
    }
    let setters = &b.setters;
    quote! {
        out.push(Case {
            spec: #spec,
            operation_id: #operation_id,
            method: #method,
            path: #path,
            query: &[#(#query),*],
            body: #body,
            answer: #answer,
            call: |client: generated_client::#client::Client| Box::pin(async move {
                client #(#chain)* .#method_name(#(#args),*) #(#setters)* .send().await.map(drop).map_err(|e| e.to_string())
            }),
        });
    }
}

/// The arguments, setters and expected request of one case, as they are built.
struct Build<'a> {
    v: &'a Vendor,
    svc: &'a Service,
    /// Positional arguments: path parameters, then required inputs where they are positional.
    args: Vec<TokenStream>,
    /// `.x(value)` for each optional input set.
    setters: Vec<TokenStream>,
    /// `field: value` of the `<Name>Required` struct.
    required: Vec<TokenStream>,
    path: String,
    query: Vec<(String, String)>,
    body: Map<String, Value>,
    parts: Vec<String>,
}

impl Build<'_> {
    fn inputs(&mut self, op: &Operation) {
        let example: Option<Map<String, Value>> = op.request_example.as_deref().and_then(|e| serde_json::from_str::<Value>(e).ok()).and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        });
        let mut path_values = Vec::new();
        for m in &op.path_params {
            let value = self.coerce(&m.ty, m.example.as_ref()).map(|v| self.within_allowed(m, v)).unwrap_or_else(|| self.sample(&m.ty, 0));
            path_values.push(scalar_text(&value));
            self.positional(m, &value);
        }
        for part in &op.path_parts {
            match part {
                PathPart::Literal(l) => self.path.push_str(l),
                PathPart::Param(i) => self.path.extend(utf8_percent_encode(&path_values[*i], SEGMENT)),
            }
        }
        let named = matches!(op.args, Args::Named(_));
        for m in op.query_params.iter().chain(&op.header_params) {
            let Some(value) = self.coerce(&m.ty, m.example.as_ref()).map(|v| self.within_allowed(m, v)).or_else(|| m.required.then(|| self.sample(&m.ty, 0))) else { continue };
            if op.query_params.iter().any(|q| std::ptr::eq(q, m)) {
                self.query_pairs(m, &value);
            }
            self.set(m, &value, named);
        }
        if let Some(body) = &op.body {
            for m in &body.fields {
                let given = match &example {
                    Some(ex) => ex.get(&m.wire).filter(|v| !v.is_null()).cloned(),
                    None => m.example.clone().filter(|_| body.kind == BodyKind::Multipart),
                };
                let value = match given.and_then(|g| self.coerce(&m.ty, Some(&g))) {
                    Some(v) => v,
                    // A file part is always sent: an upload without its file says little.
                    None if m.required || matches!(m.ty, Ty::File) => self.sample(&m.ty, 0),
                    None => continue,
                };
                let value = self.within_allowed(m, value);
                match body.kind {
                    BodyKind::Json => {
                        self.body.insert(m.wire.clone(), value.clone());
                    }
                    BodyKind::Multipart => self.parts.push(m.wire.clone()),
                }
                self.set(m, &value, named);
            }
        }
    }

    /// A required input as an argument of the call, or as a field of its `<Name>Required`; an
    /// optional one as a setter.
    fn set(&mut self, m: &Member, value: &Value, named: bool) {
        if !m.required {
            let setter = ident(&m.setter);
            let value = self.expr(&m.ty, value, true);
            self.setters.push(quote!(.#setter(#value)));
        } else if named {
            let field = ident(&m.rust);
            let value = match &m.ty {
                Ty::String | Ty::Secret => {
                    let s = scalar_text(value);
                    quote!(#s.into())
                }
                _ => self.expr(&m.ty, value, false),
            };
            self.required.push(quote!(#field: #value));
        } else {
            self.positional(m, value);
        }
    }

    fn positional(&mut self, m: &Member, value: &Value) {
        let value = self.expr(&m.ty, value, true);
        self.args.push(value);
    }

    /// The expression of a value of `ty`: a string literal where the parameter takes
    /// `impl Into<String>`, a file of example bytes, else the JSON parsed as the type.
    fn expr(&self, ty: &Ty, value: &Value, into_param: bool) -> TokenStream {
        match ty {
            Ty::String | Ty::Secret if into_param => {
                let s = scalar_text(value);
                quote!(#s)
            }
            // With a content type: Prism 5.16 dies on a file part without one.
            Ty::File => quote!(generated_client::runtime::UploadFile::from_bytes("example.bin", b"example bytes".to_vec()).content_type("application/octet-stream")),
            Ty::Named(n) if n.is_enum() && into_param => {
                let path = qualified(self.v, self.svc, &n.rust, n.module);
                let json = value.to_string();
                quote!(v::<#path>(#json))
            }
            _ => {
                let json = value.to_string();
                quote!(v(#json))
            }
        }
    }

    /// The query pairs the runtime writes for an input.
    fn query_pairs(&mut self, m: &Member, value: &Value) {
        match (value, &m.ty) {
            (Value::Array(items), Ty::Vec(_)) => {
                let texts: Vec<String> = items.iter().map(scalar_text).collect();
                match m.style {
                    ArrayStyle::Repeat => self.query.extend(texts.into_iter().map(|t| (m.wire.clone(), t))),
                    ArrayStyle::Brackets => self.query.extend(texts.into_iter().map(|t| (format!("{}[]", m.wire), t))),
                    ArrayStyle::Comma => self.query.push((m.wire.clone(), texts.join(","))),
                    ArrayStyle::Json => self.query.push((m.wire.clone(), value.to_string())),
                }
            }
            _ => self.query.push((m.wire.clone(), scalar_text(value))),
        }
    }

    /// `value`, or where the spec lists the member's allowed values and the example is not one of
    /// them (a doc defect the spec keeps, as its enums are open), the first listed value.
    /// An array shorter than the member's `min_items` gets sample items added.
    fn within_allowed(&self, m: &Member, mut value: Value) -> Value {
        let item_ty = match &m.ty {
            Ty::Vec(inner) => inner.as_ref(),
            other => other,
        };
        if let (Value::Array(items), Some(min)) = (&mut value, m.limits.min_items) {
            while (items.len() as u64) < min {
                items.push(self.sample(item_ty, 0));
            }
        }
        let Some(first) = m.allowed.first() else { return value };
        let fix = |v: &Value| if m.allowed.contains(&scalar_text(v)) { v.clone() } else { self.coerce(item_ty, Some(&Value::from(first.clone()))).unwrap_or_else(|| v.clone()) };
        match &value {
            Value::Array(items) => Value::Array(items.iter().map(fix).collect()),
            other => fix(other),
        }
    }

    /// The example as a value of `ty`, where it can be one: numbers written as text are read,
    /// values of the wrong kind are not used.
    fn coerce(&self, ty: &Ty, example: Option<&Value>) -> Option<Value> {
        let e = example?;
        Some(match (ty, e) {
            (_, Value::Null) => return None,
            (Ty::String | Ty::Secret, Value::String(_)) => e.clone(),
            (Ty::String | Ty::Secret, Value::Number(_) | Value::Bool(_)) => Value::String(scalar_text(e)),
            // Integers beyond 2^53 are not used: JavaScript tools (Prism) read them as doubles.
            (Ty::I32 | Ty::I64, Value::Number(n)) if n.as_i64().is_some_and(|i| (!matches!(ty, Ty::I32) || i32::try_from(i).is_ok()) && i.unsigned_abs() <= 1 << 53) => e.clone(),
            (Ty::I32 | Ty::I64, Value::String(s)) => {
                Value::from(s.trim().parse::<i64>().ok().filter(|i| (!matches!(ty, Ty::I32) || i32::try_from(*i).is_ok()) && i.unsigned_abs() <= 1 << 53)?)
            }
            (Ty::F64, Value::Number(_)) => e.clone(),
            (Ty::F64, Value::String(s)) => Value::from(s.trim().parse::<f64>().ok().filter(|f| f.is_finite())?),
            (Ty::Bool, Value::Bool(_)) => e.clone(),
            (Ty::Bool, Value::String(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
            (Ty::Json, _) => e.clone(),
            (Ty::Vec(item), Value::Array(items)) => Value::Array(items.iter().filter_map(|i| self.coerce(item, Some(i))).collect()),
            (Ty::Vec(item), Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Array(items)) => Value::Array(items.iter().filter_map(|i| self.coerce(item, Some(i))).collect()),
                _ => Value::Array(self.coerce(item, Some(e)).into_iter().collect()),
            },
            (Ty::Vec(item), _) => Value::Array(self.coerce(item, Some(e)).into_iter().collect()),
            (Ty::Map(_), Value::Object(_)) => e.clone(),
            (Ty::Named(n), _) if n.is_enum() => {
                let value = match (n.enum_base, e) {
                    (Some(Scalar::String), Value::String(_)) => e.clone(),
                    (Some(Scalar::String), Value::Number(_) | Value::Bool(_)) => Value::String(scalar_text(e)),
                    (_, Value::Number(num)) if num.as_i64().is_some_and(|i| i.unsigned_abs() <= 1 << 53) => e.clone(),
                    (_, Value::String(s)) => Value::from(s.trim().parse::<i64>().ok().filter(|i| i.unsigned_abs() <= 1 << 53)?),
                    _ => return None,
                };
                // An example outside the enum's values would be sent as an unknown value (the
                // enums are open): the first listed value is sent instead.
                match find(self.v, self.svc, n).map(|t| &t.kind) {
                    Some(TypeKind::Enum(en)) if !en.variants.iter().any(|v| v.wire == scalar_text(&value)) => self.sample(ty, 0),
                    _ => value,
                }
            }
            // Structs come from the checked request example only.
            (Ty::Named(_), Value::Object(_)) => e.clone(),
            _ => return None,
        })
    }

    /// A value of `ty` where the spec gives none: the required fields of a struct, the first value
    /// of an enum.
    fn sample(&self, ty: &Ty, depth: usize) -> Value {
        sample(self.v, self.svc, ty, depth)
    }
}

/// A value of `ty` where the spec gives none.
fn sample(v: &Vendor, svc: &Service, ty: &Ty, depth: usize) -> Value {
    match ty {
        Ty::String | Ty::Secret | Ty::File => Value::from("x"),
        Ty::I32 | Ty::I64 => Value::from(1),
        Ty::F64 => Value::from(1.5),
        Ty::Bool => Value::Bool(true),
        Ty::Json | Ty::Map(_) => Value::Object(Map::new()),
        Ty::Vec(_) => Value::Array(Vec::new()),
        Ty::Named(n) => match find(v, svc, n).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) => match (e.base, e.variants.first()) {
                (Scalar::String, Some(first)) => Value::from(first.wire.clone()),
                (Scalar::String, None) => Value::from("x"),
                (_, Some(first)) => Value::from(first.wire.parse::<i64>().unwrap_or(0)),
                (_, None) => Value::from(0),
            },
            Some(TypeKind::Struct(s)) if depth < 6 => Value::Object(s.members.iter().filter(|m| m.required).map(|m| (m.wire.clone(), sample(v, svc, &m.ty, depth + 1))).collect()),
            _ => Value::Object(Map::new()),
        },
    }
}

/// An answer to serve where the spec has no example: the envelope around a sample payload.
fn answer(v: &Vendor, svc: &Service, envelope: EnvelopeUse, data: Option<&Ty>) -> Value {
    let payload = data.map(|t| sample(v, svc, t, 0));
    let Some(env) = &v.envelope else { return payload.unwrap_or(Value::Object(Map::new())) };
    let mut out = Map::new();
    out.insert(env.code.clone(), Value::from(env.success));
    out.insert(env.message.clone(), Value::from(""));
    match (envelope, payload) {
        (EnvelopeUse::Flat, Some(Value::Object(fields))) => out.extend(fields),
        (_, Some(p)) => {
            out.insert(env.data.clone(), p);
        }
        (_, None) => {}
    }
    Value::Object(out)
}

fn find<'a>(v: &'a Vendor, svc: &'a Service, n: &Named) -> Option<&'a TypeDef> {
    let list = if n.module == Module::Vendor { &v.types } else { &svc.types };
    list.iter().find(|t| t.rust == n.rust)
}

/// `generated_client::feishu::UserIdType`, `generated_client::feishu::acs_v1::User`.
fn qualified(v: &Vendor, svc: &Service, rust: &str, module: Module) -> TokenStream {
    let vendor = ident(&crate::names::escape(&v.module));
    let name = ident(rust);
    match module {
        Module::Vendor => quote!(generated_client::#vendor::#name),
        Module::Service => {
            let service = ident(&crate::names::escape(&svc.module));
            quote!(generated_client::#vendor::#service::#name)
        }
    }
}

/// A scalar as the runtime writes it in a path or query: strings as they are, others as JSON.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
