"""Sends one trace (a parent and a child span) and three log records inside those spans to an
OTLP endpoint through the official OpenTelemetry Python SDK, then prints the ids and exact
nanosecond times it used as one JSON line on stdout, so that a test can look them up through
the collector's query API. Beyond the plain fields, what real services send: a tracestate
written by the sampler, a span link, the child exported before its parent, and an error logged
with Python's logging (`logger.exception`) through the SDK's LoggingHandler.

Usage: send.py <http|grpc> [endpoint]
  http: OTLP/HTTP protobuf, endpoint such as http://127.0.0.1:4318 (/v1/traces, /v1/logs appended)
  grpc: OTLP/gRPC, endpoint such as http://127.0.0.1:4317
The endpoint defaults to OTEL_EXPORTER_OTLP_ENDPOINT. Exits 1 when an export failed, 2 on bad usage.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Sequence

from opentelemetry import trace
from opentelemetry._logs import SeverityNumber
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler, ReadableLogRecord
from opentelemetry.sdk._logs.export import (
    BatchLogRecordProcessor,
    LogRecordExporter,
    LogRecordExportResult,
)
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState

SERVICE_NAME = "py-billing"
SCOPE_NAME = "tracedock.test.python-client"
# The standard-library logger whose records the LoggingHandler bridges: its name is their scope.
PAYMENTS_LOGGER = f"{SCOPE_NAME}.payments"
# What the sampler writes into a root span's tracestate: OpenTelemetry's consistent-sampling
# entry for "keep everything" (th:0) and a vendor entry.
TRACE_STATE = TraceState([("ot", "th:0"), ("tracedock", "python")])
# The child links to the message that asked for the charge, as its producer sent it (the W3C
# trace-context example ids), with the producer's own tracestate.
LINKED_CONTEXT = SpanContext(
    trace_id=0x0AF7651916CD43DD8448EB211C80319C,
    span_id=0xB7AD6B7169203331,
    is_remote=True,
    trace_flags=TraceFlags(TraceFlags.SAMPLED),
    trace_state=TraceState([("rojo", "00f067aa0ba902b7")]),
)
# Each export gets this long (seconds); a test kills the whole process after its own bound.
EXPORT_TIMEOUT_S = 5
MS = 1_000_000


class CheckedSpanExporter(SpanExporter):
    """Records failed exports: the batch processor only logs them, and a test must see a
    failure as a non-zero exit rather than as data that silently never arrives."""

    def __init__(self, inner: SpanExporter, failures: list[str]) -> None:
        self._inner = inner
        self._failures = failures

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        result = self._inner.export(spans)
        if result is not SpanExportResult.SUCCESS:
            self._failures.append(f"span export of {len(spans)} spans: {result.name}")
        return result

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


class CheckedLogExporter(LogRecordExporter):
    """As CheckedSpanExporter, for log records."""

    def __init__(self, inner: LogRecordExporter, failures: list[str]) -> None:
        self._inner = inner
        self._failures = failures

    def export(self, batch: Sequence[ReadableLogRecord]) -> LogRecordExportResult:
        result = self._inner.export(batch)
        if result is not LogRecordExportResult.SUCCESS:
            self._failures.append(f"log export of {len(batch)} records: {result.name}")
        return result

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._inner.force_flush(timeout_millis)


class TraceStateSampler(Sampler):
    """Samples every span and starts each trace with TRACE_STATE, as a vendor's sampler (or
    OpenTelemetry's consistent-probability one, which writes `ot=th:...`) writes its entry;
    a span with a parent keeps the parent's tracestate."""

    def should_sample(self, parent_context, trace_id, name, kind=None, attributes=None, links=None, trace_state=None):
        parent = trace.get_current_span(parent_context).get_span_context()
        state = parent.trace_state if parent.is_valid else TRACE_STATE
        return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, state)

    def get_description(self) -> str:
        return "TraceStateSampler"


def charge_card(amount: float) -> None:
    """Fails the way a payment call does: its frame is in the logged stack trace."""
    raise ValueError(f"card declined: insufficient_funds ({amount})")


