//! What `govscript run` does at start-up and exit (issue 12 §2): Rhai's standard
//! package is shared and lazy (its functions are looked up when first called, and
//! listed in full only for errors, `docs` and `definitions`), the shared modules are
//! built while the command starts, a run ends without tearing its engine and
//! runtime down, and the Govern bindings are registered only for a script that can
//! reach them (`runtime::reach`). None of that may change what a script sees.
mod common;
use common::{EXIT_OK, EXIT_SCRIPT_ERROR, Run};

/// A script calling a function of every standard package (strings, arrays, maps,
/// maths, iterators, time, blobs, bits, function pointers, JSON), each for the first
/// time in the run, and what it prints.
const EVERY_PACKAGE: (&str, &str) = (
    r#"
let s = "  Hello, World  ";
s.trim(); print(s.to_upper());
print("a,b,c".split(",").len());
print("abcdef".sub_string(2, 3));
print("abc".contains("bc"));
print("abc".index_of('c'));
let p = "x"; p.pad(3, '-'); print(p);
let a = [3, 1, 2];
a.sort();
print(a);
print(a.map(|x| x * 2).filter(|x| x > 2).reduce(|sum, x| sum + x, 0));
a.push(9);
print(a.contains(9));
let m = #{ b: 2, a: 1 };
let k = m.keys(); k.sort(); print(k);
print(m.values().len());
m.remove("a");
print(m.contains("a"));
print(sqrt(16.0));
print(floor(2.7));
print(abs(-3));
print(parse_int("42") + 1);
print(parse_float("1.5") * 2.0);
print(max(3, 7));
let r = []; for i in range(0, 10, 3) { r.push(i); } print(r);
let c = []; for ch in "héj".chars() { c.push(ch); } print(c.len());
print(timestamp().elapsed < 60.0);
let b = blob(3, 7); print(b.len());
print(5.get_bit(0));
fn twice(x) { x * 2 }
print(Fn("twice").call(21));
let add = |x, y| x + y; print(add.curry(1).call(2));
print(type_of(m));
print(`${1 + 1} and ${"z"}`);
print("b" > "a");
print((1..4).contains(3));
print([1, 2, 3].to_json());
print(parse_json("{\"a\": [1, 2]}").a[1]);
"#,
    "HELLO, WORLD\n3\ncde\ntrue\n2\nx--\n[1, 2, 3]\n10\ntrue\n[\"a\", \"b\"]\n2\nfalse\n\
     4.0\n2.0\n3\n43\n3.0\n7\n[0, 3, 6, 9]\n3\ntrue\n3\ntrue\n42\n3\nmap\n2 and z\ntrue\n\
     true\n[1,2,3]\n2\n",
);

#[test]
fn standard_functions_registered_lazily_are_found_on_their_first_call() {
    let (source, printed) = EVERY_PACKAGE;
    assert_eq!(Run::new(source).ok(), printed);
}

#[test]
fn a_misspelt_standard_function_still_gets_a_suggestion_from_the_lazy_package() {
    let ran = Run::new("let s = \"abc\";\nprint(s.to_uper());\n").exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains("function not found: to_uper (String)"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("= did you mean to_upper?"),
        "{}",
        ran.stderr
    );
}

#[test]
fn wrong_arguments_to_a_standard_function_still_list_its_overloads() {
    let ran = Run::new("let a = [1];\na.sort(true, 1, 2);\n").exits(EXIT_SCRIPT_ERROR);
    let expected: Vec<&str> = ran
        .stderr
        .lines()
        .filter(|l| l.contains("= expected: sort("))
        .collect();
    assert_eq!(
        expected,
        [
            "  = expected: sort(array: Array) -> Result<(), Box<EvalAltResult>>",
            "  = expected: sort(array: Array, comparer: Fn) -> Result<(), Box<EvalAltResult>>",
            "  = expected: sort(array: Array, comparer: String) -> Result<(), Box<EvalAltResult>>",
        ],
        "{}",
        ran.stderr
    );
}

#[test]
fn everything_printed_reaches_stdout_when_the_run_exits_without_teardown() {
    let lines = 20_000;
    let out = Run::new(&format!(
        "for i in 0..{lines} {{ print(`line ${{i}}`); }}\nexit(3);\n"
    ))
    .exits(3)
    .stdout;
    let printed: Vec<&str> = out.lines().collect();
    assert_eq!(printed.len(), lines, "last line: {:?}", printed.last());
    assert_eq!(printed[lines - 1], format!("line {}", lines - 1));
}

#[test]
fn a_successful_run_writes_nothing_of_its_own_to_stderr() {
    let ran = Run::new("print(\"done\");\n").exits(EXIT_OK);
    assert_eq!(ran.stdout, "done\n");
    assert_eq!(ran.stderr, "");
}

/// What `GOVSCRIPT_LOG=govscript=debug` says about the Govern bindings of a run.
fn bindings_logged(source: &str) -> (String, String) {
    let ran = Run::new(source)
        .env("GOVSCRIPT_LOG", "govscript=debug")
        .exits(EXIT_OK);
    let logged = ran
        .stderr
        .lines()
        .find(|l| l.contains("Govern bindings"))
        .unwrap_or_default()
        .to_string();
    (ran.stdout, logged)
}

