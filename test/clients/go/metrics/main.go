// Command otlp-go-metrics records known measurements on every kind of OpenTelemetry
// instrument through the official Go SDK (sdk/metric with otlpmetrichttp or otlpmetricgrpc),
// exports them once when the provider shuts down, and prints as one JSON line on stdout what
// was recorded and what the exporter sent (the data points as handed to the OTLP exporter), so
// that a test can compare the collector's query API with both (test/clients/metric-report.ts).
//
// Usage: otlp-go-metrics <http|grpc> [endpoint]
//
//	http: OTLP/HTTP protobuf, endpoint such as http://127.0.0.1:4318 (/v1/metrics appended)
//	grpc: OTLP/gRPC, endpoint such as http://127.0.0.1:4317
//
// The endpoint defaults to OTEL_EXPORTER_OTLP_ENDPOINT. Exits 1 when an export failed, 2 on bad usage.
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
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
)

const (
	scopeName = "tracedock.test/otlp-go-metrics"
	// Each export gets this long; shutdown as a whole gets a little more.
	exportTimeout   = 5 * time.Second
	shutdownTimeout = 15 * time.Second
	// Longer than any run: the one export is the one Shutdown makes.
	readerInterval = time.Hour
)

// histogramBounds is set through the API's explicit-boundary option; 10 sits exactly on a
// bound in the recorded values: explicit buckets include their upper bound.
var histogramBounds = []float64{5, 10, 25, 50, 100}

// measurements recorded on one attribute set of one instrument.
type recording[N int64 | float64] struct {
	attrs  []attribute.KeyValue
	values []N
}

var (
	counterAdds = []recording[int64]{
		{[]attribute.KeyValue{attribute.String("cart.currency", "EUR"), attribute.Bool("cart.guest", true), attribute.Int("cart.items", 3)}, []int64{2, 5}},
		{[]attribute.KeyValue{attribute.String("cart.currency", "USD"), attribute.Float64("cart.discount", 0.15), attribute.StringSlice("cart.tags", []string{"promo", "mobile"})}, []int64{1}},
	}
	upDownAdds = []recording[int64]{
		{[]attribute.KeyValue{attribute.String("queue", "checkout")}, []int64{5, -2}},
		{[]attribute.KeyValue{attribute.String("queue", "returns")}, []int64{1, -4}},
	}
	histogramValues = []recording[float64]{
		{[]attribute.KeyValue{attribute.String("http.route", "/cart"), attribute.Int("http.response.status_code", 200)}, []float64{0.5, 3.25, 7, 10, 12.5, 48, 250.75}},
		{[]attribute.KeyValue{attribute.String("http.route", "/pay"), attribute.Int("http.response.status_code", 502)}, []float64{99.5}},
	}
	// 0 goes to the zero bucket; 0.25 is a power of two (a bucket's exact upper bound).
	exponentialValues = []recording[float64]{
		{[]attribute.KeyValue{attribute.String("cart.format", "json")}, []float64{0, 0.25, 1.5, 3, 3, 12, 100, 4096.5}},
		{[]attribute.KeyValue{attribute.String("cart.format", "xml")}, []float64{42}},
	}
	gaugeFloat = []recording[float64]{{[]attribute.KeyValue{attribute.String("currency.pair", "EURUSD")}, []float64{1.0825}}}
	gaugeInt   = []recording[int64]{{[]attribute.KeyValue{attribute.String("worker.pool", "checkout")}, []int64{4}}}
)

// seriesOut and metricOut are what the test reads (test/clients/metric-report.ts).
type bucketsOut struct {
	Offset int32    `json:"offset"`
	Counts []uint64 `json:"counts"`
}

type seriesOut struct {
	Attributes  map[string]any `json:"attributes"`
	TimeNs      string         `json:"timeNs"`
	StartTimeNs string         `json:"startTimeNs"`
	Recorded    []any          `json:"recorded"`
	Value       any            `json:"value,omitempty"`
	ValueIsInt  *bool          `json:"valueIsInt,omitempty"`
	Count       *uint64        `json:"count,omitempty"`
	Sum         *float64       `json:"sum,omitempty"`
	Min         *float64       `json:"min,omitempty"`
	Max         *float64       `json:"max,omitempty"`
	Bounds      []float64      `json:"bounds,omitempty"`
	BucketCount []uint64       `json:"bucketCounts,omitempty"`
	Scale       *int32         `json:"scale,omitempty"`
	ZeroCount   *uint64        `json:"zeroCount,omitempty"`
	ZeroThresh  *float64       `json:"zeroThreshold,omitempty"`
	Positive    *bucketsOut    `json:"positive,omitempty"`
	Negative    *bucketsOut    `json:"negative,omitempty"`
}

