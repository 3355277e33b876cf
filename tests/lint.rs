//! `govscript lint` and `import "govern/lint"`: blueprints built with one defect each
//! through the designer API make their rule fire at the right path; a clean blueprint
//! and the demo seed give nothing; exit codes, `--json` and errors.
mod common;
use common::designer::{TestBlueprint, bv_path, create_role};
use common::{API, EXIT_OK, EXIT_SCRIPT_ERROR, EXIT_USAGE, Ran, Run, Sandbox, bin};
use serde_json::{Value, json};
use std::process::Command;

/// Runs `govscript lint ARGS` against `sb`.
fn lint(sb: &Sandbox, args: &[&str]) -> Ran {
    lint_at(&sb.url, &sb.key, args)
}

/// Runs `govscript lint ARGS` against `url` with `key`, the environment cleared of
/// other connections.
fn lint_at(url: &str, key: &str, args: &[&str]) -> Ran {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(bin())
        .arg("lint")
        .args(args)
        .env("GOVERN_HOST", url)
        .env("GOVERN_API_KEY", key)
        .env_remove("GOVERN_PROFILE")
        .env("GOVSCRIPT_CONFIG", dir.path().join("no-config.toml"))
        .output()
        .expect("run govscript lint");
    Ran::from(out)
}

/// The findings `lint --json --blueprint bp` gives, checking its exit code.
fn findings(sb: &Sandbox, bp: &str, code: i32) -> Vec<Value> {
    let ran = lint(sb, &["--json", "--blueprint", bp]);
    assert_eq!(
        ran.code, code,
        "stdout:\n{}\nstderr:\n{}",
        ran.stdout, ran.stderr
    );
    serde_json::from_str(&ran.stdout).unwrap_or_else(|e| panic!("{e}: {}", ran.stdout))
}

/// The one finding of `rule` at `path`, or a panic listing them all.
fn finding<'a>(all: &'a [Value], rule: &str, path: &str) -> &'a Value {
    all.iter()
        .find(|f| f["rule"] == rule && f["path"] == path)
        .unwrap_or_else(|| panic!("no {rule} at {path} in {all:#?}"))
}

/// `#{ usersContainer: c }`.
fn member(c: Value) -> Value {
    json!({ "usersContainer": c })
}