#[test]
fn a_script_naming_no_govern_function_built_every_govern_binding_before_it_ran() {
    let (out, logged) = bindings_logged("let s = \"ab\";\nprint(s.to_upper());\n");
    assert_eq!(out, "AB\n");
    assert!(logged.contains("not registered"), "{logged}");
}

#[test]
fn a_script_using_only_the_file_date_and_table_helpers_builds_no_govern_binding() {
    let (out, logged) = bindings_logged(
        "assert_eq(env(\"GOVSCRIPT_UNSET_VAR\", \"x\"), \"x\");\n\
         print((timestamp(\"2026-01-02\") + days(1)).date());\n\
         print(csv_string([#{ a: 1 }]).len() > 0);\n\
         print(table([#{ a: 1 }]).len() > 0);\n",
    );
    assert_eq!(out, "2026-01-03\ntrue\ntrue\n");
    assert!(logged.contains("not registered"), "{logged}");
}

#[test]
fn a_script_naming_a_govern_function_gets_the_bindings() {
    let (out, logged) =
        bindings_logged("print(type_of(GovernClient(\"http://127.0.0.1:9\", \"k\")));\n");
    assert_eq!(out, "GovernClient\n");
    assert!(logged.contains("registered"), "{logged}");
    assert!(!logged.contains("not registered"), "{logged}");
}

#[test]
fn a_govern_function_named_by_a_computed_string_is_found() {
    let out = Run::new(
        "let name = \"Govern\" + \"Client\";\n\
         let c = Fn(name).call(\"http://127.0.0.1:9\", \"k\");\n\
         print(type_of(c));\n\
         let f = Fn(\"get_artifact\");\n\
         print(type_of(f.call(c, \"ar.1\")));\n",
    )
    .ok();
    assert_eq!(out, "GovernClient\nGovernArtifact\n");
}

/// One Govern name in a script registers every family: handles of each (no request
/// is made until one is used) and a search class.
#[test]
fn every_govern_family_is_there_once_the_script_names_one_govern_function() {
    let out = Run::new(
        r#"let c = GovernClient("http://127.0.0.1:9", "k");
for h in [
    c.get_artifact("ar.1"), c.get_artifact("ar.1").get_signoff("s"),
    c.get_blueprint("bp.1"), c.get_blueprint("bp.1").get_version("v"),
    c.get_blueprint_designer(), c.get_roles_permissions_handler(),
    c.get_custom_pages_handler(), c.get_time_series("ts.1"), c.get_uploaded_file("f.1"),
    c.get_user("u"), c.get_group("g"), c.get_custom_page("p"),
    GovernArtifactSearchQuery(),
] { print(type_of(h)); }
"#,
    )
    .ok();
    let types: Vec<&str> = out.lines().collect();
    assert_eq!(types.len(), 13, "{out}");
    assert!(types.iter().all(|t| t.starts_with("Govern")), "{out}");
}

#[test]
fn a_misspelt_govern_function_alone_in_a_script_still_gets_its_suggestion() {
    let ran =
        Run::new("let c = GovernClent(\"http://127.0.0.1:9\", \"k\");\n").exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains("did you mean GovernClient?"),
        "{}",
        ran.stderr
    );
}

/// A run registers only the Govern functions its script names (`runtime::reach`), and
/// prints values of every type through one table (`bindings::implicit`): printing,
/// comparing and the operators Rhai has for its own types must be as before.
#[test]
fn a_script_given_only_the_functions_it_names_prints_and_compares_as_before() {
    let ran = Run::new(
        r#"let c = GovernClient("http://127.0.0.1:9", "k");
let a = c.get_artifact("ar.1");
print(a); debug(a); print(`${a}!`); print(a.to_string());
print(a == c.get_artifact("ar.1")); print(a != c.get_artifact("ar.2")); print(a == 1);
print(["a", "b"].contains("a")); print([1].contains(1.0)); print("x" in ["x"]);
print(GovernArtifactSearchQuery().build().artifactSearchSource);
print(timestamp("2026-01-02"));
print([a].len()); print(#{ x: 1 }); print(());
"#,
    )
    .exits(EXIT_OK);
    assert_eq!(
        ran.stdout,
        "GovernArtifact(ar.1)\nGovernArtifact(ar.1)!\nGovernArtifact(ar.1)\n\
         true\ntrue\nfalse\ntrue\ntrue\ntrue\n{\"type\":\"all\"}\n\
         2026-01-02T00:00:00Z\n1\n#{\"x\": 1}\n\n"
    );
    assert!(
        ran.stderr.contains("GovernArtifact(ar.1)"),
        "{}",
        ran.stderr
    );
}

/// Error hints list the documented signatures of what the script could not reach.
#[test]
fn a_govern_method_given_the_wrong_type_still_lists_its_documented_signature() {
    let ran =
        Run::new("let c = GovernClient(\"http://127.0.0.1:9\", \"k\");\nc.get_artifact(1);\n")
            .exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains(
            "= expected: get_artifact(self: GovernClient, artifact_id: String) -> GovernArtifact"
        ),
        "{}",
        ran.stderr
    );
}
