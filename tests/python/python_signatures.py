"""Prints the public methods and constructors of the Python client 15.2.0's Govern
classes in the shape of `govscript definitions --json` (Rhai's function metadata), so
that the golden replay's derivation can be checked against every golden call before
govscript registers its methods. Types: `bool`/`int` from a parameter's default,
`Dynamic` otherwise; return types: the class the method's source builds, else the
one its docstring names. Classes reached by return types (`DSSSSOSettings`) are
included."""
import inspect
import json
import re

import dataikuapi.govern_client as govern_client
from dataikuapi.govern import (admin, admin_blueprint_designer, admin_custom_pages_handler,
                               admin_roles_permissions_handler, artifact, artifact_search,
                               blueprint, custom_page, future, time_series, uploaded_file,
                               users_container)

MODULES = [govern_client, admin, admin_blueprint_designer, admin_custom_pages_handler,
           admin_roles_permissions_handler, artifact, artifact_search, blueprint,
           custom_page, future, time_series, uploaded_file, users_container]
RTYPE = re.compile(r":rtype:.*?~?dataikuapi\.[\w.]*?\.(\w+)`")
RETURN = re.compile(r":returns?:.*?~?dataikuapi\.[\w.]*?\.(\w+)`")
BUILT = re.compile(r"return (\w+)\(")


def param_type(p):
    if isinstance(p.default, bool):
        return "bool"
    if isinstance(p.default, int):
        return "int"
    return "Dynamic"


def entries(name, receiver, params, returns):
    """One entry per accepted arity, as Rhai lists a method registered per arity."""
    required = sum(1 for p in params if p.default is inspect.Parameter.empty)
    for n in range(required, len(params) + 1):
        listed = [{"name": p.name, "type": param_type(p)} for p in params[:n]]
        if receiver:
            listed.insert(0, {"name": "self", "type": receiver})
        yield {"name": name, "params": listed, "returnType": returns}


def returned(member):
    """The class a method returns: the one its source builds (docstrings have slips),
    else the one its docstring names."""
    doc = member.__doc__ or ""
    for found in (BUILT.search(inspect.getsource(member)), RTYPE.search(doc), RETURN.search(doc)):
        cls = found and member.__globals__.get(found.group(1))
        if inspect.isclass(cls):
            return cls
        if found and not found.group(1)[0].islower():
            return found.group(1)
    return None


def main():
    functions = []
    queue = [cls for module in MODULES for name, cls in inspect.getmembers(module, inspect.isclass)
             if name.startswith("Govern")]
    seen = set()
    while queue:
        cls = queue.pop(0)
        if cls.__name__ in seen:
            continue
        seen.add(cls.__name__)
        if cls.__name__.startswith("Govern"):
            init = [p for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
                    if p.name != "client"]
            functions += entries(cls.__name__, None, init, cls.__name__)
        for name, member in inspect.getmembers(cls, inspect.isfunction):
            if name.startswith("_"):
                continue
            returns = returned(member)
            if inspect.isclass(returns):
                queue.append(returns)
                returns = returns.__name__
            params = list(inspect.signature(member).parameters.values())[1:]
            functions += entries(name, cls.__name__, params, returns or "Dynamic")
    print(json.dumps({"functions": functions}))


main()
