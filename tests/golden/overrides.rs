//! The few golden calls whose statements cannot be derived from their name and
//! requests, each with the reason. They are written in the subset of Rhai that reads
//! as Python once respelled (see `derive::by_hand`), so the Python client checks them.

/// Statements written by hand for one golden call.
pub struct Override {
    /// The golden call.
    pub call: &'static str,
    /// `Type.method` (or a constructor name) whose registration makes the call
    /// replayable; empty: the methods named in the call, as for derived calls.
    pub needs: &'static [&'static str],
    /// A golden call whose requests this one's statements make first.
    pub after: Option<&'static str>,
    /// The statements (`c` is the client).
    pub statements: &'static str,
    /// Why the call cannot be derived.
    pub why: &'static str,
}

/// The statements of `search batch1` (a literal, for `concat!`).
macro_rules! batch1 {
    () => {
        r#"let r = c.new_artifact_search_request(GovernArtifactSearchQuery(
    GovernArtifactSearchSourceAll(),
    [GovernArtifactFilterBlueprints(["bp.x"]),
     GovernArtifactFilterBlueprintVersions([GovernBlueprintVersionId("bp.x", "bv.y").build()]),
     GovernArtifactFilterArtifacts(["ar.1"]),
     GovernArtifactFilterFieldValue("CONTAINS", "abc", "f1", true, true),
     GovernArtifactFilterFieldValue("EQUALS", "name"),
     GovernArtifactFilterArchivedStatus(false)],
    GovernArtifactSearchSortField([GovernArtifactSearchSortFieldDefinition("bp.x", "f1").build()], "DESC")));
r.fetch_next_batch(5);"#
    };
}

/// What the search calls need: the rest of the family is then required to replay.
const SEARCH: &[&str] = &["GovernClient.new_artifact_search_request"];

/// Why the `key.*` calls are written by hand.
const KEY_READ_FIRST: &str = "the recording built the key handle directly; a script reaches it \
     with get_global_api_key_by_id, whose GET (Python's too) comes first";

/// The Python spelling of hand-written calls whose Rhai does not respell into Python
/// (keyword arguments of a constructor).
pub const PYTHON_SPELLING: &[(&str, &str)] = &[(
    "ticket auth",
    r#"GovernClient(c.host, internal_ticket="TICKET", extra_headers={"X-Extra": "1"}).list_blueprints()"#,
)];

/// Every hand-written call.
pub const OVERRIDES: &[Override] = &[
    Override {
        call: "version.get_trace",
        needs: &[],
        after: None,
        statements: r#"let v = c.get_blueprint("bp.x").get_version("bv.y");
v.get_trace().status; v.get_trace().origin_version_id;"#,
        why: "the recording reads `status` and `origin_version_id`, each on a fresh trace: two GETs",
    },
    Override {
        call: "user.get_client_as.list_blueprints",
        needs: &[],
        after: None,
        statements: r#"c.get_user("u1").get_client_as().list_blueprints();"#,
        why: "no request carries the user's login (get_client_as only changes the credentials)",
    },
    Override {
        call: "log_custom_audit",
        needs: &[],
        after: None,
        statements: r#"c.log_custom_audit("mytype", #{"a": 1});"#,
        why: "the type is a path segment named by no word before it",
    },
    Override {
        call: "set_license",
        needs: &[],
        after: None,
        statements: r#"c.set_license("{\"content\": {\"licensee\": \"x\"}}");"#,
        why: "Python takes the license file's text and sends it parsed",
    },
    Override {
        call: "create_global_api_key",
        needs: &[],
        after: None,
        statements: r#"c.create_global_api_key("L", "D", true);"#,
        why: "`admin` is sent nested, as `globalPermissions.admin`",
    },
    Override {
        call: "key.get_definition+save",
        needs: &[],
        after: Some("get_global_api_key_by_id"),
        statements: r#"let d = c.get_global_api_key_by_id("k1").get_definition(); d.save();"#,
        why: KEY_READ_FIRST,
    },
    Override {
        call: "key.set_definition",
        needs: &[],
        after: Some("get_global_api_key_by_id"),
        statements: r#"c.get_global_api_key_by_id("k1").set_definition(#{"id": "k1"});"#,
        why: KEY_READ_FIRST,
    },
    Override {
        call: "key.delete",
        needs: &[],
        after: Some("get_global_api_key_by_id"),
        statements: r#"c.get_global_api_key_by_id("k1").delete();"#,
        why: KEY_READ_FIRST,
    },
    Override {
        call: "ticket auth",
        needs: &["GovernClient.list_blueprints"],
        after: None,
        statements: r#"GovernClient(c.host, #{internal_ticket: "TICKET", extra_headers: #{"X-Extra": "1"}}).list_blueprints();"#,
        why: "a client built with a ticket and extra headers: the call names no method",
    },
    Override {
        call: "search batch1",
        needs: SEARCH,
        after: None,
        statements: batch1!(),
        why: "the query is built from a dozen class constructors, not from one method's arguments",
    },
    Override {
        call: "search batch2",
        needs: SEARCH,
        after: Some("search batch1"),
        statements: concat!(batch1!(), "\nr.fetch_next_batch();"),
        why: "the second page of `search batch1`'s request: keyset paging from its last hit",
    },
    Override {
        call: "search default",
        needs: SEARCH,
        after: None,
        statements: r#"c.new_artifact_search_request(GovernArtifactSearchQuery()).fetch_next_batch();"#,
        why: "the query is built from class constructors",
    },
    Override {
        call: "search sort name",
        needs: SEARCH,
        after: None,
        statements: r#"c.new_artifact_search_request(GovernArtifactSearchQuery(
    GovernArtifactSearchSourceAll(), [], GovernArtifactSearchSortName("ASC"))).fetch_next_batch();"#,
        why: "the query is built from class constructors",
    },
    Override {
        call: "search sort workflow",
        needs: SEARCH,
        after: None,
        statements: r#"c.new_artifact_search_request(GovernArtifactSearchQuery(
    GovernArtifactSearchSourceAll(), [], GovernArtifactSearchSortWorkflow("DESC"))).fetch_next_batch();"#,
        why: "the query is built from class constructors",
    },
];

/// The override of a call, if any.
pub fn find(call: &str) -> Option<&'static Override> {
    OVERRIDES.iter().find(|o| o.call == call)
}
