//! Error rendering: in-process where it is a pure function of the error and the
//! source (exit codes are tested in `script_errors.rs`), through the binary where the
//! engine's registry decides the message (suggestions, overloads, hints).
mod common;
use common::{EXIT_SCRIPT_ERROR, EXIT_USAGE, Run};
use govscript::runtime::diagnostics::Diagnostic;
use rhai::Engine;

fn parse_error(source: &str) -> String {
    let e = Engine::new().compile(source).expect_err("a syntax error");
    Diagnostic::from_parse(&e).render("x.rhai", source)
}

#[test]
fn caret_counts_characters_and_keeps_tabs() {
    let out = parse_error("let s = \"é\";\n\tlet é_x = 1 +;\n");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("error: syntax error"), "{out}");
    let at = lines[1].trim_start();
    assert!(at.starts_with("--> x.rhai:2:"), "{out}");
    let column: usize = at
        .rsplit(':')
        .next()
        .and_then(|c| c.parse().ok())
        .expect("column");
    assert_eq!(lines[3], "2 | \tlet é_x = 1 +;", "{out}");
    // The caret sits under character `column` of the source line, a tab for its tab.
    let caret = lines[4].strip_prefix("  | ").expect("caret line");
    assert!(caret.starts_with('\t'), "{out}");
    assert_eq!(caret.chars().count(), column, "{out}");
    assert!(caret.ends_with('^'));
}

#[test]
fn a_gutter_as_wide_as_the_line_number() {
    let source = format!("{}let = 1;\n", "\n".repeat(11));
    let out = parse_error(&source);
    assert!(out.contains("  --> x.rhai:12:"), "{out}");
    assert!(out.contains("\n   |\n12 | let = 1;\n   | "), "{out}");
}

#[test]
fn nested_calls_become_notes_innermost_first() {
    let engine = Engine::new();
    let source = "fn inner() { throw \"boom\" }\nfn outer() { inner() }\nouter();\n";
    let e = engine.run(source).expect_err("the script throws");
    let d = Diagnostic::from_eval(*e, &engine);
    assert_eq!(d.message, "uncaught error: boom");
    assert_eq!(
        d.notes,
        [
            "in call to function 'inner' at line 2, column 14",
            "in call to function 'outer' at line 3, column 1",
        ]
    );
    let out = d.render("x.rhai", source);
    assert!(out.contains("  --> x.rhai:1:14\n"), "{out}");
    assert!(
        out.ends_with("  = in call to function 'outer' at line 3, column 1\n"),
        "{out}"
    );
}

/// A script with a Govern artifact handle (no connection is made) and then `rest`.
fn with_artifact(rest: &str) -> String {
    format!("let a = GovernClient(\"http://127.0.0.1:9\", \"k\").get_artifact(\"ar.1\");\n{rest}")
}

#[test]
fn a_mistyped_method_got_no_suggestion() {
    let ran = Run::new(&with_artifact("a.get_definiton();\n")).exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("error: function not found: get_definiton (GovernArtifact)"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("  = did you mean get_definition?\n"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_mistyped_property_got_no_suggestion() {
    let ran = Run::new(&with_artifact("print(a.artifactid);\n")).exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr.contains("error: Unknown property 'artifactid'"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains("  = did you mean artifact_id?\n"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_wrong_argument_type_listed_the_overloads_of_six_unrelated_types() {
    let ran = Run::new(&with_artifact("a.get_definition(1);\n")).exits(EXIT_SCRIPT_ERROR);
    assert!(
        ran.stderr
            .contains("error: wrong arguments: get_definition (GovernArtifact, int)"),
        "{}",
        ran.stderr
    );
    let expected: Vec<&str> = ran
        .stderr
        .lines()
        .filter(|l| l.contains("expected:"))
        .collect();
    assert_eq!(
        expected,
        ["  = expected: get_definition(self: GovernArtifact) -> GovernArtifactDefinition"],
        "{}",
        ran.stderr
    );
}

#[test]
fn the_python_get_raw_assignment_only_said_expression_cannot_be_assigned_to() {
    let ran = Run::new("let def = #{};\ndef.get_raw().fields.x = 1;\n").exits(EXIT_USAGE);
    assert!(
        ran.stderr.contains("Expression cannot be assigned to"),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr.contains(
            "  = help: a call's result cannot be assigned to: write `def.raw.fields.x = 1`, \
             or `let raw = def.get_raw(); raw.fields.x = 1;`"
        ),
        "{}",
        ran.stderr
    );
}

#[test]
fn expect_error_existed_only_in_the_test_harness() {
    let out = Run::new(
        r#"
let thrown = expect_error(|| throw "boom");
let unknown = expect_error(|| [].no_such_method());
print(`${thrown}|${unknown.message.contains("no_such_method")}`);
let e = expect_error(|| 1 + 1, "1 + 1 succeeded");
"#,
    )
    .exits(EXIT_SCRIPT_ERROR);
    assert_eq!(out.stdout, "boom|true\n", "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: uncaught error: expected an error, but 1 + 1 succeeded"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("script.rhai:5:"), "{}", out.stderr);
}