type metricOut struct {
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Unit        string      `json:"unit"`
	Type        string      `json:"type"`
	Temporality string      `json:"temporality"`
	Monotonic   bool        `json:"monotonic"`
	Series      []seriesOut `json:"series"`
}

type reportOut struct {
	Service string      `json:"service"`
	Scope   string      `json:"scope"`
	Metrics []metricOut `json:"metrics"`
}

// capturingExporter keeps what each export handed to the OTLP exporter, converted at once
// (the reader reuses its buffers after Export returns), and records failed exports: the
// reader only reports them to the global error handler, and a test must see a failure as a
// non-zero exit rather than as data that silently never arrives.
type capturingExporter struct {
	sdkmetric.Exporter
	recorded map[string]map[attribute.Distinct][]any
	mu       sync.Mutex
	exports  [][]metricOut
	errs     []error
}

func (e *capturingExporter) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	var metrics []metricOut
	var convErr error
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out, err := e.metricReport(m)
			convErr = errors.Join(convErr, err)
			metrics = append(metrics, out)
		}
	}
	err := e.Exporter.Export(ctx, rm)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("metric export: %w", err))
	} else {
		e.exports = append(e.exports, metrics)
	}
	e.errs = append(e.errs, convErr)
	return err
}

func nsString(t time.Time) string {
	if t.IsZero() {
		return "0" // the OTLP exporter sends 0 for a missing start time
	}
	return fmt.Sprintf("%d", t.UnixNano())
}

func attrsOut(set attribute.Set) map[string]any {
	out := map[string]any{}
	for _, kv := range set.ToSlice() {
		out[string(kv.Key)] = kv.Value.AsInterface()
	}
	return out
}

func (e *capturingExporter) series(name string, set attribute.Set, start, t time.Time) (seriesOut, error) {
	recorded, ok := e.recorded[name][set.Equivalent()]
	if !ok {
		return seriesOut{}, fmt.Errorf("%s: exported attribute set %v was never recorded", name, attrsOut(set))
	}
	return seriesOut{Attributes: attrsOut(set), TimeNs: nsString(t), StartTimeNs: nsString(start), Recorded: recorded}, nil
}

func numberPoints[N int64 | float64](name string, e *capturingExporter, pts []metricdata.DataPoint[N]) ([]seriesOut, error) {
	var out []seriesOut
	var errs error
	for _, p := range pts {
		s, err := e.series(name, p.Attributes, p.StartTime, p.Time)
		errs = errors.Join(errs, err)
		isInt := false
		if _, ok := any(p.Value).(int64); ok {
			isInt = true
		}
		s.Value, s.ValueIsInt = p.Value, &isInt
		out = append(out, s)
	}
	return out, errs
}

func extrema(x metricdata.Extrema[float64]) *float64 {
	if v, ok := x.Value(); ok {
		return &v
	}
	return nil
}

