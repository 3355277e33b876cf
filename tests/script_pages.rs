//! Custom pages (issue 14 §1, protocol §2.12, §3.10, §10) from Rhai against a real
//! sandbox: every method with its results read back, the developer guide's scenarios
//! 11 and 12 with the real method names, bad input refused with nothing changed,
//! pages not marked visible hidden from non-admins, and the official Python client
//! (`tests/python/pages.py`) leaving the same state.
mod common;
use common::rights::{BOB, DAVE};
use common::{ADMIN_KEY, API, Sandbox};
use serde_json::{Value, json};

/// Every method of the family, each result checked; the same steps as
/// `tests/python/pages.py`, so that both leave the same state.
const ROUND_TRIP: &str = r#"
let c = govern();
let h = c.get_custom_pages_handler();
assert_eq(type_of(h), "GovernAdminCustomPagesHandler");
assert_eq(type_of(h.client), "GovernClient");
let standard = ["home", "feed", "governable-items", "model-registry", "bundle-registry"];
assert_eq(h.get_custom_pages_order(), standard);
let items = h.list_custom_pages();
assert_eq(type_of(items[0]), "GovernAdminCustomPageListItem");
assert_eq(items.map(|i| i.to_custom_page().custom_page_id), standard);
assert_eq(items[0].get_raw().type, "standard-page");

// Creation: a grid dashboard (scenario 12's page), custom HTML, a hidden item table.
let grid = #{ name: "Risk dashboard", icon: "icon-dashboard", visible: true, type: "grid",
    tabs: [#{ id: "t1", title: "Overview", tiles: [#{ type: "artifact-count", blueprintId: "bp.model_review" }] }],
    futureKey: #{ kept: true } };
let p1 = h.create_custom_page("cust_page_1", grid);
assert_eq(type_of(p1), "GovernAdminCustomPage");
assert_eq(p1.custom_page_id, "cp.cust_page_1");
assert_eq(p1, h.get_custom_page("cp.cust_page_1"));
// Scenario 12, with the real method names.
let d1 = c.get_custom_pages_handler().get_custom_page("cp.cust_page_1").get_definition();
assert_eq(type_of(d1), "GovernAdminCustomPageDefinition");
assert_eq(d1.custom_page_id, "cp.cust_page_1");
grid.id = "cp.cust_page_1";
assert_eq(d1.get_raw(), grid, "kept as given (unknown keys too), id set");
let notes = h.create_custom_page("cp.notes", #{ name: "Notes", type: "custom-html", htmlContent: "<h1>Notes</h1>", visible: true });
assert_eq(notes.custom_page_id, "cp.notes", "a given cp. prefix is kept");
h.create_custom_page("draft-table", #{ name: "Draft", type: "artifact-table", visible: false, filters: [] });
let order = h.get_custom_pages_order();
assert_eq(order, standard + ["cp.cust_page_1", "cp.notes", "cp.draft-table"], "new pages appended");

d1.raw.name = "Risk overview";
d1.save();
assert_eq(d1.definition.name, "Risk overview");
assert_eq(h.get_custom_page("cp.cust_page_1").get_definition().get_raw().name, "Risk overview");

let reversed = order;
reversed.reverse();
assert_eq(h.save_custom_pages_order(reversed), reversed);
assert_eq(h.get_custom_pages_order(), reversed);

// Scenario 11: the readers' list, in display order (the admin sees the hidden page).
let pages = c.list_custom_pages();
assert_eq(type_of(pages[0]), "GovernCustomPageListItem");
assert_eq(pages.map(|p| p.to_custom_page().custom_page_id), reversed);
let cp = c.get_custom_page("cp.notes");
assert_eq(type_of(cp), "GovernCustomPage");
assert_eq(cp.custom_page_id, "cp.notes");
let cd = cp.get_definition();
assert_eq(type_of(cd), "GovernCustomPageDefinition");
assert_eq(cd.custom_page_id, "cp.notes");
assert_eq(cd.get_raw().htmlContent, "<h1>Notes</h1>");
assert_eq(cd.definition, cd.get_raw());

notes.delete();
let e = expect_error(|| cp.get_definition());
assert_eq(e.status, 404, e.message);
assert_eq(h.get_custom_pages_order(), reversed.filter(|id| id != "cp.notes"), "a deleted page leaves the order");
print("round trip done");
"#;

/// What the family holds on a sandbox, read over HTTP with the admin key.
fn state(sb: &Sandbox) -> Value {
    let get = |path: &str| sb.ok("GET", &format!("{API}{path}"), None);
    json!({
        "pages": get("/admin/custom-pages"),
        "order": get("/admin/custom-pages/order"),
        "readers": get("/custom-pages"),
    })
}

/// Runs `tests/python/pages.py` against `sb`; `None` when there is no Python client.
fn python_round_trip(sb: &Sandbox) -> Option<String> {
    common::python_client_available()
        .then(|| common::python::run_script("pages.py", &[sb.url.as_str(), ADMIN_KEY, BOB]))
}

#[test]
fn rhai_and_the_python_client_drive_every_method_to_the_same_state() {
    let rhai = Sandbox::start();
    let out = rhai.script(ROUND_TRIP).ok();
    assert!(out.contains("round trip done"), "{out}");
    let after_rhai = state(&rhai);
    assert_eq!(after_rhai["order"].as_array().map(Vec::len), Some(7));
    assert_eq!(after_rhai["order"][0], "cp.draft-table");

    let python = Sandbox::start();
    let Some(out) = python_round_trip(&python) else {
        return;
    };
    assert!(out.contains("checks passed"), "{out}");
    assert_eq!(state(&python), after_rhai);
}

/// Scenarios 11 and 12 of the developer guide send exactly the requests listed in
/// protocol §2.12 (the guide's `get_order()`/`save_order()` do not exist).
#[test]
fn scenarios_11_and_12_send_the_documented_requests() {
    let sb = Sandbox::start();
    sb.ok(
        "POST",
        &format!("{API}/admin/custom-pages?newIdentifier=cust_page_1"),
        Some(r#"{"name": "Page 1", "type": "grid", "visible": true}"#),
    );
    let out = sb
        .script(
            r#"
let client = govern();
print(client.list_custom_pages().map(|p| p.get_raw().name));
let handler = client.get_custom_pages_handler();
print(handler.get_custom_page("cp.cust_page_1").get_definition().get_raw().type);
let order = handler.get_custom_pages_order();
order.reverse();
print(handler.save_custom_pages_order(order)[0]);
"#,
        )
        .ok();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            r#"["Home", "Activity feed", "Governable items", "Model registry", "Bundle registry", "Page 1"]"#,
            "grid",
            "cp.cust_page_1",
        ],
        "{out}"
    );
    let sent: Vec<(String, String)> = sb
        .recorded()
        .iter()
        .skip(1)
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("method"), s("target"))
        })
        .collect();
    let expected = [
        ("GET", "/custom-pages"),
        ("GET", "/admin/custom-page/cp.cust_page_1"),
        ("GET", "/admin/custom-pages/order"),
        ("PUT", "/admin/custom-pages/order"),
    ]
    .map(|(m, p)| (m.to_string(), format!("{API}{p}")));
    assert_eq!(sent, expected);
}

