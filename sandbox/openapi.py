"""Check requests and responses against an official API spec (OpenAPI 3 or Swagger 2.0).

Used by the Looker and Slack stand-ins: every request they receive and every answer they
give is checked against the vendor's spec in specs/ (copied into the repo with their
licences), and problems are recorded, so a test can assert that the whole exchange
followed the spec. Deliberately small: types, required and unknown properties, nullable,
arrays, $ref; no formats or patterns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPECS = Path(__file__).resolve().parents[1] / "specs"  # vendor specs carried in the repo
PYTHON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
}


@dataclass
class Operation:
    method: str
    path: str
    spec: dict[str, Any]
    pattern: re.Pattern = field(init=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        self.pattern = re.compile(f"^{regex}$")


class Spec:
    def __init__(self, path: Path, base_path: str) -> None:
        document = json.loads(path.read_text())
        self.base_path = base_path
        self.swagger2 = "definitions" in document
        self.schemas = document.get("definitions") or document.get("schemas") or {}
        self.operations: list[Operation] = []
        if "paths" in document:
            for route, methods in document["paths"].items():
                for method, spec in methods.items():
                    self.operations.append(Operation(method.upper(), route, spec))
        else:
            for spec in document["operations"].values():
                self.operations.append(Operation(spec["method"].upper(), spec["path"], spec))
        self.problems: list[str] = []

    def find(self, method: str, url_path: str, any_method: bool = False) -> Operation | None:
        path = url_path.removeprefix(self.base_path)
        same = [o for o in self.operations if any_method or o.method == method]
        for operation in same:  # literal routes first (e.g. /dashboards/search)
            if operation.path == path:
                return operation
        for operation in same:
            if operation.pattern.match(path):
                return operation
        return None

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def validate(self, value: Any, schema: dict[str, Any], where: str) -> list[str]:
        schema = self.resolve(schema)
        if value is None:
            nullable = schema.get("nullable") or schema.get("x-nullable") or not schema
            return [] if nullable or self.swagger2 else [f"{where}: null is not allowed"]
        kind = schema.get("type")
        if kind and kind in PYTHON_TYPES:
            expected = PYTHON_TYPES[kind]
            wrong_bool = isinstance(value, bool) and kind in ("integer", "number")
            if not isinstance(value, expected) or wrong_bool:
                return [f"{where}: expected {kind}, got {type(value).__name__}"]
        if "enum" in schema and value not in schema["enum"]:
            return [f"{where}: {value!r} not in {schema['enum']}"]
        problems: list[str] = []
        if isinstance(value, dict) and ("properties" in schema or kind == "object"):
            properties = schema.get("properties", {})
            for name in schema.get("required", []):
                if name not in value:
                    problems.append(f"{where}: missing required {name!r}")
            for name, item in value.items():
                if name in properties:
                    problems += self.validate(item, properties[name], f"{where}.{name}")
                elif properties and schema.get("additionalProperties") is not True:
                    problems.append(f"{where}: unknown property {name!r}")
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                problems += self.validate(item, schema["items"], f"{where}[{i}]")
        return problems

    def check_request(
        self,
        method: str,
        url_path: str,
        query: dict[str, str],
        body: Any,
        form: dict,
        any_method: bool = False,
    ) -> Operation | None:
        operation = self.find(method, url_path, any_method)
        where = f"{method} {url_path}"
        if operation is None:
            self.problems.append(f"{where}: no such operation in the spec")
            return None
        parameters = operation.spec.get("parameters", [])
        known = {p["name"] for p in parameters}
        for name in list(query) + list(form):
            if name not in known:
                self.problems.append(f"{where}: unknown parameter {name!r}")
        for parameter in parameters:
            present = parameter["name"] in query or parameter["name"] in form
            location = parameter.get("in")
            if parameter.get("required") and location in ("query", "formData") and not present:
                self.problems.append(f"{where}: missing required parameter {parameter['name']!r}")
        request_body = operation.spec.get("requestBody")
        if request_body and body is not None:
            content = request_body.get("content", {}).get("application/json", {})
            schema = content.get("schema") or {}
            self.problems += self.validate(body, schema, f"{where} body")
        return operation

    def response_schema(self, operation: Operation, status: int | str) -> dict[str, Any] | None:
        responses = operation.spec.get("responses", {})
        answer = responses.get(str(status)) or responses.get("default") or {}
        if self.swagger2:
            return answer.get("schema")
        return answer.get("content", {}).get("application/json", {}).get("schema")

    def project(self, operation: Operation | None, status: int, body: Any) -> Any:
        """Keep only what the response schema declares, as the real API answers."""
        schema = self.response_schema(operation, status) if operation else None
        return self._project(body, schema) if schema else body

    def _project(self, value: Any, schema: dict[str, Any]) -> Any:
        schema = self.resolve(schema)
        if isinstance(value, list) and "items" in schema:
            return [self._project(v, schema["items"]) for v in value]
        if isinstance(value, dict) and schema.get("properties"):
            props = schema["properties"]
            return {k: self._project(v, props[k]) for k, v in value.items() if k in props}
        return value

    def check_response(self, operation: Operation | None, status: int | str, body: Any) -> None:
        if operation is None:
            return
        where = f"{operation.method} {operation.path} -> {status}"
        responses = operation.spec.get("responses", {})
        answer = responses.get(str(status)) or responses.get("default")
        if answer is None:
            self.problems.append(f"{where}: status not in the spec")
            return
        schema = self.response_schema(operation, status)
        if schema:
            if self.resolve(schema).get("type") == "string" and not isinstance(body, str):
                body = json.dumps(body)  # e.g. run_inline_query: the body is JSON text
            self.problems += self.validate(body, schema, where)


def looker_spec() -> Spec:
    return Spec(SPECS / "looker" / "looker40_subset_for_tests.json", "/api/4.0")


def slack_spec() -> Spec:
    return Spec(SPECS / "slack" / "slack_subset_for_tests.json", "/api")
