"""JSON Schema of the card and of kacard.yaml, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from kacard.cards.model.card import Card
from kacard.cards.model.settings import Settings

SCHEMA_FILES = {"card.schema.json": Card, "settings.schema.json": Settings}


def schema_text(model: type) -> str:
    schema = model.model_json_schema(by_alias=True)  # type: ignore[attr-defined]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMA_FILES.items():
        path = out / name
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written
