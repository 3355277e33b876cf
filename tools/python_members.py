#!/usr/bin/env python3
"""Lists the classes and public members of the official Python Govern client.

Writes the JSON that `govscript docs --coverage` compares the engine against
(tests/data/python-members.json). Re-run it after upgrading the client:

    .venv/bin/python tools/python_members.py > tests/data/python-members.json

Classes: those defined in `dataikuapi/govern_client.py` and `dataikuapi/govern/*.py`.
Members of a class, inherited ones from other Govern classes included:
- `method`: a public function;
- `property`: a public property;
- `attribute`: a public instance attribute set as `self.x = ...` in an `__init__`
  (found with `ast`: Python sets them at run time only);
- `constructor`: `__init__`, for the classes Python users construct themselves (query
  builders, users containers, and `GovernClient`, the entry point): those whose
  `__init__` takes no `client` and that the library itself never builds inside a handle
  (a class taking a `client`, or `GovernClient`), i.e. from a server answer.
"""
import ast
import importlib
import inspect
import json
import pkgutil
import re
import sys
import textwrap

import dataikuapi
import dataikuapi.govern
import dataikuapi.govern_client


def govern_modules():
    """The client module, then every `dataikuapi.govern.*` module, by name."""
    names = sorted(m.name for m in pkgutil.iter_modules(dataikuapi.govern.__path__))
    mods = [dataikuapi.govern_client]
    mods += [importlib.import_module("dataikuapi.govern." + n) for n in names]
    return mods


def classes_of(module):
    """Classes defined in `module` (not imported into it), in source order."""
    found = [c for _, c in inspect.getmembers(module, inspect.isclass)
             if c.__module__ == module.__name__]
    return sorted(found, key=lambda c: inspect.getsourcelines(c)[1])


def is_govern(cls):
    return cls.__module__.startswith("dataikuapi.govern")


def init_params(cls):
    """The parameters of the `__init__` that constructs `cls` (own or inherited)."""
    try:
        return list(inspect.signature(cls.__init__).parameters)[1:]
    except (TypeError, ValueError):
        return []


def own_init(cls):
    """The `ast` node of `__init__` defined by `cls` itself, or None."""
    if "__init__" not in cls.__dict__:
        return None
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    for node in tree.body[0].body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return node
    return None


def instance_attributes(cls):
    """Public `self.x = ...` targets of the `__init__`s along the Govern MRO."""
    names = []
    for klass in cls.__mro__:
        if not is_govern(klass):
            continue
        init = own_init(klass)
        if init is None:
            continue
        for node in ast.walk(init):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                targets = [node.target]
            for t in targets:
                if (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                        and t.value.id == "self" and not t.attr.startswith("_")
                        and t.attr not in names):
                    names.append(t.attr)
    return names


ENTRY_POINT = "GovernClient"


def built_by_handles(modules):
    """Names of Govern classes the library instantiates inside a handle (a class taking
    a client, or the client itself), apart from the entry point."""
    built = set()
    for module in modules:
        for cls in classes_of(module):
            if "client" not in init_params(cls) and cls.__name__ != ENTRY_POINT:
                continue
            tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    f = node.func
                    name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", None)
                    if name:
                        built.add(name)
    built.discard(ENTRY_POINT)
    return built


def signature(obj):
    """The signature as text, without the memory addresses of default functions
    (`<function f.<lambda> at 0x7f...>`), so that the output is reproducible."""
    try:
        return re.sub(r" at 0x[0-9a-f]+>", ">", str(inspect.signature(obj)))
    except (TypeError, ValueError):
        return ""


def members(cls, built):
    out, seen = [], set()
    if "client" not in init_params(cls) and cls.__name__ not in built:
        out.append({"name": "__init__", "kind": "constructor",
                    "signature": signature(cls.__init__)})
    for klass in cls.__mro__:
        if not is_govern(klass):
            continue
        for name, value in klass.__dict__.items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            if isinstance(value, property):
                out.append({"name": name, "kind": "property", "signature": ""})
            elif isinstance(value, (staticmethod, classmethod)) or inspect.isfunction(value):
                out.append({"name": name, "kind": "method",
                            "signature": signature(getattr(cls, name))})
    for name in instance_attributes(cls):
        if name not in seen:
            seen.add(name)
            out.append({"name": name, "kind": "attribute", "signature": ""})
    return out


def main():
    modules = govern_modules()
    built = built_by_handles(modules)
    classes = []
    for module in modules:
        for cls in classes_of(module):
            classes.append({
                "name": cls.__name__,
                "module": module.__name__,
                "bases": [b.__name__ for b in cls.__bases__ if is_govern(b)],
                "members": members(cls, built),
            })
    json.dump({
        "generator": "tools/python_members.py",
        "client_version": getattr(dataikuapi, "__version__", None) or version(),
        "classes": classes,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


def version():
    from importlib.metadata import version as v
    return v("dataiku-api-client")


if __name__ == "__main__":
    main()
