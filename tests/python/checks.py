"""The checks every script here makes with the official Python client.

Each check prints one line (`ok   NAME`, or `FAIL NAME DETAIL` and exit 1), so the
Rust test that runs the script shows where it stopped; `summary()` ends the output
with the number of checks passed, which the tests look for.
"""
import sys

from dataikuapi.utils import DataikuException

_passed = 0


def check(name, cond, detail=""):
    """Passes if `cond` holds; otherwise prints why and exits 1."""
    global _passed
    if not cond:
        print("FAIL %s %s" % (name, detail))
        sys.exit(1)
    _passed += 1
    print("ok   %s" % name)


def raises(name, fn, needle):
    """Passes if `fn()` raises Govern's error with `needle` in its message."""
    try:
        fn()
    except DataikuException as e:
        check(name, needle in str(e), "message was: %s" % e)
        return
    check(name, False, "no exception raised")


def summary():
    """Prints `N checks passed`."""
    print("%d checks passed" % _passed)
