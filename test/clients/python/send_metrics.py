"""Records known measurements on every kind of OpenTelemetry instrument through the official
Python SDK (MeterProvider, views for explicit and exponential histograms), exports them once
to an OTLP endpoint when the provider shuts down, and prints as one JSON line on stdout what
was recorded and what the exporter sent (the data points as handed to the OTLP exporter), so
that a test can compare the collector's query API with both.

Usage: send_metrics.py <http|grpc> [endpoint]
  http: OTLP/HTTP protobuf, endpoint such as http://127.0.0.1:4318 (/v1/metrics appended)
  grpc: OTLP/gRPC, endpoint such as http://127.0.0.1:4317
The endpoint defaults to OTEL_EXPORTER_OTLP_ENDPOINT. Exits 1 when an export failed, 2 on bad usage.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterable
from typing import Any

from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.sdk.metrics import (
    Counter,
    Histogram,
    MeterProvider,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)
from opentelemetry.sdk.metrics.export import (
    AggregationTemporality,
    ExponentialHistogram,
    Gauge,
    Histogram as HistogramData,
    MetricExporter,
    MetricExportResult,
    MetricsData,
    PeriodicExportingMetricReader,
    Sum,
)
from opentelemetry.sdk.metrics.view import (
    ExplicitBucketHistogramAggregation,
    ExponentialBucketHistogramAggregation,
    View,
)
from opentelemetry.sdk.resources import Resource

SCOPE_NAME = "tracedock.test.python-metrics"
# Each export gets this long (seconds); a test kills the whole process after its own bound.
EXPORT_TIMEOUT_S = 5
HISTOGRAM_BOUNDS = [5.0, 10.0, 25.0, 50.0, 100.0]

# What is recorded, per instrument and attribute set (tuples of items: dicts are unhashable).
# 10.0 sits exactly on a bound: explicit buckets include their upper bound.
COUNTER_ADDS = {
    (("invoice.currency", "EUR"), ("invoice.paid", True), ("invoice.lines", 3)): [2, 5],
    (("invoice.currency", "USD"), ("invoice.paid", False), ("invoice.discount", 0.15)): [1],
}
UP_DOWN_ADDS = {
    (("queue", "billing"),): [5, -2],
    (("queue", "refunds"),): [1, -4],
}
HISTOGRAM_VALUES = {
    (("http.route", "/invoices"), ("http.response.status_code", 201)): [0.5, 3.25, 7.0, 10.0, 12.5, 48.0, 250.75],
    (("http.route", "/refunds"), ("http.response.status_code", 500)): [99.5],
}
# 0 goes to the zero bucket; 0.25 is a power of two (a bucket's exact upper bound).
EXPONENTIAL_VALUES = {
    (("invoice.format", "pdf"),): [0.0, 0.25, 1.5, 3.0, 3.0, 12.0, 100.0, 4096.5],
    (("invoice.format", "xml"),): [42.0],
}
GAUGE_FLOAT = {(("currency.pair", "EURUSD"),): 1.0825}
GAUGE_INT = {(("worker.pool", "pdf"),): 4}


class CapturingMetricExporter(MetricExporter):
    """Keeps what each export handed to the OTLP exporter (the truth the test compares with)
    and records failed exports: the reader only logs them, and a test must see a failure as a
    non-zero exit rather than as data that silently never arrives."""

    def __init__(self, inner: MetricExporter, sent: list[MetricsData], failures: list[str]) -> None:
        # The reader takes temporality and aggregation preferences from its exporter.
        super().__init__(
            preferred_temporality=inner._preferred_temporality,
            preferred_aggregation=inner._preferred_aggregation,
        )
        self._inner = inner
        self._sent = sent
        self._failures = failures

    def export(self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any) -> MetricExportResult:
        result = self._inner.export(metrics_data, timeout_millis=timeout_millis, **kwargs)
        if result is MetricExportResult.SUCCESS:
            self._sent.append(metrics_data)
        else:
            self._failures.append(f"metric export: {result.name}")
        return result

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return self._inner.force_flush(timeout_millis)

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        self._inner.shutdown(timeout_millis=timeout_millis, **kwargs)


# Cumulative for every instrument, whatever OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE says.
CUMULATIVE = {
    kind: AggregationTemporality.CUMULATIVE
    for kind in (Counter, UpDownCounter, Histogram, ObservableCounter, ObservableUpDownCounter, ObservableGauge)
}


def make_exporter(kind: str, endpoint: str) -> MetricExporter:
    if kind == "http":
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

        return OTLPMetricExporter(endpoint=f"{endpoint}/v1/metrics", timeout=EXPORT_TIMEOUT_S, preferred_temporality=CUMULATIVE)
    if kind == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter

        # insecure: the collector's gRPC port speaks plaintext HTTP/2 on loopback.
        return OTLPMetricExporter(endpoint=endpoint, insecure=True, timeout=EXPORT_TIMEOUT_S, preferred_temporality=CUMULATIVE)
    raise ValueError(f"exporter kind must be http or grpc, got {kind!r}")


def point_report(point: Any, recorded: dict[tuple, Any]) -> dict[str, Any]:
    """One exported data point in the report's shape (see test/clients/metric-report.ts)."""
    attrs = dict(point.attributes or {})
    key = tuple(attrs.items())
    values = recorded.get(key)
    if values is None:
        raise ValueError(f"exported attribute set {attrs} was never recorded")
    out: dict[str, Any] = {
        "attributes": attrs,
        "timeNs": str(point.time_unix_nano),
        # Gauges carry no start time in this SDK; OTLP then sends 0.
        "startTimeNs": str(point.start_time_unix_nano or 0),
        "recorded": values if isinstance(values, list) else [values],
    }
    if hasattr(point, "value"):
        out["value"] = point.value
        out["valueIsInt"] = isinstance(point.value, int)
        return out
    out.update({"count": point.count, "sum": point.sum, "min": point.min, "max": point.max})
    if hasattr(point, "explicit_bounds"):
        out["bounds"] = list(point.explicit_bounds)
        out["bucketCounts"] = list(point.bucket_counts)
    else:
        out["scale"] = point.scale
        out["zeroCount"] = point.zero_count
        out["zeroThreshold"] = 0
        out["positive"] = {"offset": point.positive.offset, "counts": list(point.positive.bucket_counts)}
        out["negative"] = {"offset": point.negative.offset, "counts": list(point.negative.bucket_counts)}
    return out


