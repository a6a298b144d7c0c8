package io.rawmetrics.internal.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The only class that names OpenTelemetry's types; loaded on the first call made with the API on
 * the class path. {@code Span.current()} is what the OpenTelemetry Java agent, the SDK used on its
 * own and Micrometer Tracing's OpenTelemetry bridge all make current.
 */
final class OpenTelemetrySpans {

    private OpenTelemetrySpans() {
    }

    static Object current() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() && context.isSampled() ? context : null;
    }

    static String traceId(Object span) {
        return ((SpanContext) span).getTraceId();
    }

    static String spanId(Object span) {
        return ((SpanContext) span).getSpanId();
    }
}
