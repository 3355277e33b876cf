"""Uploaded files with the unmodified official Python client against the sandbox.

Usage: python files.py URL API_KEY COMMAND ARGS...

  upload NAME PATH   uploads the file at PATH as NAME (an open binary file, as the
                     client's docs show); RESULT is its id and description
  download ID PATH   downloads file ID into PATH; RESULT is its SHA-256 and size
  errors ID          on the existing file ID: description, delete, then the reads of a
                     deleted and of an unknown id; RESULT holds each outcome
  too_large PATH     uploads PATH to a sandbox whose limit it exceeds; RESULT is the error

Prints `RESULT <json>` last: tests/script_files.rs compares it with what Rhai did.
"""
import hashlib
import json
import shutil
import sys

from dataikuapi import GovernClient
from dataikuapi.utils import DataikuException

URL, KEY, COMMAND, ARGS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
client = GovernClient(URL, KEY)


def error(fn):
    """The exception text of a call that must fail."""
    try:
        fn()
    except DataikuException as e:
        return str(e)
    raise AssertionError("the call did not fail")


def upload(name, path):
    with open(path, "rb") as f:
        handle = client.upload_file(name, f)
    return {"id": handle.uploaded_file_id, "description": handle.get_description()}


def download(file_id, path):
    stream = client.get_uploaded_file(file_id).download()
    digest = hashlib.sha256()
    size = 0
    with open(path, "wb") as out:
        while True:
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def errors(file_id):
    handle = client.get_uploaded_file(file_id)
    description = handle.get_description()
    handle.delete()
    return {
        "description": description,
        "after_delete": error(handle.get_description),
        "download_after_delete": error(lambda: handle.download().read()),
        "unknown_download": error(lambda: client.get_uploaded_file("uf.999").download().read()),
    }


def too_large(path):
    with open(path, "rb") as f:
        return {"error": error(lambda: client.upload_file("big.bin", f))}


COMMANDS = {"upload": upload, "download": download, "errors": errors, "too_large": too_large}
print("RESULT " + json.dumps(COMMANDS[COMMAND](*ARGS)))
