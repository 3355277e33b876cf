//! Python keyword arguments from Rhai: positionally in Python order, or one trailing
//! map checked against the declared names; the declaration feeds the signatures shown.
mod common;
use common::{Run, Sandbox};

#[test]
fn keyword_arguments_given_as_one_map_reach_the_server() {
    let sandbox = Sandbox::start();
    sandbox
        .script(
            r#"
let s = govern().get_artifact("ar.2").get_signoff("review");
s.update_status("WAITING_FOR_FEEDBACK", #{ reload_conf_for_reset: false });
assert_eq(s.get_definition().get_raw().status, "WAITING_FOR_FEEDBACK");
let fb = s.add_feedback("business", "MINOR_ISSUE", #{ comment: "by name" });
assert_eq(fb.get_definition().get_raw().comment, "by name");
fb.delete();
let fb2 = s.add_feedback("business", "APPROVED", ());
assert_eq(fb2.get_definition().get_raw().comment, ());
"#,
        )
        .ok();
    let sent: Vec<_> = sandbox
        .recorded()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    // Bodies as sent: byte for byte what Python's json.dumps makes.
    assert_eq!(
        sent[0]["body"],
        r#"{"targetStatus": "WAITING_FOR_FEEDBACK", "usersToSendEmailTo": null, "reloadConfForReset": false}"#
    );
    assert_eq!(
        sent[1]["body"],
        r#"{"status": "MINOR_ISSUE", "comment": "by name"}"#
    );
    assert_eq!(sent[2]["body"], r#"{"status": "APPROVED"}"#);
    assert_eq!(sent.len(), 3, "{sent:?}");
}

/// The check that nothing was sent ran `all(..)` over a request log that was empty
/// (`get_signoff` sends nothing, and a missing log read as empty), so it held whatever
/// the call did. Now the script reads first, and the log must show that read and end
/// there.
#[test]
fn an_unknown_keyword_argument_lists_the_valid_ones_and_sends_nothing() {
    let sandbox = Sandbox::start();
    let ran = sandbox
        .script(
            "let s = govern().get_artifact(\"ar.2\").get_signoff(\"review\");\n\
             s.update_status(\"WAITING_FOR_FEEDBACK\", #{ reload: true });\n",
        )
        .run();
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr.contains(
            "GovernArtifactSignoff.update_status: unknown keyword argument 'reload'; \
             expected one of: users_to_notify, reload_conf_for_reset"
        ),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("script.rhai:2:3"), "{}", ran.stderr);

    // Nothing was sent for the rejected call: the log holds the read before it, only.
    let ran = sandbox
        .script(
            "let s = govern().get_artifact(\"ar.2\").get_signoff(\"review\");\n\
             print(s.get_definition().get_raw().status);\n\
             s.update_status(\"WAITING_FOR_FEEDBACK\", #{ reload: true });\n",
        )
        .run();
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    let sent: Vec<String> = sandbox
        .recorded()
        .iter()
        .map(|r| format!("{} {}", r["method"], r["target"]))
        .collect();
    assert_eq!(
        sent,
        [r#""GET" "/dip/publicapi/artifact/ar.2/workflow/step/review/signoff""#],
        "only the read reached the server"
    );
}

#[test]
fn a_keyword_argument_of_the_wrong_type_names_the_parameter() {
    let sandbox = Sandbox::start();
    for (call, message) in [
        (
            "s.update_status(\"X\", (), \"yes\")",
            "reload_conf_for_reset must be of type bool, not string",
        ),
        (
            "s.update_status(\"X\", #{ users_to_notify: \"admin\" })",
            "users_to_notify must be of type Array, not string",
        ),
        (
            "s.add_approval(\"APPROVED\", 42)",
            "comment must be of type String, not i64",
        ),
        (
            "s.delegate_approval(#{ login: \"x\" })",
            "users_container must be of type GovernUserUsersContainer, not map",
        ),
    ] {
        let ran = sandbox
            .script(&format!(
                "let s = govern().get_artifact(\"ar.2\").get_signoff(\"review\");\n{call};\n"
            ))
            .run();
        assert_eq!(ran.code, 1, "{call}: {}", ran.stderr);
        assert!(ran.stderr.contains(message), "{call}: {}", ran.stderr);
    }
}

#[test]
fn too_many_arguments_list_every_declared_arity() {
    let ran = Run::new(&format!(
        "let s = GovernClient(\"{}\", \"k\").get_artifact(\"a\").get_signoff(\"r\");\n\
         s.update_status(\"X\", [], false, 1);\n",
        common::unused_url()
    ))
    .run();
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    for expected in [
        "expected: update_status(self: GovernArtifactSignoff, signoff_status: String)\n",
        "expected: update_status(self: GovernArtifactSignoff, signoff_status: String, users_to_notify: Array)\n",
        "expected: update_status(self: GovernArtifactSignoff, signoff_status: String, users_to_notify: Array, \
         reload_conf_for_reset: bool)\n",
    ] {
        assert!(ran.stderr.contains(expected), "{}", ran.stderr);
    }
}

#[test]
fn the_client_constructor_takes_keyword_arguments_too() {
    let sandbox = Sandbox::start();
    let script = format!(
        "let c = GovernClient(\"{}\", \"{}\", #{{ timeout: 5 }});\n\
         assert_eq(c.get_auth_info().authIdentifier, \"admin\");\n\
         GovernClient(\"{0}\", \"{1}\", #{{ verify: false }});\n",
        sandbox.url,
        common::ADMIN_KEY
    );
    let ran = Run::new(&script).run();
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains("unknown keyword argument 'verify'; expected one of: insecure, timeout"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("script.rhai:3:1"), "{}", ran.stderr);
}
