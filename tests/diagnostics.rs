//! Error rendering in-process: a pure function of the error and the source, so the
//! binary adds nothing here (its exit codes are tested in `script_errors.rs`).
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
