#!/usr/bin/python3
"""Checks content packs against the JSON Schema in content/content-pack.schema.json.

The schema gives clinic staff hover help and error marks in their editor. This script keeps it honest:
packs that must be good (the shipped content, the test packs) must pass it, and deliberately broken packs
must fail it. It checks only what a JSON Schema can say; `blue-align --validate` checks the rest.

Usage: schema_check.py SCHEMA [--valid PATH...] [--invalid PATH...]

Each PATH is a pack folder (it has pack.json) or a folder whose direct subfolders are packs. Every JSON
file of a pack is checked: pack.json and the files its "include" lists. A --valid pack passes when every
file passes; an --invalid pack passes when at least one file fails. Prints one line per pack and ends with
"N passed, N failed". Exit status: 0 all passed, 1 some failed, 2 usage error (bad arguments, a PATH with
no pack, or a SCHEMA that cannot be read or is not a valid schema).

Runs with Debian's python3 and python3-jsonschema (4.10 or later).
"""
import argparse
import difflib
import json
import os
import re
import sys

import jsonschema


def json_path(parts):
    """["items", 2, "slides"] -> "items[2].slides", as the app prints it."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def unknown_keys(error):
    """One (path, message) per key that additionalProperties rejected, worded as the app words it."""
    known = list(error.schema.get("properties", {}))
    for key in error.instance:
        if key in known or key.startswith("x-"):
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
        hint = (f'did you mean "{close[0]}"?' if close else
                'it is ignored. Remove it, or start its name with "x-" to keep it as a note')
        yield json_path([*error.absolute_path, key]), f'unknown key "{key}"; {hint}'


def message(error):
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "pattern" and "patternErrorMessage" in schema:
        return f"{error.instance!r}: {schema['patternErrorMessage']}"
    if error.validator in ("oneOf", "anyOf", "not", "const") and "errorMessage" in schema:
        return schema["errorMessage"]
    return error.message


def describe(error):
    """(path, message) pairs for one error, in the schema's own words when it has them (VS Code shows the
    same texts), else jsonschema's."""
    if error.validator == "additionalProperties":
        return list(unknown_keys(error))
    return [(json_path(error.absolute_path), message(error))]


def find_packs(path):
    if os.path.isfile(os.path.join(path, "pack.json")):
        return [path]
    if not os.path.isdir(path):
        return []
    subs = (os.path.join(path, name) for name in sorted(os.listdir(path)))
    return [sub for sub in subs if os.path.isfile(os.path.join(sub, "pack.json"))]


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        return json.load(f)


def check_file(validator, pack, name):
    """Returns (parsed document or None, problems as "file: json.path: message" lines)."""
    full = os.path.join(pack, name)
    try:
        if not os.path.realpath(full).startswith(os.path.realpath(pack) + os.sep):
            raise OSError("it is outside the pack folder")
        doc = load(full)
    except (OSError, ValueError) as e:
        return None, [f"{name}: cannot read: {e}"]
    found = dict.fromkeys(pair for error in validator.iter_errors(doc) for pair in describe(error))
    def natural(pair):  # items[2] before items[10]
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pair[0])]
    in_order = sorted(found, key=natural)
    return doc, [f"{name}: {where}: {what}" for where, what in in_order]


def check_pack(validator, pack):
    """Checks pack.json and every file its "include" lists; returns all their problems."""
    doc, problems = check_file(validator, pack, "pack.json")
    include = doc.get("include") if isinstance(doc, dict) else None
    names = [name for name in include if isinstance(name, str)] if isinstance(include, list) else []
    for name in dict.fromkeys(names):
        problems += check_file(validator, pack, name)[1]
    return problems


def main(argv):
    parser = argparse.ArgumentParser(description="Check content packs against the content-pack JSON Schema.")
    parser.add_argument("schema")
    parser.add_argument("--valid", nargs="+", default=[], metavar="PATH")
    parser.add_argument("--invalid", nargs="+", default=[], metavar="PATH")
    args = parser.parse_args(argv)  # exits with status 2 on bad arguments
    if not args.valid and not args.invalid:
        parser.error("give at least one --valid or --invalid PATH")

    try:
        schema = load(args.schema)
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"{args.schema}: not a usable schema: {getattr(e, 'message', e)}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    runs = []
    for expect_valid, paths in ((True, args.valid), (False, args.invalid)):
        for path in paths:
            packs = find_packs(path)
            if not packs:
                print(f"{path}: no pack.json here or in its subfolders", file=sys.stderr)
                return 2
            runs += [(expect_valid, pack) for pack in packs]

    passed = failed = 0
    for expect_valid, pack in runs:
        problems = check_pack(validator, pack)
        if expect_valid and not problems:
            print(f"ok   {pack}")
        elif not expect_valid and problems:
            print(f"ok   {pack} (rejected as expected: {problems[0]})")
        elif expect_valid:
            print(f"FAIL {pack}: {len(problems)} problem(s)")
            for line in problems:
                print(f"     {line}")
        else:
            print(f"FAIL {pack}: expected the schema to reject it, but every file passed")
        if expect_valid == (not problems):
            passed += 1
        else:
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
