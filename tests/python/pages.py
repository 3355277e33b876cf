"""Drive the sandbox's custom pages with the unmodified official Python client.

Usage: python pages.py URL ADMIN_KEY BOB_KEY

Expects a fresh sandbox with the demo seed. Makes the same calls as the Rhai round trip
of tests/script_pages.rs (so both leave the same state), including scenarios 11 and 12
of govern-protocol.md §7 with the real method names, then checks the sandbox's
refusals (each leaving the pages and their order unchanged) and what a non-admin sees.
Prints one line per check and exits non-zero on the first failure.
"""
import sys

from dataikuapi import GovernClient
from checks import check, raises, summary

URL, KEY, BOB_KEY = sys.argv[1], sys.argv[2], sys.argv[3]
client = GovernClient(URL, KEY)


STANDARD = ["home", "feed", "governable-items", "model-registry", "bundle-registry"]
h = client.get_custom_pages_handler()
check("standard pages ordered", h.get_custom_pages_order() == STANDARD, h.get_custom_pages_order())
items = h.list_custom_pages()
check("standard pages listed", [i.to_custom_page().custom_page_id for i in items] == STANDARD)
check("standard type", items[0].get_raw()["type"] == "standard-page", items[0].get_raw())

# Creation: a grid dashboard (scenario 12's page), custom HTML, a hidden item table.
grid = {"name": "Risk dashboard", "icon": "icon-dashboard", "visible": True, "type": "grid",
        "tabs": [{"id": "t1", "title": "Overview",
                  "tiles": [{"type": "artifact-count", "blueprintId": "bp.model_review"}]}],
        "futureKey": {"kept": True}}
p1 = h.create_custom_page("cust_page_1", grid)
check("created id", p1.custom_page_id == "cp.cust_page_1", p1.custom_page_id)
# Scenario 12, with the real method names.
d1 = client.get_custom_pages_handler().get_custom_page("cp.cust_page_1").get_definition()
check("kept as given", d1.get_raw() == dict(grid, id="cp.cust_page_1"), d1.get_raw())
notes = h.create_custom_page("cp.notes", {"name": "Notes", "type": "custom-html",
                                          "htmlContent": "<h1>Notes</h1>", "visible": True})
check("given prefix kept", notes.custom_page_id == "cp.notes", notes.custom_page_id)
h.create_custom_page("draft-table", {"name": "Draft", "type": "artifact-table", "visible": False, "filters": []})
order = h.get_custom_pages_order()
check("new pages appended", order == STANDARD + ["cp.cust_page_1", "cp.notes", "cp.draft-table"], order)

d1.get_raw()["name"] = "Risk overview"
d1.save()
check("saved answer", d1.definition["name"] == "Risk overview")
check("saved re-read", h.get_custom_page("cp.cust_page_1").get_definition().get_raw()["name"] == "Risk overview")

reversed_order = list(reversed(order))
check("order saved", h.save_custom_pages_order(reversed_order) == reversed_order)
check("order re-read", h.get_custom_pages_order() == reversed_order)

# Scenario 11: the readers' list, in display order (the admin sees the hidden page).
pages = client.list_custom_pages()
check("readers' list", [p.to_custom_page().custom_page_id for p in pages] == reversed_order)
cd = client.get_custom_page("cp.notes").get_definition()
check("reader's definition", cd.get_raw()["htmlContent"] == "<h1>Notes</h1>" and cd.custom_page_id == "cp.notes")

notes.delete()
raises("deleted page", client.get_custom_page("cp.notes").get_definition, "Custom page not found: cp.notes")
check("deleted page leaves the order", h.get_custom_pages_order() == [i for i in reversed_order if i != "cp.notes"])

# Refusals, each changing nothing.
before = (h.get_custom_pages_order(), [i.get_raw() for i in h.list_custom_pages()])
partial = h.get_custom_pages_order()[1:]
raises("partial order", lambda: h.save_custom_pages_order(partial), "it must contain every page; missing: ")
raises("unknown id in order", lambda: h.save_custom_pages_order(before[0] + ["cp.nope"]), "unknown page cp.nope")
raises("repeated id in order", lambda: h.save_custom_pages_order(before[0] + ["home"]), "page home is named twice")
raises("standard page created", lambda: h.create_custom_page("mine", {"type": "standard-page"}),
       "Standard pages are built in")
raises("standard page deleted", h.get_custom_page("home").delete, "Page home is a standard page")
raises("duplicate identifier", lambda: h.create_custom_page("cust_page_1", {"type": "grid"}),
       "Custom page already exists: cp.cust_page_1")
raises("unknown type", lambda: h.create_custom_page("x", {"type": "pie-chart"}), "Unknown custom page type")
raises("bad identifier", lambda: h.create_custom_page("a b", {}), "Invalid custom page identifier 'a b'")
raises("visible not a boolean", lambda: h.create_custom_page("x", {"visible": "yes"}),
       "Custom page visible must be true or false")
check("nothing changed", (h.get_custom_pages_order(), [i.get_raw() for i in h.list_custom_pages()]) == before)

# Bob (no admin, no Govern architect rights): visible pages only; no handler.
bob = GovernClient(URL, BOB_KEY)
seen = [p.to_custom_page().custom_page_id for p in bob.list_custom_pages()]
check("hidden page not listed for bob", "cp.draft-table" not in seen and "cp.cust_page_1" in seen, seen)
raises("hidden page not found for bob", bob.get_custom_page("cp.draft-table").get_definition,
       "Custom page not found: cp.draft-table")
raises("bob may not create", lambda: bob.get_custom_pages_handler().create_custom_page("bobs", {}),
       "is not a Govern architect")
raises("bob may not order", bob.get_custom_pages_handler().get_custom_pages_order, "is not a Govern architect")
check("nothing changed by bob", h.get_custom_pages_order() == before[0])

summary()
