//! The third pass: rules that look across the lowered model — one operation per endpoint, token
//! exchanges against the operations they name, pagination against the types it reads, and the
//! doc's examples against the types.

use std::collections::HashMap;

use super::Checker;
use super::examples;
use super::lower::Lowered;
use super::resolve::Resolved;
use crate::diagnostic::Diagnostic;
use crate::model::{self, Member, Module, PageField, PageInput, Paging, Ty, TypeDef, TypeKind};
use crate::spec::{self, Sp, TokenSource};

pub(super) fn validate(cx: &mut Checker<'_>, r: &Resolved<'_>, lowered: &mut Lowered) {
    one_operation_per_endpoint(cx);
    lowered.vendor.tokens = tokens(cx, r, lowered);
    for (oi, op) in cx.specs.operations.iter().enumerate() {
        let Some((si, k)) = lowered.op_index[oi] else { continue };
        let vendor = &lowered.vendor;
        let (service_types, vendor_types) = (&vendor.services[si].types, &vendor.types);
        examples::check_examples(cx, op, &vendor.services[si].operations[k], service_types, vendor_types);
        if let Some(p) = &op.pagination {
            let pagination = pagination(cx, p, &vendor.services[si].operations[k], service_types, vendor_types);
            lowered.vendor.services[si].operations[k].pagination = pagination;
        }
    }
}

/// Two operation files for the same method and path (placeholders compared by position, not by
/// name) would be two methods for one endpoint: an error at both.
fn one_operation_per_endpoint(cx: &mut Checker<'_>) {
    let mut seen: HashMap<(spec::Method, String), &spec::OperationFile> = HashMap::new();
    for op in &cx.specs.operations {
        let key = (op.method.value, endpoint(&op.path.value));
        match seen.get(&key) {
            Some(first) => {
                let (first_path, first_loc) = (first.rel_path.clone(), first.path.loc);
                let diagnostic =
                    Diagnostic::at(op.path.loc, format!("`{}` and `{first_path}` are the same endpoint, `{} {}`", op.rel_path, op.method.value.as_str(), op.path.value))
                        .help("keep one operation file per endpoint: remove the copy, or fix its method or path")
                        .also_at(first_loc, format!("`{first_path}` is this endpoint too"));
                cx.push(diagnostic);
            }
            None => {
                seen.insert(key, op);
            }
        }
    }
}

/// `/users/{user_id}` and `/users/{id}` are one endpoint: placeholders become `{}`.
fn endpoint(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_placeholder = false;
    for c in path.trim_end_matches('/').chars() {
        match c {
            '{' => {
                in_placeholder = true;
                out.push_str("{}");
            }
            '}' => in_placeholder = false,
            _ if in_placeholder => {}
            c => out.push(c),
        }
    }
    out
}

/// Token kinds: each exchange names an operation of this vendor that takes no token of its own
/// kind, sends body fields the operation has, and fills them from declared credentials.
fn tokens(cx: &mut Checker<'_>, r: &Resolved<'_>, lowered: &Lowered) -> Vec<model::Token> {
    let creds: Vec<&str> = cx.vendor.credentials.iter().map(|c| c.name.value.as_str()).collect();
    let mut out = Vec::new();
    for (ti, t) in cx.vendor.tokens.iter().enumerate() {
        let exchange = match &t.source {
            TokenSource::PerRequest => None,
            TokenSource::Exchange(e) => {
                // A missing operation was reported by `resolve`; one that failed to lower has its own errors.
                let Some((si, k)) = r.exchange_op[ti].and_then(|oi| lowered.op_index[oi]) else { continue };
                let op = &lowered.vendor.services[si].operations[k];
                if op.tokens.contains(&t.name.value) {
                    cx.err(
                        e.operation.loc,
                        format!("token `{}` is fetched by `{}`, which itself needs the `{}` token", t.name.value, e.operation.value, t.name.value),
                        "the exchange operation must take no token (`tokens: []`) or another kind",
                    );
                }
                let body_fields: Vec<&str> = op.body.iter().flat_map(|b| b.fields.iter().map(|m| m.wire.as_str())).collect();
                for model_field in &e.request {
                    let (field, cred) = (&model_field.field, &model_field.credential);
                    if !body_fields.contains(&field.value.as_str()) {
                        cx.err(
                            field.loc,
                            format!("the exchange sends `{}`, which is not a body field of `{}`", field.value, e.operation.value),
                            format!("use the operation's body fields: {}", body_fields.join(", ")),
                        );
                    }
                    if !creds.contains(&cred.value.as_str()) {
                        cx.err(
                            cred.loc,
                            format!("token exchange uses credential `{}`, which is not declared", cred.value),
                            format!("declare it under `credentials:` (declared: {})", creds.join(", ")),
                        );
                    }
                }
                let mut headers = Vec::new();
                for h in &e.headers {
                    if let Some(c) = &h.credential
                        && !creds.contains(&c.value.as_str())
                    {
                        cx.err(c.loc, format!("header `{}` falls back to credential `{}`, which is not declared", h.name.value, c.value), "declare it under `credentials:`");
                    }
                    headers.push(model::BoundHeader {
                        name: h.name.value.to_ascii_lowercase(),
                        jwt_claim: h.jwt_claim.clone(),
                        credential: h.credential.as_ref().map(|c| c.value.clone()),
                    });
                }
                Some(model::Exchange {
                    operation: e.operation.value.clone(),
                    method: op.method,
                    path: op.path.clone(),
                    hosts: lowered.vendor.services[si].hosts.clone(),
                    body: e.request.iter().map(|r| model::ExchangeField { field: r.field.value.clone(), credential: r.credential.value.clone() }).collect(),
                    token: e.token.value.split('.').map(str::to_owned).collect(),
                    expires_in: e.expires_in.value.split('.').map(str::to_owned).collect(),
                    headers,
                })
            }
        };
        out.push(model::Token { name: t.name.value.clone(), description: t.description.clone(), header: t.header.value.to_ascii_lowercase(), prefix: t.prefix.clone(), exchange });
    }
    out
}

