//! The vendor module: the vendor profile (what `vendor.yaml` says, as a static), `Client`,
//! `ClientBuilder`, `Error`, vendor-wide types, and accessors for service path prefixes.

use proc_macro2::TokenStream;
use quote::quote;

use super::{accessor_def, docs, ident, method_tokens, types};
use crate::model::{Module, Vendor};
use crate::reserved;

/// The vendor module's items; with `inline`, each service module's items are written inside it
/// (for the macro) instead of `pub mod service;` (for files).
pub fn vendor_module(v: &Vendor, inline: bool) -> TokenStream {
    let title = &v.title;
    let mut module_doc = format!("{title}.");
    if let Some(d) = &v.description {
        module_doc.push_str(&format!("\n\n{}", docs::escape(d)));
    }
    if let Some(d) = &v.docs {
        module_doc.push_str(&format!("\n\nVendor documentation: <{d}>"));
    }
    module_doc.push_str(&format!("\n\nGenerated from `{}/`.", v.spec_dir));
    let module_doc = module_doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });

    let services = v.services.iter().map(|s| {
        let m = ident(&crate::names::escape(&s.module));
        let doc = docs::attrs(&match &s.title {
            Some(t) => format!("`{}`: {}", s.path.join("/"), docs::escape(t)),
            None => format!("`{}`", s.path.join("/")),
        });
        if inline {
            let body = super::operations::service_module(v, s);
            quote! { #doc pub mod #m { #body } }
        } else {
            // Features belong to generated-client's Cargo.toml: only its files are gated.
            let cfg = s.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
            quote! { #doc #cfg pub mod #m; }
        }
    });
    let profile = profile(v);
    let client = client(v);
    let types = types::type_defs(&v.types, Module::Vendor, false);
    let accessors = v.accessors.iter().map(|a| accessor_def(a, Module::Vendor, !inline));
    let events = super::events::event_enum(v, inline);
    quote! {
        #( #![doc = #module_doc] )*
        use ::generated_client::runtime;

        #(#services)*
        #profile
        #client
        #types
        #(#accessors)*
        #events
    }
}

fn profile(v: &Vendor) -> TokenStream {
    let name = &v.module;
    let base = &v.default_host;
    let envelope = match &v.envelope {
        None => quote!(None),
        Some(e) => {
            let (code, message, data) = (&e.code, &e.message, &e.data);
            let success = proc_macro2::Literal::i64_unsuffixed(e.success);
            let sub_code = option_str(e.sub_code.as_deref());
            quote!(Some(runtime::EnvelopeSpec { code: #code, sub_code: #sub_code, message: #message, data: #data, success: #success }))
        }
    };
    let hosts = v.hosts.iter().map(|h| {
        let (name, url) = (&h.name, &h.url);
        quote!((#name, #url))
    });
    let rid_headers = &v.request_id_headers;
    let rid_field = option_str(v.request_id_field.as_deref());
    let creds = v.credentials.iter().map(|c| {
        let (n, s) = (&c.name, c.secret);
        let pushed = match &c.pushed {
            Some(p) => {
                let (event, field) = (&p.event, &p.field);
                quote!(Some(runtime::PushedSpec { event: #event, field: #field }))
            }
            None => quote!(None),
        };
        quote!(runtime::CredentialSpec { name: #n, secret: #s, pushed: #pushed })
    });
    let tokens = v.tokens.iter().map(|t| {
        let (n, h, p) = (&t.name, &t.header, &t.prefix);
        let exchange = match &t.exchange {
            None => quote!(None),
            Some(x) => {
                let method = method_tokens(x.method);
                let path = &x.path;
                let hosts = x.hosts.iter().map(|h| {
                    let (name, url) = (&h.name, &h.url);
                    quote!((#name, #url))
                });
                let body = x.body.iter().map(|b| {
                    let (f, c) = (&b.field, &b.credential);
                    quote!((#f, #c))
                });
                let token = &x.token;
                let expires = &x.expires_in;
                let headers = x.headers.iter().map(|h| {
                    let name = &h.name;
                    let claim = option_str(h.jwt_claim.as_deref());
                    let cred = option_str(h.credential.as_deref());
                    quote!(runtime::BoundHeaderSpec { name: #name, jwt_claim: #claim, credential: #cred })
                });
                quote!(Some(runtime::ExchangeSpec {
                    method: #method,
                    path: #path,
                    hosts: &[#(#hosts),*],
                    body: &[#(#body),*],
                    token: &[#(#token),*],
                    expires_in: &[#(#expires),*],
                    headers: &[#(#headers),*],
                }))
            }
        };
        quote!(runtime::TokenSpec { name: #n, header: #h, prefix: #p, exchange: #exchange })
    });
    let ints = |xs: &[i64]| xs.iter().map(|x| proc_macro2::Literal::i64_unsuffixed(*x)).collect::<Vec<_>>();
    let statuses = |xs: &[u16]| xs.iter().map(|x| proc_macro2::Literal::u16_unsuffixed(*x)).collect::<Vec<_>>();
    let (ti_codes, ti_status) = (ints(&v.token_invalid_codes), statuses(&v.token_invalid_statuses));
    let (rl_codes, rl_status) = (ints(&v.rate_limit_codes), statuses(&v.rate_limit_statuses));
    let rl_reset = option_str(v.rate_limit_reset_header.as_deref());
    quote! {
        /// What `vendor.yaml` says about this vendor's servers, for the runtime.
        static PROFILE: runtime::VendorProfile = runtime::VendorProfile {
            name: #name,
            default_base_url: #base,
            hosts: &[#(#hosts),*],
            envelope: #envelope,
            request_id_headers: &[#(#rid_headers),*],
            request_id_field: #rid_field,
            credentials: &[#(#creds),*],
            tokens: &[#(#tokens),*],
            token_invalid_codes: &[#(#ti_codes),*],
            token_invalid_statuses: &[#(#ti_status),*],
            rate_limit_codes: &[#(#rl_codes),*],
            rate_limit_statuses: &[#(#rl_status),*],
            rate_limit_reset_header: #rl_reset,
        };
    }
}

fn client(v: &Vendor) -> TokenStream {
    let title = &v.title;
    let client_doc = docs::attrs(&format!("A client for {title}.\n\nCheap to clone: clones share the connection pool and the token cache.\nBuild one with [`Client::builder`]."));
    let default_host = &v.default_host;
    let base_doc = docs::attrs(&format!(
        "The base URL of the API, without a trailing slash. Default: `{default_host}`.{}",
        if v.hosts.len() > 1 { format!("\n\nKnown hosts: {}.", v.hosts.iter().map(|h| format!("{} `{}`", h.name, h.url)).collect::<Vec<_>>().join(", ")) } else { String::new() }
    ));
    let creds = v.credentials.iter().map(|c| {
        let method = ident(&c.method);
        let name = &c.name;
        let mut doc = c.description.as_deref().map(docs::escape).unwrap_or_else(|| format!("The `{name}` credential."));
        if c.secret {
            doc.push_str("\n\nKept secret: never printed by `Debug`, errors or logs.");
        }
        if let Some(p) = &c.pushed {
            doc.push_str(&format!(
                "\n\nThe vendor pushes it in the `{}` event: it is not needed to build the client, and [`Client::{}`] keeps it current. Set it here to start with one you stored.",
                p.event,
                reserved::RECEIVE_PUSHED
            ));
        }
        let doc = docs::attrs(&doc);
        quote! {
            #doc
            pub fn #method(mut self, value: impl Into<String>) -> Self {
                self.inner = self.inner.credential(#name, value.into());
                self
            }
        }
    });
    let error_doc = docs::attrs(&format!(
        "An error from a {title} call.\n\nDereferences to [`runtime::Error`]: `code()`, `message()`, `http_status()`, `request_id()`, `raw_body()` and `kind()`."
    ));
    let (builder, core, raw) = (ident(reserved::BUILDER), ident(reserved::CORE), ident(reserved::RAW));
    let pushed: Vec<TokenStream> = v
        .credentials
        .iter()
        .filter_map(|c| {
            let p = c.pushed.as_ref()?;
            let (name, event, field) = (&c.name, &p.event, &p.field);
            Some(quote!(.on_pushed_credential(self.core.clone(), #name, #event, #field)))
        })
        .collect();
    let receive_pushed = if pushed.is_empty() {
        quote!()
    } else {
        let method = ident(reserved::RECEIVE_PUSHED);
        let list: Vec<String> = v.credentials.iter().filter_map(|c| c.pushed.as_ref().map(|p| format!("`{}` (event `{}`)", c.name, p.event))).collect();
        let doc = docs::attrs(&format!(
            "Registers, on an event dispatcher, the events that carry the credentials the vendor pushes ({}): each stores its credential in this client (and its clones), where the token exchanges read it.",
            list.join(", ")
        ));
        quote! {
            #doc
            pub fn #method(&self, dispatcher: runtime::events::Dispatcher) -> runtime::events::Dispatcher {
                dispatcher #(#pushed)*
            }
        }
    };
    quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            core: runtime::Core,
        }

        impl Client {
            /// Starts configuring a client.
            pub fn #builder() -> ClientBuilder {
                ClientBuilder { inner: runtime::Builder::new(&PROFILE) }
            }

            /// The runtime client underneath.
            pub fn #core(&self) -> &runtime::Core {
                &self.core
            }

            /// A call to an endpoint no spec covers yet, such as `raw(Method::Post,
            /// "/open-apis/im/v1/messages")`: the same tokens, retries, envelope check and
            /// typed errors as the generated calls; decode the answer into any type with
            /// `.send::<T>()`. See [`runtime::RawRequest`].
            pub fn #raw(&self, method: runtime::Method, path: impl Into<String>) -> runtime::RawRequest {
                self.core.raw(method, path)
            }
            #receive_pushed
        }

        /// Configures a [`Client`]: credentials, base URL, timeouts, HTTP client.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            inner: runtime::Builder,
        }

        impl ClientBuilder {
            #(#creds)*

            #base_doc
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.inner = self.inner.base_url(url.into());
                self
            }

            /// A whole-request timeout for each attempt. Default: 10 seconds.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.inner = self.inner.timeout(timeout);
                self
            }

            /// A timeout for establishing a connection. Default: 5 seconds.
            pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.inner = self.inner.connect_timeout(timeout);
                self
            }

            /// How long before its expiry a cached token is replaced. Default: 3 minutes.
            pub fn token_refresh_margin(mut self, margin: std::time::Duration) -> Self {
                self.inner = self.inner.token_refresh_margin(margin);
                self
            }

            /// A header sent with every request, such as a language preference.
            pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.inner = self.inner.default_header(name.into(), value.into());
                self
            }

            /// Uses this `reqwest::Client` (your own TLS, proxy or pool settings); the timeouts set
            /// here then do not apply, configure them on your client.
            pub fn http_client(mut self, client: runtime::reqwest::Client) -> Self {
                self.inner = self.inner.http_client(client);
                self
            }

            /// Uses this access token instead of fetching one with credentials, and for
            /// operations whose token is passed per request when a call passes none.
            pub fn static_token(mut self, token: impl Into<String>) -> Self {
                self.inner = self.inner.static_token(token.into());
                self
            }

            /// Uses this access token for the token kind `kind` instead of fetching it (for a
            /// token your own service fetches and shares); that kind's credentials are then not
            /// needed. `build()` fails on a kind the client does not fetch.
            pub fn static_token_for(mut self, kind: &str, token: impl Into<String>) -> Self {
                self.inner = self.inner.static_token_for(kind.to_owned(), token.into());
                self
            }

            /// How failed attempts are retried. Default: [`runtime::RetryPolicy::default`] (3
            /// attempts, exponential backoff with jitter); `RetryPolicy::disabled()` turns it off.
            pub fn retry_policy(mut self, policy: runtime::RetryPolicy) -> Self {
                self.inner = self.inner.retry_policy(policy);
                self
            }

            /// Allows a plain-HTTP base URL on a host that is not loopback. Off by default.
            pub fn allow_insecure_http(mut self, allow: bool) -> Self {
                self.inner = self.inner.allow_insecure_http(allow);
                self
            }

            /// Checks the configuration and builds the client.
            pub fn build(self) -> Result<Client, Error> {
                self.inner.build().map(|core| Client { core }).map_err(Error)
            }
        }

        #error_doc
        #[derive(Debug)]
        pub struct Error(runtime::Error);

        impl Error {
            /// The runtime error inside.
            pub fn into_inner(self) -> runtime::Error {
                self.0
            }
        }

        impl std::ops::Deref for Error {
            type Target = runtime::Error;
            fn deref(&self) -> &runtime::Error {
                &self.0
            }
        }

        impl From<runtime::Error> for Error {
            fn from(error: runtime::Error) -> Self {
                Error(error)
            }
        }

        impl std::fmt::Display for Error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                std::error::Error::source(&self.0)
            }
        }
    }
}

pub(super) fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}