def metric_report(metric: Any, recorded: dict[tuple, Any]) -> dict[str, Any]:
    data = metric.data
    if isinstance(data, Sum):
        kind, monotonic = "sum", data.is_monotonic
    elif isinstance(data, Gauge):
        kind, monotonic = "gauge", False
    elif isinstance(data, HistogramData):
        kind, monotonic = "histogram", False
    elif isinstance(data, ExponentialHistogram):
        kind, monotonic = "exponential_histogram", False
    else:
        raise ValueError(f"unexpected data {type(data).__name__} for {metric.name}")
    temporality = getattr(data, "aggregation_temporality", None)
    return {
        "name": metric.name,
        "description": metric.description,
        "unit": metric.unit,
        "type": kind,
        "temporality": "unspecified" if temporality is None else temporality.name.lower(),
        "monotonic": monotonic,
        "series": [point_report(p, recorded) for p in data.data_points],
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] not in ("http", "grpc"):
        print("usage: send_metrics.py <http|grpc> [endpoint]", file=sys.stderr)
        return 2
    kind = argv[1]
    endpoint = (argv[2] if len(argv) > 2 else os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "")).rstrip("/")
    if not endpoint:
        print("send_metrics.py: no endpoint (argument or OTEL_EXPORTER_OTLP_ENDPOINT)", file=sys.stderr)
        return 2

    service = f"py-metrics-{kind}"
    failures: list[str] = []
    sent: list[MetricsData] = []
    exporter = CapturingMetricExporter(make_exporter(kind, endpoint), sent, failures)
    # An infinite interval starts no timer thread: the one export is the force_flush() below.
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=math.inf)
    provider = MeterProvider(
        metric_readers=[reader],
        # Resource.create would add host/process detectors; the test only needs a known set.
        resource=Resource({"service.name": service, "service.version": "0.0.1-test", "tracedock.test.exporter": f"python-{kind}"}),
        views=[
            View(instrument_name="invoice.render.duration", aggregation=ExplicitBucketHistogramAggregation(boundaries=HISTOGRAM_BOUNDS)),
            View(instrument_name="invoice.payload.size", aggregation=ExponentialBucketHistogramAggregation()),
        ],
        shutdown_on_exit=False,
    )
    meter = provider.get_meter(SCOPE_NAME, "0.0.1")

    counter = meter.create_counter("invoices.created", unit="{invoice}", description="Invoices created.")
    up_down = meter.create_up_down_counter("invoices.open", unit="{invoice}", description="Invoices not yet paid.")
    histogram = meter.create_histogram("invoice.render.duration", unit="ms", description="Time to render an invoice.")
    exponential = meter.create_histogram("invoice.payload.size", unit="By", description="Size of a rendered invoice.")

    def observe(values: dict[tuple, float | int]) -> Any:
        def callback(_options: CallbackOptions) -> Iterable[Observation]:
            return [Observation(v, dict(k)) for k, v in values.items()]

        return callback

    meter.create_observable_gauge("billing.exchange.rate", callbacks=[observe(GAUGE_FLOAT)], unit="1", description="EUR in USD.")
    meter.create_observable_gauge("billing.workers.busy", callbacks=[observe(GAUGE_INT)], unit="{worker}", description="Busy render workers.")

    for attrs, adds in COUNTER_ADDS.items():
        for amount in adds:
            counter.add(amount, dict(attrs))
    for attrs, adds in UP_DOWN_ADDS.items():
        for amount in adds:
            up_down.add(amount, dict(attrs))
    for attrs, values in HISTOGRAM_VALUES.items():
        for value in values:
            histogram.record(value, dict(attrs))
    for attrs, values in EXPONENTIAL_VALUES.items():
        for value in values:
            exponential.record(value, dict(attrs))

    # force_flush() collects once (calling the gauge callbacks) and exports before it returns;
    # with no timer thread, shutdown() would export nothing.
    provider.force_flush()
    provider.shutdown()
    if failures:
        print("send_metrics.py: " + "; ".join(failures), file=sys.stderr)
        return 1
    if len(sent) != 1:
        print(f"send_metrics.py: expected one export from force_flush, saw {len(sent)}", file=sys.stderr)
        return 1

    recorded = {
        "invoices.created": COUNTER_ADDS,
        "invoices.open": UP_DOWN_ADDS,
        "invoice.render.duration": HISTOGRAM_VALUES,
        "invoice.payload.size": EXPONENTIAL_VALUES,
        "billing.exchange.rate": GAUGE_FLOAT,
        "billing.workers.busy": GAUGE_INT,
    }
    metrics = [
        metric_report(metric, recorded[metric.name])
        for rm in sent[0].resource_metrics
        for sm in rm.scope_metrics
        for metric in sm.metrics
    ]
    print(json.dumps({"service": service, "scope": SCOPE_NAME, "metrics": metrics}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