/// The sandbox's refusals through Rhai, each with Govern's status and message and
/// nothing changed (read back); the Rhai side's own check sends nothing.
#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let sb = Sandbox::start();
    sb.ok(
        "POST",
        &format!("{API}/admin/custom-pages?newIdentifier=kept"),
        Some(r#"{"name": "Kept", "type": "custom-html", "htmlContent": "<p>x</p>"}"#),
    );
    let before = state(&sb);
    let sent_before = sb.recorded().len();
    let out = sb
        .script(
            r#"
let h = govern().get_custom_pages_handler();
fn refused(f, status, needle) {
    let e = expect_error(f, `no error (${needle})`);
    assert_eq(e.status, status, e.message);
    assert(e.message.contains(needle), `${e.message} lacks ${needle}`);
}
let order = h.get_custom_pages_order();
let partial = order;
partial.remove(2);
refused(|| h.save_custom_pages_order(partial), 400, "Invalid custom pages order: it must contain every page; missing: governable-items");
refused(|| h.save_custom_pages_order(order + ["cp.nope"]), 400, "unknown page cp.nope");
refused(|| h.save_custom_pages_order(order + ["home"]), 400, "page home is named twice");
refused(|| h.save_custom_pages_order([]), 400, "missing: home, feed");
let e = expect_error(|| h.save_custom_pages_order(["home", 3]));
assert(e.message.contains("custom_pages_order must hold page ids (strings), not 3"), e.message);
assert_eq(e.status, ());
refused(|| h.create_custom_page("mine", #{ type: "standard-page" }), 400, "Standard pages are built in: page cp.mine cannot be made a \"standard-page\"");
refused(|| h.get_custom_page("home").delete(), 400, "Page home is a standard page: built in, it cannot be deleted");
let home = h.get_custom_page("home").get_definition();
home.raw.type = "grid";
refused(|| home.save(), 400, "Page home is a standard page: its type stays \"standard-page\"");
let kept = h.get_custom_page("cp.kept").get_definition();
kept.raw.type = "standard-page";
refused(|| kept.save(), 400, "cannot be made a \"standard-page\"");
let kept = h.get_custom_page("cp.kept").get_definition();
kept.raw.id = "cp.other";
refused(|| kept.save(), 400, "Custom page IDs do not match");
refused(|| h.create_custom_page("kept", #{ type: "grid" }), 409, "Custom page already exists: cp.kept");
refused(|| h.create_custom_page("x", #{ type: "pie-chart" }), 400, "Unknown custom page type \"pie-chart\" (possible type values are: artifact-table,");
refused(|| h.create_custom_page("a b", #{}), 400, "Invalid custom page identifier 'a b'");
refused(|| h.create_custom_page("x", #{ visible: "yes" }), 400, "Custom page visible must be true or false");
refused(|| h.create_custom_page("x", #{ type: "custom-html", htmlContent: 3 }), 400, "Custom page htmlContent must be a string");
refused(|| h.get_custom_page("cp.nope").get_definition(), 404, "Custom page not found: cp.nope");
refused(|| h.get_custom_page("cp.nope").delete(), 404, "Custom page not found: cp.nope");
print("refused");
"#,
        )
        .ok();
    assert!(out.contains("refused"), "{out}");
    assert_eq!(state(&sb), before);
    // Four orders reached the server and were refused there; the one holding a
    // number was refused by the Rhai side, unsent.
    let orders_sent = sb.recorded()[sent_before..]
        .iter()
        .filter(|r| {
            r["method"] == "PUT" && r["target"] == format!("{API}/admin/custom-pages/order")
        })
        .count();
    assert_eq!(orders_sent, 4);
}

/// A page not marked visible is a preview: bob (no admin, no Govern architect) does
/// not see it in the list and gets 404 for it, as for a missing page; dave (Govern
/// architect) sees it; bob may not use the handler (403) and changes nothing.
#[test]
fn an_invisible_page_is_hidden_from_bob_and_the_handler_refuses_him() {
    let sb = Sandbox::start();
    let create = |id: &str, body: Value| {
        let target = format!("{API}/admin/custom-pages?newIdentifier={id}");
        sb.ok("POST", &target, Some(&body.to_string()))
    };
    create(
        "shown",
        json!({"name": "Shown", "type": "grid", "visible": true}),
    );
    create(
        "preview",
        json!({"name": "Preview", "type": "grid", "visible": false}),
    );
    create("unmarked", json!({"name": "Unmarked", "type": "grid"}));
    let before = state(&sb);
    let script = |key: &str, body: &str| {
        sb.script(&format!(
            "let c = GovernClient(govern().host, \"{key}\");\n{body}"
        ))
        .ok()
    };
    let out = script(
        BOB,
        r#"
let ids = c.list_custom_pages().map(|p| p.to_custom_page().custom_page_id);
assert_eq(ids, ["home", "feed", "governable-items", "model-registry", "bundle-registry", "cp.shown"]);
assert_eq(c.get_custom_page("cp.shown").get_definition().get_raw().name, "Shown");
for id in ["cp.preview", "cp.unmarked"] {
    let e = expect_error(|| c.get_custom_page(id).get_definition());
    assert_eq(e.status, 404, e.message);
    assert(e.message.contains(`Custom page not found: ${id}`), e.message);
}
let h = c.get_custom_pages_handler();
for f in [|| h.create_custom_page("bobs", #{ type: "grid" }), || h.get_custom_pages_order(),
          || h.list_custom_pages(), || h.save_custom_pages_order(["home"]),
          || h.get_custom_page("cp.shown").delete(), || h.get_custom_page("cp.preview").get_definition()] {
    let e = expect_error(f);
    assert_eq(e.status, 403, e.message);
    assert(e.message.contains("bob is not a Govern architect"), e.message);
}
print("bob done");
"#,
    );
    assert!(out.contains("bob done"), "{out}");
    assert_eq!(state(&sb), before);

    let out = script(
        DAVE,
        r#"
let ids = c.list_custom_pages().map(|p| p.to_custom_page().custom_page_id);
assert_eq(ids.len(), 8);
assert_eq(c.get_custom_page("cp.preview").get_definition().get_raw().name, "Preview");
let p = c.get_custom_pages_handler().create_custom_page("daves", #{ type: "custom-html", visible: true });
assert_eq(p.custom_page_id, "cp.daves");
print("dave done");
"#,
    );
    assert!(out.contains("dave done"), "{out}");
    assert_eq!(
        state(&sb)["order"]
            .as_array()
            .and_then(|o| o.last())
            .cloned(),
        Some(json!("cp.daves"))
    );
}

/// Without the demo seed, the order and the lists stay consistent: they start empty
/// and follow creations and deletions.
#[test]
fn an_unseeded_sandbox_orders_the_pages_it_is_given() {
    let sb = Sandbox::with().seed("none").start();
    let out = sb
        .script(
            r#"
let h = govern().get_custom_pages_handler();
assert_eq(h.get_custom_pages_order(), []);
h.create_custom_page("a", #{ visible: true });
let b = h.create_custom_page("b", #{ visible: true });
assert_eq(h.save_custom_pages_order(["cp.b", "cp.a"]), ["cp.b", "cp.a"]);
b.delete();
assert_eq(h.get_custom_pages_order(), ["cp.a"]);
assert_eq(govern().list_custom_pages().map(|p| p.get_raw().id), ["cp.a"]);
print("done");
"#,
        )
        .ok();
    assert!(out.contains("done"), "{out}");
}
