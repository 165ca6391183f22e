"""Any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure OpenAI, Gemini, vLLM, Ollama).

`complete_json()` asks for a JSON object and validates it against a JSON schema; an invalid answer is a
permanent ConnectorError, so callers (the RCA) fall back to their rules.
"""

from __future__ import annotations

import json

import jsonschema

from automation.connectors.base import BaseConnector
from automation.connectors.errors import ConnectorError

RCA_SCHEMA = {
    "type": "object",
    "required": ["root_cause", "recommendations", "severity", "confidence"],
    "properties": {
        "root_cause": {"type": "string", "minLength": 1},
        "recommendations": {"type": "array", "items": {"type": "string"}},
        "severity": {"type": "string"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    },
}


class LLMConnector(BaseConnector):
    vendor = "llm"

    def authenticate(self, request):
        if self.connection.auth_type != "none":
            request.headers["Authorization"] = f"Bearer {self.secret}"

    @property
    def model(self) -> str:
        return self.connection.settings.get("model", "gpt-4o-mini")

    def check(self) -> str:
        models = [m.get("id") for m in self.get("/models").json().get("data", [])]
        return f"{len(models)} model(s) available; using {self.model}."

    def complete_json(self, messages: list[dict], schema: dict, *, max_tokens: int | None = None) -> dict:
        payload = {
            "model": self.model,
            "messages": messages,
            "response_format": {"type": "json_object"},
            "max_tokens": max_tokens or self.connection.settings.get("max_tokens", 1024),
            "temperature": self.connection.settings.get("temperature", 0),
        }
        body = self.post("/chat/completions", json=payload).json()
        try:
            content = body["choices"][0]["message"]["content"]
            data = json.loads(content)
            jsonschema.validate(data, schema)
        except (KeyError, IndexError, TypeError, ValueError, jsonschema.ValidationError) as error:
            raise ConnectorError(
                f"The model's answer is not the JSON asked for: {error}"[:500], permanent=True
            ) from error
        return data
