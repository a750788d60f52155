// Command otlp-go-client sends one trace (parent and child span) and two log records inside
// those spans to an OTLP/HTTP endpoint through the official OpenTelemetry Go SDK, then prints
// the ids it used as one JSON line on stdout, so that a test can look them up through the
// collector's query API. Beyond the plain fields, what real services send: a tracestate
// written by the sampler, a span link, a versioned instrumentation scope, and the child span
// exported before its parent.
//
// Usage: otlp-go-client [endpoint]   (endpoint such as http://127.0.0.1:4318; default: the
// OTEL_EXPORTER_OTLP_ENDPOINT environment variable). Exits non-zero when an export failed.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otellog "go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const (
	serviceName  = "go-checkout"
	scopeName    = "tracedock.test/otlp-go-client"
	scopeVersion = "0.0.1"
	// What the sampler writes into a root span's tracestate: OpenTelemetry's consistent-sampling
	// entry for "keep everything" (th:0) and a vendor entry.
	rootTraceState = "ot=th:0,tracedock=go"
	// Each export gets this long; shutdown as a whole gets a little more.
	exportTimeout   = 5 * time.Second
	shutdownTimeout = 15 * time.Second
)

// spanOut and result are what the test reads: ids and exact nanosecond times.
type spanOut struct {
	SpanID  string `json:"spanId"`
	Name    string `json:"name"`
	StartNs string `json:"startNs"`
	EndNs   string `json:"endNs"`
}

type logOut struct {
	SpanID string `json:"spanId"`
	Body   string `json:"body"`
}

type result struct {
	TraceID string             `json:"traceId"`
	Service string             `json:"service"`
	Spans   map[string]spanOut `json:"spans"`
	Logs    []logOut           `json:"logs"`
}

// failures collects export errors: the SDK's batch processors only report them to the
// global error handler, and a test must see them as a non-zero exit, not as missing data.
type failures struct {
	mu   sync.Mutex
	errs []error
}

func (f *failures) add(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, err)
}

func (f *failures) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return errors.Join(f.errs...)
}

type checkedSpanExporter struct {
	sdktrace.SpanExporter
	failed *failures
}

func (e checkedSpanExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	err := e.SpanExporter.ExportSpans(ctx, spans)
	if err != nil {
		e.failed.add(fmt.Errorf("trace export: %w", err))
	}
	return err
}

type checkedLogExporter struct {
	sdklog.Exporter
	failed *failures
}

func (e checkedLogExporter) Export(ctx context.Context, records []sdklog.Record) error {
	err := e.Exporter.Export(ctx, records)
	if err != nil {
		e.failed.add(fmt.Errorf("log export: %w", err))
	}
	return err
}

// traceStateSampler samples every span and starts each trace with its root tracestate, as a
// vendor's sampler (or OpenTelemetry's consistent-probability one, which writes `ot=th:...`)
// writes its entry; a span with a parent keeps the parent's tracestate.
type traceStateSampler struct{ root trace.TraceState }

func (s traceStateSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	state := s.root
	if parent := trace.SpanContextFromContext(p.ParentContext); parent.IsValid() {
		state = parent.TraceState()
	}
	return sdktrace.SamplingResult{Decision: sdktrace.RecordAndSample, Tracestate: state}
}

func (traceStateSampler) Description() string { return "traceStateSampler" }

// linkedSpan is the cache-refresh job the child's query was batched with, as its producer
// sent it (the W3C trace-context example ids), with the producer's own tracestate.
func linkedSpan() (trace.SpanContext, error) {
	traceID, err := trace.TraceIDFromHex("0af7651916cd43dd8448eb211c80319c")
	if err != nil {
		return trace.SpanContext{}, err
	}
	spanID, err := trace.SpanIDFromHex("b7ad6b7169203331")
	if err != nil {
		return trace.SpanContext{}, err
	}
	state, err := trace.ParseTraceState("rojo=00f067aa0ba902b7")
	if err != nil {
		return trace.SpanContext{}, err
	}
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: traceID, SpanID: spanID, TraceFlags: trace.FlagsSampled, TraceState: state, Remote: true,
	}), nil
}

func endpointFromArgs() (string, error) {
	endpoint := os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	if len(os.Args) > 1 {
		endpoint = os.Args[1]
	}
	if endpoint == "" {
		return "", errors.New("usage: otlp-go-client <endpoint> (or set OTEL_EXPORTER_OTLP_ENDPOINT), e.g. http://127.0.0.1:4318")
	}
	return strings.TrimRight(endpoint, "/"), nil
}

func nsString(t time.Time) string { return fmt.Sprintf("%d", t.UnixNano()) }

