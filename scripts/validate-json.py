#!/usr/bin/env python3
"""Validate cgtrace --json output (JSON lines) against man/cgtrace-json.schema.json.

usage: validate-json.py SCHEMA FILE.jsonl
Prints `N events valid` and exits 0, or names the first bad line and why and exits 1.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate-json.py: needs the jsonschema package (pip install jsonschema, or apt install python3-jsonschema)")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: validate-json.py SCHEMA FILE.jsonl")
    with open(sys.argv[1]) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    count = 0
    with open(sys.argv[2], encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            try:
                event = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"line {number}: not JSON: {e}")
                return 1
            errors = sorted(validator.iter_errors(event), key=lambda e: e.path)
            if errors:
                print(f"line {number}: {errors[0].message}: {line[:300]}")
                return 1
            count += 1
    if count == 0:
        print("no events")
        return 1
    print(f"{count} events valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
