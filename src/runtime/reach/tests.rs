use super::{
    BUILTIN_ENTRY_NAMES, BUILTIN_NAMES, OWN_NAMES, Reach, STD_NAMES, needs_govern, reach, scan,
};
use rhai::packages::{Package, StandardPackage};
use rhai::{Array, Blob, Dynamic, Engine, FLOAT, FnPtr, INT, ImmutableString, Map};
use std::any::TypeId;

/// What Rhai's standard package registers, by name, sorted, deduplicated.
fn rhai_standard_names() -> String {
    let mut engine = Engine::new_raw();
    engine.register_global_module(StandardPackage::new().as_shared_module());
    let mut names = engine.collect_fn_metadata(None, |f| Some(f.metadata.name.to_string()), true);
    names.sort();
    names.dedup();
    names.iter().map(|n| format!("{n}\n")).collect()
}

#[test]
fn the_standard_names_are_rhais() {
    let names = rhai_standard_names();
    if std::env::var_os("GOVSCRIPT_BLESS").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/runtime/std_names.txt");
        std::fs::write(path, &names).expect("write std_names.txt");
        return;
    }
    assert!(
        STD_NAMES == names,
        "src/runtime/std_names.txt is not Rhai's standard package: run \
         `GOVSCRIPT_BLESS=1 cargo test --lib runtime::reach` to rewrite it"
    );
}

/// Rhai's own value types: a function taking only these can run without a Govern value.
fn is_rhai_type(t: TypeId) -> bool {
    [
        TypeId::of::<INT>(),
        TypeId::of::<FLOAT>(),
        TypeId::of::<bool>(),
        TypeId::of::<char>(),
        TypeId::of::<ImmutableString>(),
        TypeId::of::<String>(),
        TypeId::of::<Array>(),
        TypeId::of::<Map>(),
        TypeId::of::<Blob>(),
        TypeId::of::<Dynamic>(),
        TypeId::of::<FnPtr>(),
        TypeId::of::<()>(),
        TypeId::of::<std::time::Instant>(),
    ]
    .contains(&t)
}