/// A paginated operation names inputs and response fields that exist and have the types paging
/// needs.
fn pagination(cx: &mut Checker<'_>, p: &spec::Pagination, op: &model::Operation, service_types: &[TypeDef], vendor_types: &[TypeDef]) -> Option<model::Pagination> {
    let page_type = match &op.response {
        model::Response::Json { data: Some(t), .. } if t.named_struct().is_some() => t.clone(),
        _ => {
            cx.err(p.loc, "pagination needs a response whose data is an object", "give the operation `response: {data: …}` with the items, the cursor or total fields");
            return None;
        }
    };
    let named = page_type.named_struct()?;
    let types = if named.module == Module::Vendor { vendor_types } else { service_types };
    let Some(TypeDef { kind: TypeKind::Struct(page), .. }) = types.iter().find(|t| t.rust == named.rust) else { return None };
    let fields = &page.members;
    let field = |cx: &mut Checker<'_>, name: &Sp<String>, want: &str, ok: &dyn Fn(&Ty) -> bool| -> Option<PageField> {
        match fields.iter().find(|f| f.wire == name.value) {
            Some(f) if ok(&f.ty) => Some(PageField { wire: f.wire.clone(), rust: f.rust.clone(), ty: f.ty.clone(), optional: !f.required }),
            Some(_) => {
                cx.err(name.loc, format!("response field `{}` is not {want}", name.value), format!("pagination needs `{}` to be {want}", name.value));
                None
            }
            None => {
                let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
                cx.err(name.loc, format!("the response data has no field `{}`", name.value), format!("name one of its fields: {}", known.join(", ")));
                None
            }
        }
    };
    let input = |cx: &mut Checker<'_>, name: &Sp<String>, want: &str, ok: &dyn Fn(&Member) -> bool| -> Option<PageInput> {
        match op.query_params.iter().chain(op.body.iter().flat_map(|b| &b.fields)).find(|m| m.wire == name.value) {
            Some(m) if ok(m) => Some(PageInput { wire: m.wire.clone(), rust: m.rust.clone(), ty: m.ty.clone() }),
            Some(_) => {
                cx.err(name.loc, format!("input `{}` is not {want}", name.value), format!("pagination needs `{}` to be {want}", name.value));
                None
            }
            None => {
                cx.err(name.loc, format!("the operation has no query or body input `{}`", name.value), "name the input that carries it");
                None
            }
        }
    };
    let items = field(cx, &p.items, "an array", &|t| matches!(t, Ty::Vec(_)))?;
    let Ty::Vec(item) = &items.ty else { return None };
    let item = (**item).clone();
    let integer = |t: &Ty| matches!(t, Ty::I32 | Ty::I64);
    let style = match &p.style {
        spec::PageStyle::Cursor { cursor, has_more } => {
            let input = input(cx, cursor, "an optional string", &|m| m.ty == Ty::String && !m.required);
            let cursor = field(cx, cursor, "a string", &|t| *t == Ty::String);
            let has_more = field(cx, has_more, "a boolean", &|t| *t == Ty::Bool);
            Paging::Cursor { input: input?, cursor: cursor?, has_more: has_more? }
        }
        spec::PageStyle::Page { page, size, total } => {
            let page = input(cx, page, "an optional integer", &|m| integer(&m.ty) && !m.required);
            let size = input(cx, size, "an optional integer", &|m| integer(&m.ty) && !m.required);
            let total = field(cx, total, "an integer", &integer);
            Paging::Page { page: page?, size: size?, total: total? }
        }
    };
    Some(model::Pagination { page_type, items, item, style })
}

#[cfg(test)]
mod tests {
    use super::endpoint;

    #[test]
    fn placeholders_compare_by_position() {
        assert_eq!(endpoint("/users/{user_id}"), endpoint("/users/{id}/"));
        assert_ne!(endpoint("/users/{id}"), endpoint("/users/{id}/faces"));
    }
}