def make_exporters(kind: str, endpoint: str) -> tuple[SpanExporter, LogRecordExporter]:
    if kind == "http":
        from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return (
            OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces", timeout=EXPORT_TIMEOUT_S),
            OTLPLogExporter(endpoint=f"{endpoint}/v1/logs", timeout=EXPORT_TIMEOUT_S),
        )
    if kind == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        # insecure: the collector's gRPC port speaks plaintext HTTP/2 on loopback.
        return (
            OTLPSpanExporter(endpoint=endpoint, insecure=True, timeout=EXPORT_TIMEOUT_S),
            OTLPLogExporter(endpoint=endpoint, insecure=True, timeout=EXPORT_TIMEOUT_S),
        )
    raise ValueError(f"exporter kind must be http or grpc, got {kind!r}")


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("http", "grpc"):
        print("usage: send.py <http|grpc> [endpoint]", file=sys.stderr)
        return 2
    kind = argv[1]
    endpoint = (argv[2] if len(argv) > 2 else os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "")).rstrip("/")
    if not endpoint:
        print("send.py: no endpoint (argument or OTEL_EXPORTER_OTLP_ENDPOINT)", file=sys.stderr)
        return 2

    failures: list[str] = []
    span_exporter, log_exporter = make_exporters(kind, endpoint)
    # Resource.create would add host/process detectors; the test only needs a known set.
    resource = Resource(
        {
            "service.name": SERVICE_NAME,
            "service.version": "0.0.1-test",
            "tracedock.test.exporter": f"python-{kind}",
            "deployment.environment": "staging",
        }
    )
    tracer_provider = TracerProvider(resource=resource, sampler=TraceStateSampler(), shutdown_on_exit=False)
    tracer_provider.add_span_processor(BatchSpanProcessor(CheckedSpanExporter(span_exporter, failures)))
    logger_provider = LoggerProvider(resource=resource, shutdown_on_exit=False)
    logger_provider.add_log_record_processor(BatchLogRecordProcessor(CheckedLogExporter(log_exporter, failures)))

    tracer = tracer_provider.get_tracer(SCOPE_NAME, "0.0.1")
    logger = logger_provider.get_logger(SCOPE_NAME, "0.0.1")
    # Python's own logging, as applications log: the handler turns logger.exception into a
    # record with exception.type, exception.message and exception.stacktrace attributes.
    payments_log = logging.getLogger(PAYMENTS_LOGGER)
    payments_log.setLevel(logging.INFO)
    payments_log.propagate = False
    log_handler = LoggingHandler(logger_provider=logger_provider)
    payments_log.addHandler(log_handler)

    # Explicit times with a sub-millisecond part prove the collector keeps nanoseconds.
    base = time.time_ns() // MS * MS
    parent_start, child_start = base + 321, base + 2 * MS + 654
    child_end, parent_end = base + 6 * MS + 987, base + 8 * MS + 5

    with tracer.start_as_current_span(
        "POST /invoices",
        kind=SpanKind.SERVER,
        start_time=parent_start,
        end_on_exit=False,
        attributes={
            "http.request.method": "POST",
            "http.response.status_code": 201,
            "invoice.amount": 19.75,
            "invoice.paid": True,
            "invoice.lines": ["line-a", "line-b"],
        },
    ) as parent:
        parent_body = f"python {kind}: invoice created"
        # No context argument: the record takes trace and span ids from the current span.
        logger.emit(
            severity_number=SeverityNumber.INFO,
            severity_text="INFO",
            body=parent_body,
            attributes={"invoice.id": "inv-7"},
        )
        with tracer.start_as_current_span(
            "charge card",
            kind=SpanKind.CLIENT,
            start_time=child_start,
            end_on_exit=False,
            attributes={"payment.provider": "fakepay", "payment.attempt": 2},
            links=[Link(LINKED_CONTEXT, {"messaging.message.id": "charge-inv-7", "messaging.delivery.attempt": 2})],
        ) as child:
            child.add_event("card declined", {"decline.code": "insufficient_funds"}, timestamp=child_start + MS)
            child.set_status(Status(StatusCode.ERROR, "card declined"))
            child_body = f"python {kind}: payment failed"
            logger.emit(
                severity_number=SeverityNumber.ERROR,
                severity_text="ERROR",
                body=child_body,
                attributes={"payment.attempt": 2},
            )
            try:
                charge_card(19.75)
            except ValueError:
                payments_log.exception("python %s: charge of invoice %s failed", kind, "inv-7", extra={"invoice.id": "inv-7"})
            exception_body = f"python {kind}: charge of invoice inv-7 failed"
            child.end(end_time=child_end)
        # The child goes out in an export of its own before its parent, as a long request's
        # inner spans do: the trace must still list the root first.
        if not tracer_provider.force_flush(EXPORT_TIMEOUT_S * 1000):
            failures.append("force_flush of the child span timed out")
        parent.end(end_time=parent_end)

    payments_log.removeHandler(log_handler)
    # shutdown() flushes both batch processors before it returns.
    tracer_provider.shutdown()
    logger_provider.shutdown()
    if failures:
        print("send.py: " + "; ".join(failures), file=sys.stderr)
        return 1

    def hex_span(span: trace.Span) -> str:
        return format(span.get_span_context().span_id, "016x")

    out = {
        "traceId": format(parent.get_span_context().trace_id, "032x"),
        "service": SERVICE_NAME,
        "spans": {
            "parent": {"spanId": hex_span(parent), "name": "POST /invoices", "startNs": str(parent_start), "endNs": str(parent_end)},
            "child": {"spanId": hex_span(child), "name": "charge card", "startNs": str(child_start), "endNs": str(child_end)},
        },
        "logs": [
            {"spanId": hex_span(parent), "body": parent_body},
            {"spanId": hex_span(child), "body": child_body},
            {"spanId": hex_span(child), "body": exception_body},
        ],
    }
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
