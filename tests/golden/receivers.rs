//! The receiver of each call-name prefix: how a script reaches the Python object the
//! recorded call was made on, with the ids read from the recorded targets.
use super::calls::Request;
use std::collections::HashMap;

/// A prefix of the golden call names (`ab` in `ab.create_version`).
pub struct Receiver {
    /// The prefix.
    pub prefix: &'static str,
    /// Path patterns (under `/dip/publicapi`) whose `{x}` parts name the ids; the
    /// first matching the start of a recorded request's path gives them.
    pub patterns: &'static [&'static str],
    /// The method calls from the client that reach it, `{x}` standing for an id.
    pub steps: &'static str,
}

const fn r(
    prefix: &'static str,
    patterns: &'static [&'static str],
    steps: &'static str,
) -> Receiver {
    Receiver {
        prefix,
        patterns,
        steps,
    }
}

/// The Python objects the golden calls are made on (those with no prefix are made on
/// the client itself).
pub const RECEIVERS: &[Receiver] = &[
    r("artifact", &["/artifact/{a}"], "get_artifact({a})"),
    r(
        "signoff",
        &["/artifact/{a}/workflow/step/{s}"],
        "get_artifact({a}).get_signoff({s})",
    ),
    r(
        "feedback",
        &["/artifact/{a}/workflow/step/{s}/signoff/feedback/{f}"],
        "get_artifact({a}).get_signoff({s}).get_feedback({f})",
    ),
    r(
        "approval",
        &["/artifact/{a}/workflow/step/{s}"],
        "get_artifact({a}).get_signoff({s}).get_approval()",
    ),
    r("blueprint", &["/blueprint/{b}"], "get_blueprint({b})"),
    r(
        "version",
        &["/blueprint/{b}/version/{v}"],
        "get_blueprint({b}).get_version({v})",
    ),
    r("bd", &[""], "get_blueprint_designer()"),
    r(
        "ab",
        &["/admin/blueprint/{b}"],
        "get_blueprint_designer().get_blueprint({b})",
    ),
    r(
        "av",
        &["/admin/blueprint/{b}/version/{v}"],
        "get_blueprint_designer().get_blueprint({b}).get_version({v})",
    ),
    r(
        "sc",
        &["/admin/blueprint/{b}/version/{v}/workflow/step/{s}"],
        "get_blueprint_designer().get_blueprint({b}).get_version({v}).get_signoff_configuration({s})",
    ),
    r("rp", &[""], "get_roles_permissions_handler()"),
    r(
        "role",
        &["/admin/role/{r}"],
        "get_roles_permissions_handler().get_role({r})",
    ),
    r(
        "ra",
        &["/admin/blueprint-role-assignments/{b}"],
        "get_roles_permissions_handler().get_role_assignments({b})",
    ),
    r(
        "bpp",
        &["/admin/blueprint-permissions/{b}"],
        "get_roles_permissions_handler().get_blueprint_permissions({b})",
    ),
    r("cph", &[""], "get_custom_pages_handler()"),
    r(
        "acp",
        &["/admin/custom-page/{p}"],
        "get_custom_pages_handler().get_custom_page({p})",
    ),
    r("custom_page", &["/custom-page/{p}"], "get_custom_page({p})"),
    r("ts", &["/time-series/{t}"], "get_time_series({t})"),
    r(
        "uploaded_file",
        &["/uploaded-file/{u}"],
        "get_uploaded_file({u})",
    ),
    r("future", &["/futures/{j}"], "get_future({j})"),
    r("user", &["/admin/users/{u}", "/users/{u}"], "get_user({u})"),
    r("group", &["/admin/groups/{g}"], "get_group({g})"),
    r(
        "key",
        &["/admin/global-api-keys/{k}"],
        "get_global_api_key_by_id({k})",
    ),
];

/// The receiver of a prefix.
pub fn find(prefix: &str) -> Option<&'static Receiver> {
    RECEIVERS.iter().find(|r| r.prefix == prefix)
}

/// One step from the client: a method name and its arguments (`{x}` or literals).
pub struct Step<'a> {
    /// The method.
    pub name: &'a str,
    /// Its arguments as written in the table.
    pub args: Vec<&'a str>,
}

impl Receiver {
    /// The steps, parsed from `a(x).b().c({y})`.
    pub fn steps(&self) -> Vec<Step<'static>> {
        self.steps
            .split(").")
            .map(|s| {
                let (name, args) = s.split_once('(').expect("step(args)");
                let args = args.trim_end_matches(')');
                Step {
                    name,
                    args: args
                        .split(',')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .collect(),
                }
            })
            .collect()
    }

    /// The ids named in the patterns, read from the first recorded request whose
    /// path starts as a pattern does.
    pub fn ids(&self, requests: &[Request]) -> Option<HashMap<String, String>> {
        self.patterns
            .iter()
            .flat_map(|p| requests.iter().map(move |r| (p, r)))
            .find_map(|(pattern, request)| capture(pattern, request.path()))
    }
}

/// Matches `pattern` against the start of `path`, capturing its `{x}` parts.
fn capture(pattern: &str, path: &str) -> Option<HashMap<String, String>> {
    let mut ids = HashMap::new();
    let mut parts = path.split('/');
    for want in pattern.split('/') {
        let got = parts.next()?;
        match want.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            Some(name) if !got.is_empty() => {
                ids.insert(name.to_string(), got.to_string());
            }
            _ if want == got => {}
            _ => return None,
        }
    }
    Some(ids)
}