/// A blueprint with one version whose steps `s1`..`s4` and fields hold every defect
/// (one rule each), with role `ro.lint_nobody` bound by an empty rule.
fn defective(sb: &Sandbox) -> (String, String) {
    let blueprint = TestBlueprint::new(sb, "lint_defects");
    let target = bv_path(&blueprint.bp, &blueprint.bv);
    let mut def = sb.ok("GET", &target, None)["blueprintVersion"].clone();
    def["fieldDefinitions"] = json!({
        "risk": {"label": "Risk", "fieldType": "CATEGORY", "categories": "Low"},
        "owner": {"label": "Owner", "fieldType": "TEXT", "require": true},
        "kind": {"label": "Kind", "fieldType": "CATEGORY", "categories": []},
        "link": {"label": "Link", "fieldType": "REFERENCE", "allowedBlueprints": ["bp.nope"]},
    });
    def["workflowDefinition"] = json!({"stepDefinitions": [
        {"id": "s1", "name": "S1"},
        {"id": "s2", "name": "S2", "visibilityCondition": {"type": "field", "fieldId": "risk"}},
        {"id": "s3", "name": "S3"},
        {"id": "s4", "name": "S4"},
    ]});
    def["uiDefinition"] = json!({"views": {}, "uiStepDefinitions": {"s9": {"viewId": "main"}}});
    sb.ok("PUT", &target, Some(&def.to_string()));
    create_role(sb, "lint_nobody", r#"{"label": "Nobody"}"#);
    let blueprint = blueprint
        .role_rules(
            json!({"ro.lint_nobody": [{"criteria": [], "userContainers": [], "fieldIds": []}]}),
        )
        .signoff(
            "s1",
            json!({"title": "Gate", "mandatory": true,
            "approvers": [member(json!({"type": "role", "roleId": "ro.lint_nobody"}))]}),
        )
        .signoff(
            "s2",
            json!({"title": "Hidden gate", "mandatory": true,
            "approvers": [member(json!({"type": "user", "login": "admin"}))]}),
        )
        .signoff(
            "s3",
            json!({"title": "Review", "mandatory": false,
            "feedbackUsersGroups": [{"id": "g", "title": "G", "users": [
                member(json!({"type": "group", "groupName": "no_such_group"})),
                member(json!({"type": "user", "login": "ghost"}))]}],
            "approvers": []}),
        )
        .signoff(
            "s4",
            json!({"title": "Shapes", "mandatory": false,
            "approvers": [{"type": "user", "login": "alice"},
                          member(json!({"type": "USER", "login": "bob"})),
                          member(json!({"type": "user", "login": "carol"}))],
            "recurrenceConfiguration": {"activated": true, "days": 0, "weeks": 0, "months": 0,
                                        "years": 0, "reloadConf": false}}),
        );
    (blueprint.bp, blueprint.bv)
}

#[test]
fn each_defect_fires_its_rule_at_its_path() {
    let sb = Sandbox::start();
    let (bp, bv) = defective(&sb);
    let all = findings(&sb, &bp, EXIT_SCRIPT_ERROR);
    let expect = |severity: &str, rule: &str, path: &str, version: Value, says: &str| {
        let f = finding(&all, rule, path);
        assert_eq!(f["severity"], severity, "{f:#}");
        assert_eq!(f["blueprint"], bp.as_str(), "{f:#}");
        assert_eq!(f["version"], version, "{f:#}");
        let message = f["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{rule}: {message}");
    };
    let v = json!(bv);
    // The mandatory gate's only approver is a role bound to nobody: a dead workflow.
    expect(
        "error",
        "role-bound-to-nobody",
        "signoffConfigurations.s1.approvers[0].usersContainer",
        v.clone(),
        "ro.lint_nobody",
    );
    expect(
        "warning",
        "empty-role-rule",
        "roleAssignmentsRules[\"ro.lint_nobody\"][0]",
        Value::Null,
        "binds nobody",
    );
    expect(
        "warning",
        "mandatory-signoff-on-hidden-step",
        "signoffConfigurations.s2.mandatory",
        v.clone(),
        "visibility condition",
    );
    expect(
        "warning",
        "unknown-group",
        "signoffConfigurations.s3.feedbackUsersGroups[0].users[0].usersContainer",
        v.clone(),
        "no_such_group",
    );
    expect(
        "warning",
        "unknown-user",
        "signoffConfigurations.s3.feedbackUsersGroups[0].users[1].usersContainer",
        v.clone(),
        "ghost",
    );
    expect(
        "warning",
        "no-approvers",
        "signoffConfigurations.s3.approvers",
        v.clone(),
        "never be approved",
    );
    expect(
        "error",
        "unwrapped-users-container",
        "signoffConfigurations.s4.approvers[0]",
        v.clone(),
        "usersContainer",
    );
    expect(
        "error",
        "bad-users-container",
        "signoffConfigurations.s4.approvers[1].usersContainer.type",
        v.clone(),
        "write \"user\"",
    );
    expect(
        "error",
        "recurrence-without-period",
        "signoffConfigurations.s4.recurrenceConfiguration",
        v.clone(),
        "no period",
    );
    expect(
        "error",
        "not-a-list",
        "fieldDefinitions.risk.categories",
        v.clone(),
        "[\"Low\"]",
    );
    expect(
        "error",
        "misspelled-key",
        "fieldDefinitions.owner.require",
        v.clone(),
        "\"required\"",
    );
    expect(
        "warning",
        "category-without-values",
        "fieldDefinitions.kind",
        v.clone(),
        "no categories",
    );
    expect(
        "warning",
        "unknown-blueprint",
        "fieldDefinitions.link.allowedBlueprints[0]",
        v.clone(),
        "bp.nope",
    );
    expect(
        "warning",
        "unknown-step",
        "uiDefinition.uiStepDefinitions.s9",
        v.clone(),
        "no step \"s9\"",
    );
    // carol is a real, enabled approver: nothing about her.
    assert!(
        all.iter()
            .all(|f| f["path"] != "signoffConfigurations.s4.approvers[2].usersContainer"),
        "{all:#?}"
    );
    assert_eq!(all.len(), 14, "{all:#?}");
}

#[test]
fn a_role_bound_through_a_missing_field_is_bound_to_nobody() {
    let sb = Sandbox::start();
    create_role(&sb, "lint_owner", "{}");
    let blueprint = TestBlueprint::new(&sb, "lint_field_role")
        .defined()
        .role_rules(json!({"ro.lint_owner": [{"criteria": [], "userContainers": [], "fieldIds": ["owner"]}]}))
        .signoff("s2", json!({"title": "Gate", "mandatory": true,
            "approvers": [member(json!({"type": "role", "roleId": "ro.lint_owner"}))]}));
    let all = findings(&sb, &blueprint.bp, EXIT_SCRIPT_ERROR);
    assert_eq!(
        finding(
            &all,
            "role-bound-to-nobody",
            "signoffConfigurations.s2.approvers[0].usersContainer"
        )["severity"],
        "error"
    );
    finding(
        &all,
        "unknown-field",
        "roleAssignmentsRules[\"ro.lint_owner\"][0].fieldIds[0]",
    );
    assert_eq!(all.len(), 2, "{all:#?}");
}

#[test]
fn a_clean_blueprint_gives_no_finding_and_exits_0() {
    let sb = Sandbox::start();
    let bp = TestBlueprint::new(&sb, "lint_clean")
        .defined()
        .signoff(
            "s2",
            json!({"title": "Gate", "mandatory": true,
            "feedbackUsersGroups": [{"id": "team", "title": "Team",
                "users": [member(json!({"type": "group", "groupName": "governance_team"}))]}],
            "approvers": [member(json!({"type": "user", "login": "alice"}))]}),
        )
        .bp;
    assert_eq!(findings(&sb, &bp, EXIT_OK), Vec::<Value>::new());
    let ran = lint(&sb, &["--blueprint", &bp]);
    assert_eq!(ran.code, EXIT_OK, "{}", ran.stderr);
    assert_eq!(ran.stdout, "1 blueprint linted: 0 errors, 0 warnings\n");
}

#[test]
fn the_demo_seed_lints_clean() {
    let sb = Sandbox::start();
    let ran = lint(&sb, &[]);
    assert_eq!(
        ran.code, EXIT_OK,
        "stdout:\n{}\nstderr:\n{}",
        ran.stdout, ran.stderr
    );
    assert!(
        ran.stdout
            .ends_with(" blueprints linted: 0 errors, 0 warnings\n"),
        "{}",
        ran.stdout
    );
    let seeded = sb.ok("GET", &format!("{API}/admin/blueprints"), None);
    let count = seeded.as_array().map_or(0, Vec::len);
    assert!(
        ran.stdout.starts_with(&format!("{count} blueprints")),
        "{}",
        ran.stdout
    );
}

#[test]
fn warnings_pass_unless_strict_and_the_report_groups_by_blueprint() {
    let sb = Sandbox::start();
    let TestBlueprint { bp, bv, .. } = TestBlueprint::new(&sb, "lint_warn").defined().signoff(
        "s1",
        json!({"title": "Optional", "mandatory": false, "approvers": []}),
    );
    let ran = lint(&sb, &["--blueprint", &bp]);
    assert_eq!(ran.code, EXIT_OK, "{}", ran.stderr);
    assert!(
        ran.stdout.starts_with(&format!(
            "{bp}\n  warning no-approvers {bv}: signoffConfigurations.s1.approvers\n"
        )),
        "{}",
        ran.stdout
    );
    assert!(
        !ran.stdout.contains('\x1b'),
        "no colour off a terminal: {}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .ends_with("1 blueprint linted: 0 errors, 1 warning\n"),
        "{}",
        ran.stdout
    );
    assert_eq!(
        lint(&sb, &["--strict", "--blueprint", &bp]).code,
        EXIT_SCRIPT_ERROR
    );
}

#[test]
fn json_findings_have_exactly_the_documented_keys() {
    let sb = Sandbox::start();
    let (bp, _) = defective(&sb);
    for f in findings(&sb, &bp, EXIT_SCRIPT_ERROR) {
        let mut keys: Vec<&String> = f.as_object().expect("object").keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "blueprint",
                "message",
                "path",
                "rule",
                "severity",
                "version"
            ],
            "{f:#}"
        );
        assert!(
            f["severity"] == "error" || f["severity"] == "warning",
            "{f:#}"
        );
    }
}

