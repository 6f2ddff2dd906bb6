//! A service module: its types, its accessors, and per operation a request builder with
//! `send()`, the operation's static description for the runtime, and its documented errors.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::vendor::option_str;
use super::{accessor_def, docs, ident, member_docs, method_tokens, rust_type, types};
use crate::model::{ArrayStyle, BodyKind, EnvelopeUse, Member, Operation, PathPart, Response, Scope, Service, Ty, Vendor};

pub fn service_module(v: &Vendor, s: &Service) -> TokenStream {
    let mut doc = match &s.title {
        Some(t) => format!("{} `{}`: {}.", v.title, s.path.join("/"), docs::escape(t)),
        None => format!("{} `{}`.", v.title, s.path.join("/")),
    };
    if let Some(d) = &s.docs {
        doc.push_str(&format!("\n\nVendor documentation: <{d}>"));
    }
    doc.push_str(&format!("\n\nGenerated from `{}/`.", s.spec_dir));
    let doc = doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    let accessors = s.accessors.iter().map(|a| accessor_def(a, Scope::Service, false));
    let ops = s.operations.iter().map(|op| operation(v, op));
    let types = s.types.iter().map(|t| types::type_def(t, Scope::Service));
    quote! {
        #( #![doc = #doc] )*
        use ::generated_client::runtime;

        #(#accessors)*
        #(#ops)*
        #(#types)*
    }
}

