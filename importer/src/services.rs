//! The declaration of a service the importer puts operations in (`services:` of `vendor.yaml`):
//! its cargo feature, and for Authing's doc families the `management` accessor they hang on.

use codegen::diagnostic::Loc;
use codegen::spec::{ServiceDecl, Sp};

/// How `vendor.yaml` declares an imported service: Feishu's `im/v1` as `feature: feishu-im`
/// (one feature per service, all its versions); Authing's `management/<family>` mounted on
/// `management`, so that `pool.management().get_user(…)` stays the call.
pub fn declaration(vendor: &str, service_dir: &str) -> ServiceDecl {
    let sp = |value: String| Sp { value, loc: Loc::NONE };
    let first = service_dir.split('/').next().unwrap_or(service_dir);
    let (feature, mount) = match (vendor, service_dir.split_once('/')) {
        ("authing", Some(("management", family))) => (format!("authing-{}", family.replace('_', "-")), Some("management".to_owned())),
        ("authing", _) => (format!("authing-{}", first.replace('_', "-")), None),
        (vendor, _) => (format!("{vendor}-{}", first.replace('_', "-")), None),
    };
    ServiceDecl { path: sp(service_dir.to_owned()), title: None, docs: None, feature: Some(sp(feature)), mount: mount.map(sp), hosts: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::declaration;

    #[test]
    fn features_by_service_and_families_mounted_on_management() {
        let im = declaration("feishu", "im/v1");
        assert_eq!(im.feature.map(|f| f.value).as_deref(), Some("feishu-im"));
        assert!(im.mount.is_none());
        let users = declaration("authing", "management/audit_logs");
        assert_eq!(users.feature.map(|f| f.value).as_deref(), Some("authing-audit-logs"));
        assert_eq!(users.mount.map(|m| m.value).as_deref(), Some("management"));
    }
}
