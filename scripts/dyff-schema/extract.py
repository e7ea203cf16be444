#!/usr/bin/env python3
"""Extracts the status vocabulary of a dyff-schema wheel into a JSON fixture.

    pip download dyff-schema==0.46.17 --no-deps -d /tmp/dyffschema
    python3 scripts/dyff-schema/extract.py /tmp/dyffschema/dyff_schema-0.46.17-py3-none-any.whl \
        > scripts/dyff-schema/dyff-schema-0.46.17.json
    pnpm exec biome format --write scripts/dyff-schema/dyff-schema-0.46.17.json   # the house's JSON style

It reads `dyff/schema/v0/r1/platform.py` out of the wheel and parses it with `ast`: nothing of the
package is imported or run, and no code of it is copied, only the values it declares:
- every `_XStatus` / `_XStatusReason` NamedTuple (their string defaults, or the constant of another
  set they name, such as `EntityStatus.created`), keyed by the set's name without the underscore;
- the members of `is_status_terminal`, `is_status_success` and `is_status_failure`;
- the `Entities` enum, the `FamilyMemberKind` enum, the kinds of `_DyffEntityTypeRevisable`, the
  `RevisionData.format` literals and the OCI tag-name regex of family tags.
The fixture carries the package name and version read from the wheel's METADATA. A test in
packages/core (systems/dyff/released/fixture.test.ts) checks phasekit's released vocabulary against it.
"""

import ast
import json
import re
import sys
import zipfile

PLATFORM = "dyff/schema/v0/r1/platform.py"


def string_of(node, constants):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return constants.get(node.value.id, {}).get(node.attr)
    return None


def named_tuples(tree):
    """Every `class _X(NamedTuple)` with str fields, in file order; references resolved."""
    constants = {}  # public name (EntityStatus) -> {field: value}
    sets = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        if not any(isinstance(b, ast.Name) and b.id == "NamedTuple" for b in node.bases):
            continue
        fields = {}
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
                value = string_of(stmt.value, constants)
                if value is not None:
                    fields[stmt.target.id] = value
        name = node.name.lstrip("_")
        constants[name] = fields
        sets[name] = list(fields.values())
    return constants, sets


def predicate(tree, name, constants):
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            for sub in ast.walk(node):
                if isinstance(sub, ast.List):
                    return [string_of(e, constants) for e in sub.elts]
    raise SystemExit(f"extract: {name} not found in {PLATFORM}")


def enum_values(tree, name):
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return [
                stmt.value.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
            ]
    raise SystemExit(f"extract: enum {name} not found in {PLATFORM}")


def union_members(tree, name):
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == name:
            value = node.value
        elif isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            value = node.value
        else:
            continue
        return [e.id for e in value.slice.elts]
    raise SystemExit(f"extract: {name} not found in {PLATFORM}")


def literal_of_field(tree, cls, field):
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and getattr(stmt.target, "id", None) == field:
                    return [e.value for e in stmt.annotation.slice.elts]
    raise SystemExit(f"extract: {cls}.{field} not found in {PLATFORM}")


def function_return(tree, name):
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            for stmt in node.body:
                if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Constant):
                    return stmt.value.value
    raise SystemExit(f"extract: {name} not found in {PLATFORM}")


def main(wheel):
    with zipfile.ZipFile(wheel) as z:
        source = z.read(PLATFORM).decode("utf-8")
        metadata = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        meta = z.read(metadata).decode("utf-8")
    package = re.search(r"^Name: (.+)$", meta, re.M).group(1).strip()
    version = re.search(r"^Version: (.+)$", meta, re.M).group(1).strip()
    tree = ast.parse(source)
    constants, sets = named_tuples(tree)
    statuses = {k: v for k, v in sets.items() if k.endswith("Status")}
    reasons = {k: v for k, v in sets.items() if k.endswith("StatusReason")}
    fixture = {
        "package": package,
        "version": version,
        "file": PLATFORM,
        "statusSets": statuses,
        "reasonSets": reasons,
        "predicates": {
            name: predicate(tree, name, constants)
            for name in ("is_status_terminal", "is_status_success", "is_status_failure")
        },
        "entities": enum_values(tree, "Entities"),
        "familyMemberKinds": enum_values(tree, "FamilyMemberKind"),
        "revisable": union_members(tree, "_DyffEntityTypeRevisable"),
        "revisionFormats": literal_of_field(tree, "RevisionData", "format"),
        "tagNameRegex": function_return(tree, "_oci_image_tag_regex"),
    }
    json.dump(fixture, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: extract.py <dyff_schema-VERSION-py3-none-any.whl>")
    main(sys.argv[1])
