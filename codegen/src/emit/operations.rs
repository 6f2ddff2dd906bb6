//! A service module: its types, its accessors, and per operation a request builder with
//! `send()`, the operation's static description for the runtime, and its documented errors.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::vendor::option_str;
use super::{accessor_def, docs, ident, inputs, member_docs, method_tokens, rust_type, types};
use crate::model::{Args, ArrayStyle, BodyKind, EnvelopeUse, Member, Module, Operation, PageField, Paging, PathPart, Response, Service, Ty, Vendor};
use crate::reserved;

pub fn service_module(v: &Vendor, s: &Service) -> TokenStream {
    let head = service_head(v, s, Head::All);
    let types = types::type_defs(&s.types, Module::Service, false);
    let events = super::events::service_events(s);
    quote! {
        #head
        #types
        #events
    }
}

/// What of a service module's start to emit.
#[derive(Debug, Clone)]
pub enum Head {
    /// Its docs, the accessors with the methods that start each operation, and every
    /// operation's own items (statics, requests, errors); the types and events follow.
    All,
    /// The docs and accessors alone.
    Start,
    /// The own items of the operations in a range.
    Operations(std::ops::Range<usize>),
}

/// The start of a service's module, or a share of it (see [`Head`]).
pub fn service_head(v: &Vendor, s: &Service, part: Head) -> TokenStream {
    let mut doc = match &s.title {
        Some(t) => format!("{} `{}`: {}.", v.title, s.path.join("/"), docs::escape(t)),
        None => format!("{} `{}`.", v.title, s.path.join("/")),
    };
    if let Some(d) = &s.docs {
        doc.push_str(&format!("\n\nVendor documentation: <{d}>"));
    }
    if !s.hosts.is_empty() {
        let hosts: Vec<String> = s.hosts.iter().map(|h| format!("`{}` where the client's base URL is host `{}`", h.url, h.name)).collect();
        doc.push_str(&format!("\n\nServed from other hosts than the vendor's: {}; from the client's base URL otherwise.", hosts.join(", ")));
    }
    doc.push_str(&format!("\n\nGenerated from `{}/`.", s.spec_dir));
    let doc = doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    let accessors = s.accessors.iter().map(|a| accessor_def(a, Module::Service, false));
    // The service's own hosts, one table every operation static of the service points to.
    let (hosts_static, hosts) = if s.hosts.is_empty() {
        (TokenStream::new(), quote!(&[]))
    } else {
        let entries = s.hosts.iter().map(|h| {
            let (name, url) = (&h.name, &h.url);
            quote!((#name, #url))
        });
        let doc = " Where this service is served instead of the vendor's hosts: (vendor host name, base URL).";
        (quote! { #[doc = #doc] static SERVICE_HOSTS: &[(&str, &str)] = &[#(#entries),*]; }, quote!(SERVICE_HOSTS))
    };
    let with_operations = matches!(part, Head::All);
    if let Head::Operations(range) = part {
        let rest = s.operations.get(range).unwrap_or_default().iter().map(|op| operation(v, op, &hosts, true).2);
        return quote!(#(#rest)*);
    }
    // One `impl` block per accessor, in the order of the operations.
    let mut blocks: Vec<(String, TokenStream, Vec<TokenStream>)> = Vec::new();
    let mut ops = Vec::new();
    for op in &s.operations {
        let (accessor, constructor, rest) = operation(v, op, &hosts, with_operations);
        let key = accessor.to_string();
        match blocks.iter_mut().find(|(k, ..)| *k == key) {
            Some((_, _, methods)) => methods.push(constructor),
            None => blocks.push((key, accessor, vec![constructor])),
        }
        if with_operations {
            ops.push(rest);
        }
    }
    let impls = blocks.iter().map(|(_, accessor, methods)| quote! { impl<'a> #accessor<'a> { #(#methods)* } });
    quote! {
        #( #![doc = #doc] )*
        use ::generated_client::runtime;

        #hosts_static
        #(#accessors)*
        #(#impls)*
        #(#ops)*
    }
}

/// One operation; `hosts` is its static's `hosts` (the service's table, or `&[]`). Returns its
/// accessor, the accessor's method that starts the request, and the rest (static, request,
/// errors; empty unless `with_rest`): the methods of an accessor go into one `impl` block, as
/// rustc checks every pair of an inherent type's impl blocks for overlap.
fn operation(v: &Vendor, op: &Operation, hosts: &TokenStream, with_rest: bool) -> (TokenStream, TokenStream, TokenStream) {
    let request = format_ident!("{}Request", op.name);
    let op_static = format_ident!("{}_OPERATION", op.name.to_shouty_snake_case());
    let accessor = {
        let name = ident(&op.accessor);
        if op.accessor_in_vendor { quote!(super::#name) } else { quote!(#name) }
    };
    let method = ident(&op.method_name);
    let doc = docs::attrs(&operation_docs(v, op));
    let (send, send_stream, decode, into_call) = (ident(reserved::SEND), ident(reserved::SEND_STREAM), ident(reserved::DECODE), ident(reserved::INTO_CALL));
    let client_field = ident(reserved::CLIENT_FIELD);
    let token_field = ident(reserved::TOKEN_FIELD);

    // Path parameters are positional; the other required inputs too, or named in a struct.
    let required_args: Vec<&Member> = op.required_args().collect();
    let (args, init_required, required_struct) = constructor_args(op, &op.path_params, &required_args);
    let init_optional = op.inputs().filter(|m| !m.required).map(|m| {
        let name = ident(&m.rust);
        quote!(#name: None)
    });
    let struct_fields = op.inputs().map(|m| {
        let name = ident(&m.rust);
        let ty = rust_type(&m.ty, Module::Service);
        if m.required { quote!(#name: #ty,) } else { quote!(#name: Option<#ty>,) }
    });
    let setters = op.inputs().filter(|m| !m.required).map(|m| inputs::setters(m, Module::Service));
    let (token_struct_field, token_init, token_setter, token_send) = match &op.request_token {
        Some(t) => {
            let setter = ident(&t.setter);
            let kind = &t.kind;
            let doc = docs::attrs(&if t.required {
                format!(
                    "The `{kind}` access token to call with. Required unless the client was built with a `static_token`: this operation accepts no token the client can fetch itself, and `send` fails before any request without one."
                )
            } else {
                format!("Calls with this `{kind}` access token instead of the client's own token.")
            });
            (
                quote!(#token_field: Option<String>,),
                quote!(#token_field: None,),
                quote! {
                    #doc
                    pub fn #setter(mut self, token: impl Into<String>) -> Self {
                        self.#token_field = Some(token.into());
                        self
                    }
                },
                quote!(call.request_token(self.#token_field);),
            )
        }
        None => (quote!(), quote!(), quote!(), quote!()),
    };

    let deprecated = op.deprecated.as_deref().map(|note| if note.is_empty() { quote!(#[deprecated]) } else { quote!(#[deprecated(note = #note)]) });
    let constructor = quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#args),*) -> #request {
            #request {
                #client_field: self.client.clone(),
                #(#init_required,)*
                #(#init_optional,)*
                #token_init
            }
        }
    };
    if !with_rest {
        return (accessor, constructor, TokenStream::new());
    }
    let spec = operation_static(op, &op_static, hosts);
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
    let json_body = op.body.as_ref().filter(|b| b.kind == BodyKind::Json).map(|_| quote!(call.json_object();));
    let body = op.body.iter().flat_map(|b| {
        let how = if b.kind == BodyKind::Multipart { Put::Multipart } else { Put::Json };
        b.fields.iter().map(move |m| put(m, how))
    });
    let (ret, send_call) = match &op.response {
        Response::Binary => (quote!(runtime::Download), quote!(call_binary::<super::Error>(call))),
        Response::Json { data: None, .. } => (quote!(()), quote!(call_unit::<super::Error>(call))),
        Response::Json { data: Some(t), .. } => {
            let t = rust_type(t, Module::Service);
            (t.clone(), quote!(call_json::<#t, super::Error>(call)))
        }
    };
    let decode_fn = match &op.response {
        Response::Binary => quote!(),
        Response::Json { data, .. } => {
            let (t, map) = match data {
                Some(t) => (rust_type(t, Module::Service), quote!()),
                None => (quote!(runtime::serde::de::IgnoredAny), quote!(.map(|_| ()))),
            };
            quote! {
                /// Decodes an answer of this operation from its HTTP status and body, as `send`
                /// does: for answers received some other way (a queue, a log, a test).
                pub fn #decode(status: u16, body: &[u8]) -> Result<#ret, super::Error> {
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
            /// hold in memory.
            pub fn #send_stream(self) -> runtime::Pending<runtime::DownloadStream, super::Error> {
                let (client, call) = self.#into_call();
                client.core.call_binary_stream::<super::Error>(call)
            }
        },
        Response::Json { .. } => quote!(),
    };
    let paging = op.pagination.as_ref().map(paging_methods).unwrap_or_default();
    let request_doc = docs::attrs(&format!(
        "The request of [`{accessor}::{method}`]: {}. Set optional inputs, then `.send().await`.",
        docs::escape(&op.title),
        accessor = accessor_path(op),
        method = op.method_name.trim_start_matches("r#"),
    ));
    let errors = error_enum(op);

    let rest = quote! {
        #spec

        #required_struct

        #request_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent with `.send().await`"]
        pub struct #request {
            #client_field: super::Client,
            #(#struct_fields)*
            #token_struct_field
        }

        impl #request {
            #(#setters)*
            #token_setter

            #decode_fn

            /// Sends the request and decodes the answer.
            pub fn #send(self) -> runtime::Pending<#ret, super::Error> {
                let (client, call) = self.#into_call();
                client.core.#send_call
            }

            #stream
            #paging

            fn #into_call(self) -> (super::Client, runtime::Call) {
                let mut call = runtime::Call::new(&#op_static);
                #(#path)*
                #(#query)*
                #(#headers)*
                #json_body
                #(#body)*
                #token_send
                (self.#client_field, call)
            }
        }

        #errors
    };
    (accessor, constructor, rest)
}

/// The accessor of an operation as a path from its service module, for doc links.
fn accessor_path(op: &Operation) -> String {
    if op.accessor_in_vendor { format!("super::{}", op.accessor) } else { op.accessor.clone() }
}

/// The arguments of a request's constructor, the field initializers for them, and the struct of
/// required inputs when they are named.
fn constructor_args(op: &Operation, path_params: &[Member], required: &[&Member]) -> (Vec<TokenStream>, Vec<TokenStream>, TokenStream) {
    let positional = |m: &Member| {
        let name = ident(&m.rust);
        let ty = inputs::arg_type(&m.ty, Module::Service);
        quote!(#name: #ty)
    };
    let init = inputs::field_init;
    let mut args: Vec<TokenStream> = path_params.iter().map(positional).collect();
    let mut inits: Vec<TokenStream> = path_params.iter().map(init).collect();
    match &op.args {
        Args::Positional => {
            args.extend(required.iter().map(|m| positional(m)));
            inits.extend(required.iter().map(|m| init(m)));
            (args, inits, quote!())
        }
        Args::Named(name) => {
            let ty = ident(name);
            // The struct's parameter, named past the path parameters.
            let param = ident(&reserved::free(reserved::REQUIRED_PARAM, |n| path_params.iter().any(|m| m.rust.trim_start_matches("r#") == n)));
            args.push(quote!(#param: #ty));
            let source = quote!(#param);
            inits.extend(required.iter().map(|m| {
                let field = ident(&m.rust);
                let value = inputs::from_required(m, &source);
                quote!(#field: #value)
            }));
            let doc = format!("The required inputs of [`{}::{}`], each named at the call.", accessor_path(op), op.method_name.trim_start_matches("r#"));
            (args, inits, inputs::required_struct(name, &doc, required, Module::Service))
        }
    }
}

/// `pages()` and `items()`: the list as lazily fetched streams.
fn paging_methods(p: &crate::model::Pagination) -> TokenStream {
    let (pages_fn, items_fn, send) = (ident(reserved::PAGES), ident(reserved::ITEMS), ident(reserved::SEND));
    let page_ty = rust_type(&p.page_type, Module::Service);
    let item_ty = rust_type(&p.item, Module::Service);
    let items_field = ident(&p.items.rust);
    let items_of = if p.items.optional { quote!(page.#items_field.unwrap_or_default()) } else { quote!(page.#items_field) };
    let read = |f: &PageField| {
        let name = ident(&f.rust);
        (name, f.optional)
    };
    let pages = match &p.style {
        Paging::Cursor { input, cursor, has_more } => {
            let input = ident(&input.rust);
            let (cursor, cursor_optional) = read(cursor);
            let (more, more_optional) = read(has_more);
            let cursor_of = if cursor_optional { quote!(page.#cursor.clone()) } else { quote!(Some(page.#cursor.clone())) };
            let more_of = if more_optional { quote!(page.#more.unwrap_or(false)) } else { quote!(page.#more) };
            quote! {
                /// Every page of the list, fetched as the stream is polled (one request per
                /// page, starting at the page token set here, if any). The stream ends after the
                /// page whose `has_more` is false or whose page token is empty, or after yielding
                /// the error of a page that failed.
                pub fn #pages_fn(self) -> impl runtime::Stream<Item = Result<#page_ty, super::Error>> + Send + 'static {
                    runtime::cursor_pages(
                        self,
                        |mut request: Self, cursor: Option<String>| async move {
                            if cursor.is_some() {
                                request.#input = cursor;
                            }
                            request.#send().await
                        },
                        |page: &#page_ty| (#more_of, #cursor_of),
                    )
                }
            }
        }
        Paging::Page { page, total, .. } => {
            let input = ident(&page.rust);
            let (first, set) = match page.ty {
                Ty::I32 => (quote!(self.#input.map(i64::from).unwrap_or(1)), quote!(i32::try_from(page).unwrap_or(i32::MAX))),
                _ => (quote!(self.#input.unwrap_or(1)), quote!(page)),
            };
            let (total_name, total_optional) = read(total);
            let total_of = match (total_optional, &total.ty) {
                (true, Ty::I32) => quote!(page.#total_name.map(i64::from)),
                (true, _) => quote!(page.#total_name),
                (false, Ty::I32) => quote!(Some(i64::from(page.#total_name))),
                (false, _) => quote!(Some(page.#total_name)),
            };
            let count_of = if p.items.optional { quote!(page.#items_field.as_ref().map_or(0, Vec::len)) } else { quote!(page.#items_field.len()) };
            quote! {
                /// Every page of the list, fetched as the stream is polled (one request per
                /// page, from the page number set here, or 1). The stream ends after an empty
                /// page or once the items seen reach the total, or after yielding the error of a
                /// page that failed.
                pub fn #pages_fn(self) -> impl runtime::Stream<Item = Result<#page_ty, super::Error>> + Send + 'static {
                    let first = #first;
                    runtime::numbered_pages(
                        self,
                        first,
                        |mut request: Self, page: i64| async move {
                            request.#input = Some(#set);
                            request.#send().await
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
        pub fn #items_fn(self) -> impl runtime::Stream<Item = Result<#item_ty, super::Error>> + Send + 'static {
            runtime::items(self.#pages_fn(), |page: #page_ty| #items_of)
        }
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
                Ty::I32 | Ty::I64 | Ty::F64 | Ty::Bool => quote!(call.text_part(#wire, #v.to_string());),
                Ty::Named(n) if n.is_enum() => quote!(call.text_part(#wire, #v.to_string());),
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

fn operation_static(op: &Operation, name: &proc_macro2::Ident, hosts: &TokenStream) -> TokenStream {
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
            hosts: #hosts,
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

/// The rustdoc of an operation's method: what the call does, then its method and path, its
/// arguments, token, scopes and documented errors; where the spec departs from the page last.
fn operation_docs(v: &Vendor, op: &Operation) -> String {
    let mut parts = vec![docs::escape(&op.title)];
    if let Some(d) = op.description.as_deref().filter(|d| !docs::same_text(d, &op.title)) {
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
    let argument = |m: &Member| {
        // Continuation lines are indented under their list item (no lazy continuation).
        let doc = member_docs(m).replace("\n\n", " · ").replace('\n', "\n  ");
        let name = m.rust.trim_start_matches("r#");
        if doc.is_empty() { format!("- `{name}`") } else { format!("- `{name}`: {doc}") }
    };
    let path_args: Vec<String> = op.path_params.iter().map(argument).collect();
    let required: Vec<String> = op.required_args().map(argument).collect();
    match &op.args {
        Args::Named(name) if !required.is_empty() => {
            let mut text = String::new();
            if !path_args.is_empty() {
                text.push_str(&format!("Arguments:\n{}\n\n", path_args.join("\n")));
            }
            text.push_str(&format!("Required inputs, named in [`{name}`]:\n{}", required.join("\n")));
            parts.push(text);
        }
        _ if !path_args.is_empty() || !required.is_empty() => parts.push(format!("Arguments:\n{}", path_args.into_iter().chain(required).collect::<Vec<_>>().join("\n"))),
        _ => {}
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
    if !op.scopes.is_empty() {
        facts.push(format!("- Scopes (any one): {}.", docs::scopes(&op.scopes)));
    }
    if !op.field_scopes.is_empty() {
        facts.push(format!("- Field scopes: {}.", docs::scopes(&op.field_scopes)));
    }
    if let Some(r) = &op.rate_limit {
        facts.push(format!("- Rate limit: {}.", docs::escape(r)));
    }
    if !op.errors.is_empty() {
        let list: Vec<String> = op.errors.iter().map(|e| format!("{} {}", e.code, docs::escape(&e.message))).collect();
        facts.push(format!("- Documented errors ([`{}Error`]): {}.", op.name, list.join("; ")));
    }
    parts.push(facts.join("\n"));
    parts.extend(docs::errata(&op.errata));
    parts.push(format!("Spec: `{}`.", op.spec_file));
    parts.join("\n\n")
}