#[test]
fn an_unknown_blueprint_or_no_server_is_a_clear_error_exiting_2() {
    let sb = Sandbox::start();
    let ran = lint(&sb, &["--blueprint", "bp.does_not_exist"]);
    assert_eq!(ran.code, EXIT_USAGE, "{}", ran.stdout);
    assert!(
        ran.stderr.starts_with("error: ") && ran.stderr.contains("bp.does_not_exist"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("404"), "{}", ran.stderr);
    assert!(ran.stdout.is_empty(), "{}", ran.stdout);
    let ran = lint_at(&common::unused_url(), "k", &["--retries", "1"]);
    assert_eq!(ran.code, EXIT_USAGE, "{}", ran.stdout);
    assert!(ran.stderr.starts_with("error: "), "{}", ran.stderr);
}

#[test]
fn lint_runs_on_an_in_process_sandbox() {
    let ran = lint_at("", "", &["--sandbox", "--json"]);
    assert_eq!(ran.code, EXIT_OK, "{}", ran.stderr);
    assert_eq!(
        serde_json::from_str::<Value>(&ran.stdout).expect("json"),
        json!([])
    );
}

#[test]
fn documents_are_linted_before_they_are_saved() {
    let out = Run::new(
        r#"
        import "govern/lint" as lint;
        let conf = lint::signoff_configuration(#{ title: "T", feedbackGroups: [],
            approvers: #{ usersContainer: #{ type: "user", login: "a" } } });
        for f in conf { print(`${f.severity} ${f.rule} ${f.path}: ${f.message}`); }
        let rules = lint::role_assignments(#{ blueprintId: "bp.x", roleAssignmentsRules: #{
            "ro.x": [#{ criteria: [], userContainers: [#{ type: "group", groupName: "g" }] }] } });
        for f in rules { print(`${f.severity} ${f.rule} ${f.path}: ${f.message}`); }
        let def = lint::definition(#{ fieldDefinitions: #{ x: #{ fieldtype: "TEXT" } } });
        for f in def { print(`${f.severity} ${f.rule} ${f.path}: ${f.message}`); }
        "#,
    )
    .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].starts_with("error misspelled-key signoffConfigurations.step.feedbackGroups: ")
            && lines[0].contains("did you mean \"feedbackUsersGroups\"?"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("error not-a-list signoffConfigurations.step.approvers: "),
        "{out}"
    );
    assert!(
        lines[2].starts_with("error incomplete-role-rule roleAssignmentsRules[\"ro.x\"][0]: ")
            && lines[2].contains("fieldIds: []"),
        "{out}"
    );
    assert!(
        lines[3].starts_with("error misspelled-key fieldDefinitions.x.fieldtype: ")
            && lines[3].contains("\"fieldType\""),
        "{out}"
    );
}

/// `govern/lint` imports `govern/lint_shapes`: the stdlib resolver used to hold its
/// lock while a module loaded, so the nested import waited for itself forever.
#[test]
fn an_embedded_module_importing_another_loads_instead_of_waiting_for_itself() {
    let ran = Run::new(
        r#"import "govern/lint" as lint;
           print(lint::rules().len() > 10);"#,
    )
    .spawn()
    .wait_within(std::time::Duration::from_secs(60));
    assert_eq!(ran.code, EXIT_OK, "{}", ran.stderr);
    assert_eq!(ran.stdout, "true\n");
}

/// An allowed blueprint that is no string (`7`, which the sandbox stores as Govern
/// does) used to abort the whole lint, exit 2 with "Function not found: contains
/// (map, i64)", instead of being reported.
#[test]
fn a_number_for_an_allowed_blueprint_used_to_abort_the_lint() {
    let sb = Sandbox::start();
    let blueprint = TestBlueprint::new(&sb, "lint_number");
    let target = bv_path(&blueprint.bp, &blueprint.bv);
    let mut def = sb.ok("GET", &target, None)["blueprintVersion"].clone();
    def["fieldDefinitions"] = json!({
        "link": {"label": "Link", "fieldType": "REFERENCE", "allowedBlueprints": ["bp.lint_number", 7]}});
    sb.ok("PUT", &target, Some(&def.to_string()));
    let all = findings(&sb, &blueprint.bp, EXIT_OK);
    let message = finding(
        &all,
        "unknown-blueprint",
        "fieldDefinitions.link.allowedBlueprints[1]",
    )["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("blueprint \"7\" does not exist"),
        "{message}"
    );
    assert_eq!(all.len(), 1, "{all:#?}");
}

/// A hook that is no map, or a hierarchical parent field id that is no string, used
/// to abort `lint::definition` ("Unknown property 'phases'", "Function not found")
/// instead of checking the rest.
#[test]
fn a_hook_that_is_no_map_or_a_number_for_the_parent_field_used_to_abort_the_lint() {
    let out = Run::new(
        r#"
        import "govern/lint" as lint;
        let doc = #{ logicalHookList: [3, #{ phases: "SAVE" }], hierarchicalParentFieldId: 5 };
        for f in lint::definition(doc) { print(`${f.rule} ${f.path}`); }
        "#,
    )
    .ok();
    assert_eq!(
        out,
        "unknown-field hierarchicalParentFieldId\nnot-a-list logicalHookList[1].phases\n"
    );
}
