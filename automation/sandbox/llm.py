"""An OpenAI-compatible LLM that answers root-cause questions deterministically.

`GET /v1/models`, `POST /v1/chat/completions` (also streamed as server-sent events with
`stream: true`). With `response_format` `json_object` or `json_schema` the assistant's content is a JSON
object `{root_cause, recommendations[], severity, confidence}` derived from keywords in the prompt, so
the same incident text always yields the same analysis; otherwise the same analysis comes as prose.
The `malformed` fault makes the content invalid JSON inside a valid envelope, the way a real model
sometimes answers.
"""

import hashlib
import json

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from automation.sandbox.vendor import Call, Problem, Vendor, json_reply

MODELS = ("sandbox-rca-1", "gpt-4o-mini")
CREATED = 1_767_225_600  # fixed, so answers are byte-identical run to run

# (keywords, root cause, recommendations, severity, confidence)
RULES = (
    (
        ("outofmemory", "out of memory", "oomkilled", "java heap space", "memory limit"),
        "The job ran out of memory: the executor or container exceeded its memory limit.",
        [
            "Increase executor/container memory or reduce partition size",
            "Check for skewed joins or unbounded caching",
            "Add a memory alert before the limit is reached",
        ],
        "high",
        0.86,
    ),
    (
        ("timeout", "timed out", "deadline exceeded", "read timed out"),
        "A dependency did not answer in time, so the step timed out.",
        [
            "Check the health and latency of the upstream dependency",
            "Retry with backoff and a bounded timeout",
            "Alert on upstream latency, not only on job failure",
        ],
        "medium",
        0.74,
    ),
    (
        ("permission denied", "access denied", "accessdenied", "403", "unauthorized", "401", "forbidden"),
        "The job's identity lacks permission on a resource it uses (credentials expired or a role was removed).",
        [
            "Verify the service principal or token is valid and not expired",
            "Restore the missing role assignment",
            "Rotate credentials through the secret store",
        ],
        "high",
        0.81,
    ),
    (
        ("connection refused", "econnrefused", "could not connect", "name or service not known", "unreachable"),
        "A dependency was unreachable (service down, DNS or network policy).",
        [
            "Check that the target service is up and resolvable",
            "Review recent network policy or firewall changes",
            "Add a readiness check before the job starts",
        ],
        "high",
        0.78,
    ),
    (
        ("no space left", "disk full", "quota exceeded", "disk quota"),
        "Storage ran out of space.",
        ["Free or expand the volume", "Add retention for temporary data", "Alert at 80% usage"],
        "critical",
        0.88,
    ),
    (
        ("analysisexception", "column", "schema", "cannot resolve", "mismatched input"),
        "The input schema changed: a column the job reads no longer matches (schema drift).",
        [
            "Compare the source schema with the job's expectations",
            "Pin or validate the schema at ingestion",
            "Coordinate schema changes with upstream owners",
        ],
        "medium",
        0.8,
    ),
    (
        ("filenotfound", "file not found", "does not exist", "no such file", "path not found"),
        "An expected input was missing when the job ran (late or failed upstream delivery).",
        [
            "Check that the upstream producer finished",
            "Add a sensor or dependency on the input",
            "Make the job idempotent so it can be re-run",
        ],
        "medium",
        0.77,
    ),
)


def _error(call: Call, status: int, message: str, extra: dict):
    kind = {401: "invalid_request_error", 404: "invalid_request_error", 429: "rate_limit_exceeded"}.get(
        status, "server_error" if status >= 500 else "invalid_request_error"
    )
    code = extra.get("code", "invalid_api_key" if status == 401 else None)
    return json_reply({"error": {"message": message, "type": kind, "param": extra.get("param"), "code": code}}, status)


def _rate_limited(call: Call, status: int, retry_after: int):
    response = _error(call, status, "Rate limit reached for requests", {"code": "rate_limit_exceeded"})
    response.headers.update({"Retry-After": str(retry_after), "x-ratelimit-remaining-requests": "0"})
    return response