func (e *capturingExporter) metricReport(m metricdata.Metrics) (metricOut, error) {
	out := metricOut{Name: m.Name, Description: m.Description, Unit: m.Unit, Temporality: "unspecified"}
	var err error
	temporality := func(t metricdata.Temporality) string {
		switch t {
		case metricdata.CumulativeTemporality:
			return "cumulative"
		case metricdata.DeltaTemporality:
			return "delta"
		}
		return "unspecified"
	}
	switch data := m.Data.(type) {
	case metricdata.Sum[int64]:
		out.Type, out.Temporality, out.Monotonic = "sum", temporality(data.Temporality), data.IsMonotonic
		out.Series, err = numberPoints(m.Name, e, data.DataPoints)
	case metricdata.Gauge[int64]:
		out.Type = "gauge"
		out.Series, err = numberPoints(m.Name, e, data.DataPoints)
	case metricdata.Gauge[float64]:
		out.Type = "gauge"
		out.Series, err = numberPoints(m.Name, e, data.DataPoints)
	case metricdata.Histogram[float64]:
		out.Type, out.Temporality = "histogram", temporality(data.Temporality)
		for _, p := range data.DataPoints {
			s, serr := e.series(m.Name, p.Attributes, p.StartTime, p.Time)
			err = errors.Join(err, serr)
			count, sum := p.Count, p.Sum
			s.Count, s.Sum, s.Min, s.Max = &count, &sum, extrema(p.Min), extrema(p.Max)
			s.Bounds, s.BucketCount = append([]float64{}, p.Bounds...), append([]uint64{}, p.BucketCounts...)
			out.Series = append(out.Series, s)
		}
	case metricdata.ExponentialHistogram[float64]:
		out.Type, out.Temporality = "exponential_histogram", temporality(data.Temporality)
		for _, p := range data.DataPoints {
			s, serr := e.series(m.Name, p.Attributes, p.StartTime, p.Time)
			err = errors.Join(err, serr)
			count, sum, scale, zeroCount, zeroThreshold := p.Count, p.Sum, p.Scale, p.ZeroCount, p.ZeroThreshold
			s.Count, s.Sum, s.Min, s.Max = &count, &sum, extrema(p.Min), extrema(p.Max)
			s.Scale, s.ZeroCount, s.ZeroThresh = &scale, &zeroCount, &zeroThreshold
			s.Positive = &bucketsOut{p.PositiveBucket.Offset, append([]uint64{}, p.PositiveBucket.Counts...)}
			s.Negative = &bucketsOut{p.NegativeBucket.Offset, append([]uint64{}, p.NegativeBucket.Counts...)}
			out.Series = append(out.Series, s)
		}
	default:
		err = fmt.Errorf("%s: unexpected data %T", m.Name, m.Data)
	}
	return out, err
}

func cumulative(sdkmetric.InstrumentKind) metricdata.Temporality {
	// Cumulative for every instrument, whatever the environment prefers.
	return metricdata.CumulativeTemporality
}

func newExporter(ctx context.Context, kind, endpoint string) (sdkmetric.Exporter, error) {
	switch kind {
	case "http":
		return otlpmetrichttp.New(ctx,
			otlpmetrichttp.WithEndpointURL(endpoint+"/v1/metrics"),
			otlpmetrichttp.WithTimeout(exportTimeout),
			otlpmetrichttp.WithTemporalitySelector(cumulative),
		)
	case "grpc":
		// WithEndpointURL with http:// makes the connection plaintext, as the collector's gRPC port on loopback speaks.
		return otlpmetricgrpc.New(ctx,
			otlpmetricgrpc.WithEndpointURL(endpoint),
			otlpmetricgrpc.WithInsecure(),
			otlpmetricgrpc.WithTimeout(exportTimeout),
			otlpmetricgrpc.WithTemporalitySelector(cumulative),
		)
	}
	return nil, fmt.Errorf("exporter kind must be http or grpc, got %q", kind)
}

// recordedByName indexes what was recorded by metric name and attribute set.
func recordedByName() map[string]map[attribute.Distinct][]any {
	out := map[string]map[attribute.Distinct][]any{}
	add := func(name string, attrs []attribute.KeyValue, values []any) {
		if out[name] == nil {
			out[name] = map[attribute.Distinct][]any{}
		}
		set := attribute.NewSet(attrs...)
		out[name][set.Equivalent()] = values
	}
	anyInts := func(vs []int64) []any {
		out := make([]any, len(vs))
		for i, v := range vs {
			out[i] = v
		}
		return out
	}
	anyFloats := func(vs []float64) []any {
		out := make([]any, len(vs))
		for i, v := range vs {
			out[i] = v
		}
		return out
	}
	for _, r := range counterAdds {
		add("cart.checkouts", r.attrs, anyInts(r.values))
	}
	for _, r := range upDownAdds {
		add("cart.open", r.attrs, anyInts(r.values))
	}
	for _, r := range histogramValues {
		add("cart.request.duration", r.attrs, anyFloats(r.values))
	}
	for _, r := range exponentialValues {
		add("cart.payload.size", r.attrs, anyFloats(r.values))
	}
	for _, r := range gaugeFloat {
		add("cart.exchange.rate", r.attrs, anyFloats(r.values))
	}
	for _, r := range gaugeInt {
		add("cart.workers.busy", r.attrs, anyInts(r.values))
	}
	return out
}