fn operation(v: &Vendor, op: &Operation) -> TokenStream {
    let request = format_ident!("{}Request", op.name);
    let op_static = format_ident!("{}_OPERATION", op.name.to_shouty_snake_case());
    let accessor = ident(&op.accessor);
    let method = ident(&op.method_name);
    let doc = docs::attrs(&operation_docs(v, op));
    let spec = operation_static(op, &op_static);

    let required: Vec<&Member> = op.inputs().filter(|m| m.required).collect();
    let optional: Vec<&Member> = op.inputs().filter(|m| !m.required).collect();
    let request_token = per_request_token(v, op);

    let args = required.iter().map(|m| {
        let name = ident(&m.rust);
        let ty = arg_type(&m.ty);
        quote!(#name: #ty)
    });
    let init_required = required.iter().map(|m| {
        let name = ident(&m.rust);
        match m.ty {
            Ty::String | Ty::Named { is_enum: true, .. } => quote!(#name: #name.into()),
            Ty::Secret => quote!(#name: runtime::Secret::new(#name)),
            _ => quote!(#name),
        }
    });
    let init_optional = optional.iter().map(|m| {
        let name = ident(&m.rust);
        quote!(#name: None)
    });
    let struct_fields = op.inputs().map(|m| {
        let name = ident(&m.rust);
        let ty = rust_type(&m.ty, Scope::Service);
        if m.required { quote!(#name: #ty,) } else { quote!(#name: Option<#ty>,) }
    });
    let setters = optional.iter().map(|m| {
        let name = ident(&m.rust);
        let ty = arg_type(&m.ty);
        let value = arg_into(&m.ty, quote!(value));
        let doc = docs::attrs(&member_docs(m));
        quote! {
            #doc
            pub fn #name(mut self, value: #ty) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });
    let (token_field, token_init, token_setter, token_send) = match &request_token {
        Some(kind) => {
            let setter = format_ident!("{}_access_token", kind);
            let doc = docs::attrs(&if op.needs_request_token {
                format!(
                    "The `{kind}` access token to call with. Required unless the client was built with a `static_token`: this operation accepts no token the client can fetch itself, and `send` fails before any request without one."
                )
            } else {
                format!("Calls with this `{kind}` access token instead of the client's own token.")
            });
            (
                quote!(request_token: Option<String>,),
                quote!(request_token: None,),
                quote! {
                    #doc
                    pub fn #setter(mut self, token: impl Into<String>) -> Self {
                        self.request_token = Some(token.into());
                        self
                    }
                },
                quote!(call.request_token(self.request_token);),
            )
        }
        None => (quote!(), quote!(), quote!(), quote!()),
    };

    let path = op.path_parts.iter().map(|p| match p {
        PathPart::Literal(l) => quote!(call.path_literal(#l);),
        PathPart::Param(i) => {
            let m = &op.path_params[*i];
            let name = ident(&m.rust);
            match m.ty {
                Ty::String => quote!(call.path_param(&self.#name);),
                _ => quote!(call.path_param(&self.#name.to_string());),
            }
        }
    });
    let query = op.query_params.iter().map(|m| put(m, Put::Query));
    let headers = op.header_params.iter().map(|m| put(m, Put::Header));
    // A JSON body is sent even when every field is unset: `{}`, not an empty body.
    let json_body = op.body.as_ref().filter(|(kind, _)| *kind == BodyKind::Json).map(|_| quote!(call.json_object();));
    let body = op.body.iter().flat_map(|(kind, fields)| {
        let how = if *kind == BodyKind::Multipart { Put::Multipart } else { Put::Json };
        fields.iter().map(move |m| put(m, how))
    });
    let (ret, send) = match &op.response {
        Response::Binary => (quote!(runtime::Download), quote!(send_binary(call))),
        Response::Json { data: None, .. } => (quote!(()), quote!(send_unit(call))),
        Response::Json { data: Some(t), .. } => {
            let t = rust_type(t, Scope::Service);
            (t.clone(), quote!(send_json::<#t>(call)))
        }
    };
    let decode = match &op.response {
        Response::Binary => quote!(),
        Response::Json { data, .. } => {
            let (t, map) = match data {
                Some(t) => (rust_type(t, Scope::Service), quote!()),
                None => (quote!(runtime::serde::de::IgnoredAny), quote!(.map(|_| ()))),
            };
            quote! {
                /// Decodes an answer of this operation from its HTTP status and body, as `send`
                /// does: for answers received some other way (a queue, a log, a test).
                pub fn decode(status: u16, body: &[u8]) -> Result<#ret, super::Error> {
                    runtime::decode_json::<#t>(&super::PROFILE, &#op_static, status, None, body)
                        #map
                        .map_err(super::Error::from)
                }
            }
        }
    };
    let stream = match &op.response {
        Response::Binary => quote! {
            /// Sends the request and hands the file over as it arrives, for files too large to
            /// hold in memory. Only a refused token is retried.
            pub async fn send_stream(self) -> Result<runtime::DownloadStream, super::Error> {
                let (client, call) = self.into_call();
                client.core.send_binary_stream(call).await.map_err(super::Error::from)
            }
        },
        Response::Json { .. } => quote!(),
    };
    let paging = op.pagination.as_ref().map(paging_methods).unwrap_or_default();
    let request_doc = docs::attrs(&format!(
        "The request of [`{accessor}::{method}`]: {}. Set optional inputs, then `.send().await`.",
        docs::escape(&op.title),
        accessor = op.accessor,
        method = op.method_name.trim_start_matches("r#"),
    ));
    let errors = error_enum(op);

    quote! {
        #spec

        impl<'a> #accessor<'a> {
            #doc
            pub fn #method(&self, #(#args),*) -> #request {
                #request {
                    client: self.client.clone(),
                    #(#init_required,)*
                    #(#init_optional,)*
                    #token_init
                }
            }
        }

        #request_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #request {
            client: super::Client,
            #(#struct_fields)*
            #token_field
        }

        impl #request {
            #(#setters)*
            #token_setter

            #decode

            /// Sends the request and decodes the answer.
            pub async fn send(self) -> Result<#ret, super::Error> {
                let (client, call) = self.into_call();
                client.core.#send.await.map_err(super::Error::from)
            }

            #stream
            #paging

            fn into_call(self) -> (super::Client, runtime::Call) {
                let mut call = runtime::Call::new(&#op_static);
                #(#path)*
                #(#query)*
                #(#headers)*
                #json_body
                #(#body)*
                #token_send
                (self.client, call)
            }
        }

        #errors
    }
}

/// `pages()` and `items()`: the list as lazily fetched streams.
fn paging_methods(p: &crate::model::Pagination) -> TokenStream {
    use crate::model::PageStyle;
    let page_ty = rust_type(&p.page_type, Scope::Service);
    let item_ty = rust_type(&p.items.1, Scope::Service);
    let items_field = ident(&p.items.0);
    let items_of = if p.items.2 { quote!(page.#items_field.unwrap_or_default()) } else { quote!(page.#items_field) };
    let pages = match p.style {
        PageStyle::Cursor => {
            let input = ident(&p.cursor_input);
            let cursor = ident(&p.cursor_field.0);
            let more = ident(&p.has_more_field.0);
            let cursor_of = if p.cursor_field.1 { quote!(page.#cursor.clone()) } else { quote!(Some(page.#cursor.clone())) };
            let more_of = if p.has_more_field.1 { quote!(page.#more.unwrap_or(false)) } else { quote!(page.#more) };
            quote! {
                /// Every page of the list, fetched as the stream is polled (one request per
                /// page, starting at the page token set here, if any). The stream ends after the
                /// page whose `has_more` is false or whose page token is empty, or after yielding
                /// the error of a page that failed.
                pub fn pages(self) -> impl runtime::Stream<Item = Result<#page_ty, super::Error>> + Send + 'static {
                    runtime::cursor_pages(
                        self,
                        |mut request: Self, cursor: Option<String>| async move {
                            if cursor.is_some() {
                                request.#input = cursor;
                            }
                            request.send().await
                        },
                        |page: &#page_ty| (#more_of, #cursor_of),
                    )
                }
            }
        }
        PageStyle::Page => {
            let input = ident(&p.page_input.0);
            let (first, set) = match p.page_input.1 {
                Ty::I32 => (quote!(self.#input.map(i64::from).unwrap_or(1)), quote!(i32::try_from(page).unwrap_or(i32::MAX))),
                _ => (quote!(self.#input.unwrap_or(1)), quote!(page)),
            };
            let total = ident(&p.total_field.0);
            let total_of = match (p.total_field.1, &p.total_field.2) {
                (true, Ty::I32) => quote!(page.#total.map(i64::from)),
                (true, _) => quote!(page.#total),
                (false, Ty::I32) => quote!(Some(i64::from(page.#total))),
                (false, _) => quote!(Some(page.#total)),
            };
            let count_of = if p.items.2 { quote!(page.#items_field.as_ref().map_or(0, Vec::len)) } else { quote!(page.#items_field.len()) };
            quote! {
                /// Every page of the list, fetched as the stream is polled (one request per
                /// page, from the page number set here, or 1). The stream ends after an empty
                /// page or once the items seen reach the total, or after yielding the error of a
                /// page that failed.
                pub fn pages(self) -> impl runtime::Stream<Item = Result<#page_ty, super::Error>> + Send + 'static {
                    let first = #first;
                    runtime::numbered_pages(
                        self,
                        first,
                        |mut request: Self, page: i64| async move {
                            request.#input = Some(#set);
                            request.send().await
                        },
                        |page: &#page_ty| (#count_of, #total_of),
                    )
                }
            }
        }
    };
    quote! {
        #pages

        /// Every item of every page, in order, fetched as the stream is polled.
        pub fn items(self) -> impl runtime::Stream<Item = Result<#item_ty, super::Error>> + Send + 'static {
            runtime::items(self.pages(), |page: #page_ty| #items_of)
        }
    }
}

/// The per-request token kind an operation accepts, if any.
fn per_request_token<'v>(v: &'v Vendor, op: &Operation) -> Option<&'v str> {
    if !op.accepts_request_token {
        return None;
    }
    v.tokens.iter().filter(|t| t.exchange.is_none() && op.tokens.contains(&t.name)).map(|t| t.name.as_str()).next()
}

fn arg_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String | Ty::Secret => quote!(impl Into<String>),
        Ty::Named { is_enum: true, .. } => {
            let t = rust_type(ty, Scope::Service);
            quote!(impl Into<#t>)
        }
        other => rust_type(other, Scope::Service),
    }
}

fn arg_into(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::String | Ty::Named { is_enum: true, .. } => quote!(#value.into()),
        Ty::Secret => quote!(runtime::Secret::new(#value)),
        _ => value,
    }
}

#[derive(Clone, Copy)]
enum Put {
    Query,
    Header,
    Json,
    Multipart,
}

/// The statement that puts one input into the call, for a required or an optional input.
fn put(m: &Member, how: Put) -> TokenStream {
    let wire = &m.wire;
    let name = ident(&m.rust);
    let stmt = |v: TokenStream| -> TokenStream {
        match how {
            Put::Query => match &m.ty {
                Ty::Vec(_) if m.style == ArrayStyle::Json => quote!(call.query_json(#wire, &#v);),
                Ty::Vec(_) => {
                    let style = match m.style {
                        ArrayStyle::Repeat => quote!(runtime::ArrayStyle::Repeat),
                        ArrayStyle::Brackets => quote!(runtime::ArrayStyle::Brackets),
                        ArrayStyle::Comma => quote!(runtime::ArrayStyle::Comma),
                        ArrayStyle::Json => quote!(runtime::ArrayStyle::Json),
                    };
                    quote!(call.query_array(#wire, #style, #v.iter().map(ToString::to_string).collect());)
                }
                Ty::String => quote!(call.query(#wire, #v);),
                Ty::Secret => quote!(call.query(#wire, #v.expose().to_owned());),
                _ => quote!(call.query(#wire, #v.to_string());),
            },
            Put::Header => match &m.ty {
                Ty::String => quote!(call.header(#wire, #v);),
                Ty::Secret => quote!(call.header(#wire, #v.expose().to_owned());),
                _ => quote!(call.header(#wire, #v.to_string());),
            },
            Put::Json => quote!(call.json_field(#wire, &#v);),
            Put::Multipart => match &m.ty {
                Ty::File => quote!(call.file_part(#wire, #v);),
                Ty::String => quote!(call.text_part(#wire, #v);),
                Ty::Secret => quote!(call.text_part(#wire, #v.expose().to_owned());),
                Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool | Ty::Named { is_enum: true, .. } => quote!(call.text_part(#wire, #v.to_string());),
                _ => quote!(call.json_part(#wire, &#v);),
            },
        }
    };
    if m.required {
        stmt(quote!(self.#name))
    } else {
        let body = stmt(quote!(value));
        quote! { if let Some(value) = self.#name { #body } }
    }
}

fn operation_static(op: &Operation, name: &proc_macro2::Ident) -> TokenStream {
    let id = op.spec_file.trim_end_matches(".yaml");
    let op_name = &op.name;
    let method = method_tokens(op.method);
    let path = &op.path;
    let tokens = &op.tokens;
    let response = match &op.response {
        Response::Binary => quote!(runtime::ResponseSpec::Binary),
        Response::Json { envelope: EnvelopeUse::Flat, .. } => quote!(runtime::ResponseSpec::Flat),
        Response::Json { envelope: EnvelopeUse::Data, .. } => quote!(runtime::ResponseSpec::Data),
    };
    let errors = op.errors.iter().map(|e| {
        let code = proc_macro2::Literal::i64_unsuffixed(e.code);
        let status = match e.http_status.map(proc_macro2::Literal::u16_unsuffixed) {
            Some(s) => quote!(Some(#s)),
            None => quote!(None),
        };
        let message = &e.message;
        let hint = option_str(e.hint.as_deref());
        quote!(runtime::DocumentedError { code: #code, http_status: #status, message: #message, hint: #hint })
    });
    quote! {
        static #name: runtime::OperationSpec = runtime::OperationSpec {
            id: #id,
            name: #op_name,
            method: #method,
            path: #path,
            tokens: &[#(#tokens),*],
            response: #response,
            errors: &[#(#errors),*],
        };
    }
}

fn error_enum(op: &Operation) -> TokenStream {
    if op.errors.is_empty() {
        return quote!();
    }
    let name = format_ident!("{}Error", op.name);
    let variants: Vec<_> = op.errors.iter().map(|e| ident(&e.variant)).collect();
    let codes: Vec<_> = op.errors.iter().map(|e| proc_macro2::Literal::i64_unsuffixed(e.code)).collect();
    let variant_docs = op.errors.iter().map(|e| {
        let mut text = format!("Code {}", e.code);
        if let Some(s) = e.http_status {
            text.push_str(&format!(" (HTTP {s})"));
        }
        text.push_str(&format!(": {}.", docs::escape(&e.message)));
        if let Some(h) = &e.hint {
            text.push_str(&format!("\n\nHint: {}", docs::escape(h)));
        }
        docs::attrs(&text)
    });
    let doc = docs::attrs(&format!(
        "The errors documented for {}.\n\nGet one from an error with [`{name}::from_error`]; codes not listed here stay on the error itself.",
        docs::escape(&op.title)
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
        }

        impl #name {
            /// The vendor's code for this error.
            pub fn code(self) -> i64 {
                match self {
                    #( Self::#variants => #codes, )*
                }
            }

            /// The documented error with this code, if there is one.
            pub fn from_code(code: i64) -> Option<Self> {
                match code {
                    #( #codes => Some(Self::#variants), )*
                    _ => None,
                }
            }

            /// The documented error an API error stands for, if any.
            pub fn from_error(error: &super::Error) -> Option<Self> {
                error.code().and_then(Self::from_code)
            }
        }
    }
}

fn operation_docs(v: &Vendor, op: &Operation) -> String {
    let mut parts = vec![docs::escape(&op.title)];
    if let Some(d) = &op.description {
        parts.push(docs::escape(d));
    }
    let mut line = format!("`{} {}`", op.method.as_str(), op.path);
    if let Some(url) = &op.doc_url {
        line.push_str(&format!(" · [doc page]({url})"));
    }
    if let Some(u) = &op.doc_updated {
        line.push_str(&format!(" (updated {u})"));
    }
    parts.push(line);
    let required: Vec<String> = op
        .inputs()
        .filter(|m| m.required)
        .map(|m| {
            let doc = super::member_docs(m).replace("\n\n", " · ");
            if doc.is_empty() { format!("- `{}`", m.rust.trim_start_matches("r#")) } else { format!("- `{}`: {doc}", m.rust.trim_start_matches("r#")) }
        })
        .collect();
    if !required.is_empty() {
        parts.push(format!("Arguments:\n{}", required.join("\n")));
    }
    let mut facts = Vec::new();
    if op.tokens.is_empty() {
        facts.push("- Token: none.".to_owned());
    } else {
        let kinds: Vec<String> = op
            .tokens
            .iter()
            .map(|t| {
                let per_request = v.tokens.iter().any(|k| &k.name == t && k.exchange.is_none());
                if per_request { format!("`{t}` (passed per request)") } else { format!("`{t}` (fetched by the client)") }
            })
            .collect();
        facts.push(format!("- Token: {}.", kinds.join(" or ")));
    }
    if !op.app_types.is_empty() {
        facts.push(format!("- App types: {}.", op.app_types.join(", ")));
    }
    let scope_list = |scopes: &[(String, Option<String>, Option<String>)]| {
        scopes
            .iter()
            .map(|(n, d, note)| {
                let mut s = docs::code(n);
                if let Some(d) = d {
                    s.push_str(&format!(" ({})", docs::escape(d)));
                }
                if let Some(note) = note {
                    s.push_str(&format!(": {}", docs::escape(note)));
                }
                s
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !op.scopes.is_empty() {
        facts.push(format!("- Scopes (any one): {}.", scope_list(&op.scopes)));
    }
    if !op.field_scopes.is_empty() {
        facts.push(format!("- Field scopes: {}.", scope_list(&op.field_scopes)));
    }
    if let Some(r) = &op.rate_limit {
        facts.push(format!("- Rate limit: {}.", docs::escape(r)));
    }
    if !op.errors.is_empty() {
        let list: Vec<String> = op.errors.iter().map(|e| format!("{} {}", e.code, docs::escape(&e.message))).collect();
        facts.push(format!("- Documented errors ([`{}Error`]): {}.", op.name, list.join("; ")));
    }
    parts.push(facts.join("\n"));
    if !op.errata.is_empty() {
        let mut s = "Where this client departs from the doc page:".to_owned();
        for e in &op.errata {
            s.push_str(&format!("\n- {}: page: {}; spec: {}. {}", docs::code(&e.at), docs::escape(&e.doc), docs::escape(&e.spec), docs::escape(&e.reason)));
        }
        parts.push(s);
    }
    parts.push(format!("Spec: `{}`.", op.spec_file));
    parts.join("\n\n")
}
