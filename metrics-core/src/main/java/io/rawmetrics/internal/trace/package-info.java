/**
 * The OpenTelemetry span a call runs in: read on the caller's thread, kept by reference with the
 * call, turned into {@code trace_id} and {@code span_id} fields by the writer. Everything that
 * names OpenTelemetry's types is in {@link io.rawmetrics.internal.trace.OpenTelemetrySpans}, which
 * is loaded only where {@code opentelemetry-api} is on the class path.
 */
package io.rawmetrics.internal.trace;