func run() error {
	if len(os.Args) < 2 || (os.Args[1] != "http" && os.Args[1] != "grpc") {
		fmt.Fprintln(os.Stderr, "usage: otlp-go-metrics <http|grpc> [endpoint]")
		os.Exit(2)
	}
	kind := os.Args[1]
	endpoint := os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
	if len(os.Args) > 2 {
		endpoint = os.Args[2]
	}
	endpoint = strings.TrimRight(endpoint, "/")
	if endpoint == "" {
		fmt.Fprintln(os.Stderr, "otlp-go-metrics: no endpoint (argument or OTEL_EXPORTER_OTLP_ENDPOINT)")
		os.Exit(2)
	}
	ctx := context.Background()
	service := "go-metrics-" + kind

	inner, err := newExporter(ctx, kind, endpoint)
	if err != nil {
		return fmt.Errorf("creating the metric exporter: %w", err)
	}
	exporter := &capturingExporter{Exporter: inner, recorded: recordedByName()}
	provider := sdkmetric.NewMeterProvider(
		sdkmetric.WithResource(resource.NewSchemaless(
			attribute.String("service.name", service),
			attribute.String("service.version", "0.0.1-test"),
			attribute.String("tracedock.test.exporter", "go-"+kind),
		)),
		sdkmetric.WithReader(sdkmetric.NewPeriodicReader(exporter, sdkmetric.WithInterval(readerInterval))),
		sdkmetric.WithView(sdkmetric.NewView(
			sdkmetric.Instrument{Name: "cart.payload.size"},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationBase2ExponentialHistogram{MaxSize: 160, MaxScale: 20}},
		)),
	)
	meter := provider.Meter(scopeName, metric.WithInstrumentationVersion("0.0.1"))

	counter, err := meter.Int64Counter("cart.checkouts", metric.WithUnit("{checkout}"), metric.WithDescription("Checkouts completed."))
	if err != nil {
		return err
	}
	upDown, err := meter.Int64UpDownCounter("cart.open", metric.WithUnit("{cart}"), metric.WithDescription("Carts not yet checked out."))
	if err != nil {
		return err
	}
	histogram, err := meter.Float64Histogram("cart.request.duration", metric.WithUnit("ms"),
		metric.WithDescription("Time to answer a cart request."), metric.WithExplicitBucketBoundaries(histogramBounds...))
	if err != nil {
		return err
	}
	exponential, err := meter.Float64Histogram("cart.payload.size", metric.WithUnit("By"), metric.WithDescription("Size of a cart payload."))
	if err != nil {
		return err
	}
	_, err = meter.Float64ObservableGauge("cart.exchange.rate", metric.WithUnit("1"), metric.WithDescription("EUR in USD."),
		metric.WithFloat64Callback(func(_ context.Context, o metric.Float64Observer) error {
			for _, r := range gaugeFloat {
				o.Observe(r.values[0], metric.WithAttributes(r.attrs...))
			}
			return nil
		}))
	if err != nil {
		return err
	}
	_, err = meter.Int64ObservableGauge("cart.workers.busy", metric.WithUnit("{worker}"), metric.WithDescription("Busy checkout workers."),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			for _, r := range gaugeInt {
				o.Observe(r.values[0], metric.WithAttributes(r.attrs...))
			}
			return nil
		}))
	if err != nil {
		return err
	}

	for _, r := range counterAdds {
		for _, v := range r.values {
			counter.Add(ctx, v, metric.WithAttributes(r.attrs...))
		}
	}
	for _, r := range upDownAdds {
		for _, v := range r.values {
			upDown.Add(ctx, v, metric.WithAttributes(r.attrs...))
		}
	}
	for _, r := range histogramValues {
		for _, v := range r.values {
			histogram.Record(ctx, v, metric.WithAttributes(r.attrs...))
		}
	}
	for _, r := range exponentialValues {
		for _, v := range r.values {
			exponential.Record(ctx, v, metric.WithAttributes(r.attrs...))
		}
	}

	shutdownCtx, cancel := context.WithTimeout(ctx, shutdownTimeout)
	defer cancel()
	// Shutdown collects once (calling the gauge callbacks) and exports before it returns.
	shutdownErr := provider.Shutdown(shutdownCtx)
	exporter.mu.Lock()
	defer exporter.mu.Unlock()
	if err := errors.Join(append([]error{shutdownErr}, exporter.errs...)...); err != nil {
		return err
	}
	if len(exporter.exports) != 1 {
		return fmt.Errorf("expected one export at shutdown, saw %d", len(exporter.exports))
	}
	return json.NewEncoder(os.Stdout).Encode(reportOut{Service: service, Scope: scopeName, Metrics: exporter.exports[0]})
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "otlp-go-metrics:", err)
		os.Exit(1)
	}
}