/// What lets a script skip the Govern bindings (see the module docs): a Govern
/// function that runs on Rhai values alone is called under a name of its own, which
/// makes the scan register the bindings; never under one of Rhai's, a property, an
/// indexer or an operator, which a script uses on Rhai values without them.
#[test]
fn no_govern_function_on_rhai_values_alone_hides_under_a_name_a_script_uses_without_them() {
    let mut engine = Engine::new_raw();
    for module in crate::runtime::shared_modules::govern_modules(true) {
        engine.register_global_module(module.clone());
    }
    let functions = engine.collect_fn_metadata(
        None,
        |f| Some((f.metadata.name.to_string(), f.metadata.param_types.to_vec())),
        false,
    );
    assert!(functions.len() > 300, "{}", functions.len());
    let hidden: Vec<&String> = functions
        .iter()
        .filter(|(_, params)| params.iter().all(|t| is_rhai_type(*t)))
        .map(|(name, _)| name)
        .filter(|name| {
            STD_NAMES.lines().any(|n| n == name.as_str())
                || OWN_NAMES.contains(&name.as_str())
                || name.contains('$')
                || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_script_of_rhai_values_and_its_own_functions_needs_no_govern_bindings() {
    for source in [
        "print(1);",
        "let s = \"abc\"; print(s.to_upper()); print(`${s.len()}`);",
        "let m = #{ a: 1 }; m.a = 2; print(m.a); print(m[\"a\"]);",
        "fn twice(x) { x * 2 } print(twice(2)); print(2.twice());",
        "fn helper() { 1 } let f = Fn(\"helper\"); print(f.call());",
        "let y = 1; print([1, 2].map(|x| x + y).filter(|x| x > 2));",
        "let f = |x| x * 2; print(f.call(2)); print(call(f, 3));",
        "let t = timestamp(); print(t.elapsed >= 0.0); exit(0);",
        "if is_def_fn(\"x\", 0) { print(type_of(1)); }",
        "assert(true); assert_eq(parse_json(to_json([1])), [1]);",
    ] {
        assert!(!needs_govern(source), "{source}");
    }
}

#[test]
fn a_script_naming_anything_else_gets_the_govern_bindings() {
    for source in [
        "let c = govern();",
        "let c = GovernClient(\"http://h\", \"k\");",
        "let q = GovernArtifactSearchQuery();",
        "let x = 1; x.get_definition();",
        "fn f() { govern() }",
        "[1].map(|x| govern());",
        "let f = Fn(\"govern\"); f.call();",
        "let name = \"govern\"; Fn(name).call();",
        "let fs = [Fn(\"govern\")];",
        "eval(\"govern()\");",
        "import \"govern/signoffs\" as s;",
        "GovernFuture::all([]);",
        "let s = \"a\"; s.to_uper();",
        "this is not rhai (",
    ] {
        assert!(needs_govern(source), "{source}");
    }
}

/// The built-ins' functions: name and parameter types.
fn builtin_functions() -> Vec<(String, Vec<TypeId>)> {
    let mut module = rhai::Module::new();
    crate::runtime::builtins::register(&mut module);
    crate::runtime::natives::register(&mut module);
    crate::bindings::error::register(&mut module);
    let mut engine = Engine::new_raw();
    engine.register_global_module(module.into());
    engine.collect_fn_metadata(
        None,
        |f| Some((f.metadata.name.to_string(), f.metadata.param_types.to_vec())),
        false,
    )
}

/// The names of `functions`, sorted, deduplicated, one a line.
fn names_file<'a>(functions: impl Iterator<Item = &'a (String, Vec<TypeId>)>) -> String {
    let mut names: Vec<&String> = functions.map(|(name, _)| name).collect();
    names.sort();
    names.dedup();
    names.iter().map(|n| format!("{n}\n")).collect()
}

/// Every built-in's name, and those a script can call without holding a value of a
/// built-in type (`Timestamp`, `Duration`, `GovernError`), as the scan reads them.
#[test]
fn the_builtin_names_are_the_builtins() {
    let functions = builtin_functions();
    let all = names_file(functions.iter());
    let on_rhai_values = names_file(
        functions
            .iter()
            .filter(|(_, params)| params.iter().all(|t| is_rhai_type(*t))),
    );
    assert!(on_rhai_values.lines().count() > 20, "{on_rhai_values}");
    if std::env::var_os("GOVSCRIPT_BLESS").is_some() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/runtime/");
        std::fs::write(format!("{dir}builtin_names.txt"), &all).expect("write builtin_names.txt");
        std::fs::write(format!("{dir}builtin_entry_names.txt"), &on_rhai_values)
            .expect("write builtin_entry_names.txt");
        return;
    }
    assert!(
        BUILTIN_NAMES == all && BUILTIN_ENTRY_NAMES == on_rhai_values,
        "src/runtime/builtin_names.txt or builtin_entry_names.txt is not the built-ins' \
         names: run `GOVSCRIPT_BLESS=1 cargo test --lib runtime::reach` to rewrite them"
    );
}

/// As for the Govern functions above: a built-in that runs on Rhai values alone is
/// called under a name (which makes the scan register the built-ins), never as an
/// operator, a property or an indexer, which a script uses without naming anything.
#[test]
fn no_builtin_on_rhai_values_alone_hides_under_an_operator_property_or_indexer() {
    let hidden: Vec<String> = builtin_functions()
        .into_iter()
        .filter(|(_, params)| params.iter().all(|t| is_rhai_type(*t)))
        .map(|(name, _)| name)
        .filter(|name| name.contains('$') || !name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_script_is_given_the_builtins_only_when_it_names_one() {
    for (source, expected) in [
        ("print(1);", Reach::Rhai),
        ("let x = [1, 2].map(|x| x + 1); print(x);", Reach::Rhai),
        ("let t = timestamp(); print(t.elapsed);", Reach::Builtins),
        ("assert(true);", Reach::Builtins),
        ("print(to_json([1]));", Reach::Builtins),
        ("let x = now() - days(7); print(x);", Reach::Builtins),
        ("print((now() + days(1)).date());", Reach::Builtins),
        ("print(1.to_string() + 2.to_debug());", Reach::Rhai),
        ("let f = Fn(\"csv_read\");", Reach::Builtins),
        ("fn f() { env(\"HOME\") } print(1);", Reach::Builtins),
        ("print(1); let c = govern();", Reach::Govern),
        ("assert(true); let c = govern();", Reach::Govern),
    ] {
        assert_eq!(reach(source), expected, "{source}");
    }
}

/// The names a script reaches Govern functions by: calls, methods, properties read or
/// written, constant function pointers, in its functions too.
#[test]
fn a_script_names_what_it_calls_reads_and_writes() {
    let source = r#"
        let c = GovernClient("h", "k");
        let a = c.get_artifact("ar.1");
        let d = a.get_definition();
        d.raw.name = d.raw.name + "!";
        if "x" in d.get_raw() { print(a.artifact_id); }
        let f = Fn("save");
        fn helper(x) { x.get_signoffs() }
    "#;
    let names = scan(source).names.expect("every name is in the tree");
    for name in [
        "GovernClient",
        "get_artifact",
        "get_definition",
        "raw",
        "name",
        "contains",
        "get_raw",
        "artifact_id",
        "save",
        "get_signoffs",
        "print",
    ] {
        assert!(names.contains(name), "{name} in {names:?}");
    }
    assert!(!names.contains("get_blueprint"));
}

/// Where a script can name a function the tree does not show, there is no list: every
/// function is registered.
#[test]
fn a_script_naming_functions_the_tree_cannot_show_has_no_list() {
    for source in [
        "import \"govern/bulk\" as bulk;",
        "let name = \"get_artifact\"; let f = Fn(name);",
        "eval(\"govern()\");",
        "let x = GovernFuture::from_resp(#{});",
        "let c = govern(); c.call(Fn(ARGS[0]));",
    ] {
        assert_eq!(scan(source).names, None, "{source}");
    }
    assert!(scan("let c = govern();").names.is_some());
}