def _authenticate(call: Call, endpoint):
    if call.credential is None:
        return _error(call, 401, "You didn't provide an API key. Provide it as 'Authorization: Bearer <key>'.", {})
    return None


def analyse(text: str) -> dict:
    lowered = text.lower()
    scored = []
    for order, (keywords, cause, recommendations, severity, confidence) in enumerate(RULES):
        hits = sum(1 for word in keywords if word in lowered)
        if hits:
            scored.append((hits, -order, cause, recommendations, severity, confidence))
    if not scored:
        return {
            "root_cause": "The logs do not point at a single cause; the failure needs manual investigation.",
            "recommendations": ["Collect the full error trace and recent changes", "Re-run once to rule out a flake"],
            "severity": "low",
            "confidence": 0.3,
        }
    scored.sort(reverse=True)
    hits, _, cause, recommendations, severity, confidence = scored[0]
    return {
        "root_cause": cause,
        "recommendations": list(recommendations),
        "severity": severity,
        "confidence": round(min(0.97, confidence + 0.03 * (hits - 1)), 2),
    }


def models(call: Call):
    return json_reply(
        {
            "object": "list",
            "data": [
                {"id": m, "object": "model", "created": CREATED, "owned_by": "rfeplatform-sandbox"} for m in MODELS
            ],
        }
    )


def _prompt(messages: list) -> str:
    parts = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        if message.get("role") != "system" and content:
            parts.append(str(content))
    return "\n".join(parts)


def chat_completions(call: Call):
    data = call.data if isinstance(call.data, dict) else {}
    messages = data.get("messages")
    if not isinstance(messages, list) or not messages:
        raise Problem(400, "'messages' is a required property", param="messages")
    model = data.get("model")
    if not model:
        raise Problem(400, "you must provide a model parameter", param="model")
    if model not in MODELS:
        raise Problem(
            404, f"The model `{model}` does not exist or you do not have access to it.", code="model_not_found"
        )
    prompt = _prompt(messages)
    analysis = analyse(prompt)
    wants_json = (data.get("response_format") or {}).get("type") in ("json_object", "json_schema")
    if wants_json:
        content = json.dumps(analysis)
    else:
        steps = "\n".join(f"- {r}" for r in analysis["recommendations"])
        content = f"Root cause: {analysis['root_cause']}\nSeverity: {analysis['severity']}\nRecommendations:\n{steps}"
    if call.malformed:
        content = content[: len(content) // 2]
    digest = hashlib.sha256(f"{model}\n{prompt}\n{wants_json}".encode()).hexdigest()[:24]
    usage = {"prompt_tokens": len(prompt.split()), "completion_tokens": len(content.split())}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    if data.get("stream"):
        return _stream(digest, model, content)
    return json_reply(
        {
            "id": f"chatcmpl-{digest}",
            "object": "chat.completion",
            "created": CREATED,
            "model": model,
            "system_fingerprint": "fp_sandbox",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": usage,
        }
    )


def _stream(digest: str, model: str, content: str) -> Response:
    def chunk(delta: dict, finish: str | None) -> str:
        body = {
            "id": f"chatcmpl-{digest}",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        return f"data: {json.dumps(body)}\n\n"

    pieces = [chunk({"role": "assistant", "content": ""}, None)]
    pieces += [chunk({"content": content[i : i + 40]}, None) for i in range(0, len(content), 40)]
    pieces += [chunk({}, "stop"), "data: [DONE]\n\n"]
    return Response("".join(pieces), content_type="text/event-stream")


VENDOR = Vendor(
    "llm",
    [
        Rule("/v1/models", endpoint=models, methods=["GET"]),
        Rule("/v1/chat/completions", endpoint=chat_completions, methods=["POST"]),
    ],
    error=_error,
    authenticate=_authenticate,
    rate_limited=_rate_limited,
)