func run() error {
	endpoint, err := endpointFromArgs()
	if err != nil {
		return err
	}
	ctx := context.Background()
	failed := &failures{}
	rootState, err := trace.ParseTraceState(rootTraceState)
	if err != nil {
		return fmt.Errorf("the root tracestate: %w", err)
	}
	linked, err := linkedSpan()
	if err != nil {
		return fmt.Errorf("the linked span context: %w", err)
	}

	res := resource.NewSchemaless(
		attribute.String("service.name", serviceName),
		attribute.String("service.version", "0.0.1-test"),
		attribute.String("telemetry.sdk.language", "go"),
		attribute.String("deployment.environment.name", "staging"),
	)

	traceExporter, err := otlptracehttp.New(ctx,
		otlptracehttp.WithEndpointURL(endpoint+"/v1/traces"),
		otlptracehttp.WithTimeout(exportTimeout),
	)
	if err != nil {
		return fmt.Errorf("creating the trace exporter: %w", err)
	}
	tracerProvider := sdktrace.NewTracerProvider(
		sdktrace.WithResource(res),
		sdktrace.WithSampler(traceStateSampler{rootState}),
		sdktrace.WithBatcher(checkedSpanExporter{traceExporter, failed}),
	)

	logExporter, err := otlploghttp.New(ctx,
		otlploghttp.WithEndpointURL(endpoint+"/v1/logs"),
		otlploghttp.WithTimeout(exportTimeout),
	)
	if err != nil {
		return fmt.Errorf("creating the log exporter: %w", err)
	}
	loggerProvider := sdklog.NewLoggerProvider(
		sdklog.WithResource(res),
		sdklog.WithProcessor(sdklog.NewBatchProcessor(checkedLogExporter{logExporter, failed})),
	)

	tracer := tracerProvider.Tracer(scopeName, trace.WithInstrumentationVersion(scopeVersion))
	logger := loggerProvider.Logger(scopeName, otellog.WithInstrumentationVersion(scopeVersion))
	emit := func(ctx context.Context, severity otellog.Severity, body string, attrs ...attribute.KeyValue) {
		var rec otellog.Record
		rec.SetTimestamp(time.Now())
		rec.SetSeverity(severity)
		rec.SetSeverityText(severity.String())
		rec.SetBody(attribute.StringValue(body))
		rec.AddAttributes(attrs...)
		// The trace and span ids come from the span in ctx.
		logger.Emit(ctx, rec)
	}

	// Explicit times with a sub-millisecond part prove the collector keeps nanoseconds.
	base := time.Now().Truncate(time.Millisecond)
	parentStart := base.Add(123 * time.Nanosecond)
	childStart := base.Add(2*time.Millisecond + 456*time.Nanosecond)
	childEnd := base.Add(7*time.Millisecond + 789*time.Nanosecond)
	parentEnd := base.Add(9*time.Millisecond + 1*time.Nanosecond)

	parentCtx, parent := tracer.Start(ctx, "GET /cart",
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithTimestamp(parentStart),
		trace.WithAttributes(
			attribute.String("http.request.method", "GET"),
			attribute.Int64("http.response.status_code", 200),
			attribute.Float64("cart.total", 42.5),
			attribute.Bool("cart.empty", false),
			attribute.StringSlice("cart.skus", []string{"sku-1", "sku-2"}),
			attribute.Int64Slice("cart.quantities", []int64{1, 3}),
		),
	)
	parentBody := "go: cart requested"
	emit(parentCtx, otellog.SeverityInfo, parentBody, attribute.String("cart.id", "c-42"))

	childCtx, child := tracer.Start(parentCtx, "SELECT carts",
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(childStart),
		trace.WithAttributes(
			attribute.String("db.system.name", "postgresql"),
			attribute.Int64("db.response.returned_rows", 2),
		),
		trace.WithLinks(trace.Link{
			SpanContext: linked,
			Attributes:  []attribute.KeyValue{attribute.String("link.reason", "batched with"), attribute.Int64("batch.size", 3)},
		}),
	)
	child.AddEvent("rows fetched", trace.WithAttributes(attribute.Int64("rows", 2)))
	child.SetStatus(codes.Error, "slow query")
	childBody := "go: query was slow"
	emit(childCtx, otellog.SeverityWarn, childBody, attribute.Int64("db.duration_ms", 5))
	child.End(trace.WithTimestamp(childEnd))
	// The child goes out in an export of its own before its parent, as a long request's inner
	// spans do: the trace must still list the root first. Its error joins the shutdown's.
	flushCtx, cancelFlush := context.WithTimeout(ctx, exportTimeout)
	flushErr := tracerProvider.ForceFlush(flushCtx)
	cancelFlush()
	parent.End(trace.WithTimestamp(parentEnd))

	shutdownCtx, cancel := context.WithTimeout(ctx, shutdownTimeout)
	defer cancel()
	// Shutdown flushes the batch processors; both providers are shut down even if one fails.
	shutdownErr := errors.Join(flushErr, tracerProvider.Shutdown(shutdownCtx), loggerProvider.Shutdown(shutdownCtx))
	if err := errors.Join(shutdownErr, failed.err()); err != nil {
		return err
	}

	out := result{
		TraceID: parent.SpanContext().TraceID().String(),
		Service: serviceName,
		Spans: map[string]spanOut{
			"parent": {parent.SpanContext().SpanID().String(), "GET /cart", nsString(parentStart), nsString(parentEnd)},
			"child":  {child.SpanContext().SpanID().String(), "SELECT carts", nsString(childStart), nsString(childEnd)},
		},
		Logs: []logOut{
			{parent.SpanContext().SpanID().String(), parentBody},
			{child.SpanContext().SpanID().String(), childBody},
		},
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "otlp-go-client:", err)
		os.Exit(1)
	}
}
