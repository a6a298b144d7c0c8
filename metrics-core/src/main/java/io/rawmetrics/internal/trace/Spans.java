package io.rawmetrics.internal.trace;

/**
 * Whether calls can carry the span they ran in, and the span's ids for the writer.
 *
 * <p>The API is optional: this class names none of its types, so it loads without it, and
 * {@link #AVAILABLE} says whether {@link OpenTelemetrySpans}, which does, may be used. The recorder
 * reads that once, at its start, into a final field: a program without the API pays a
 * never-taken branch per call, and loads nothing of it.
 *
 * <p>A span context is kept as an {@code Object}: the buffers and the encoder hold it, and only
 * this package knows its type.
 */
public final class Spans {

    /** Whether {@code opentelemetry-api} can be loaded by this library's class loader. */
    public static final boolean AVAILABLE = apiAvailable();

    /** Characters of a trace id and of a span id, as OpenTelemetry writes them (lower-case hex). */
    public static final int TRACE_ID_LENGTH = 32;
    public static final int SPAN_ID_LENGTH = 16;

    private Spans() {
    }

    private static boolean apiAvailable() {
        try {
            Class.forName("io.opentelemetry.api.trace.Span", false, Spans.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }

    /**
     * The span context of the span current on this thread, if it is valid and sampled, else
     * {@code null}. A span that is not sampled is never exported: a point naming its trace would
     * link to nothing. Only if {@link #AVAILABLE}.
     */
    public static Object current() {
        return OpenTelemetrySpans.current();
    }

    /**
     * The trace id of {@code span} ({@link #current()}'s), if it has the form OpenTelemetry gives
     * it, else {@code null}: the writer puts it in a point as it is, so it checks it first.
     */
    public static String traceId(Object span) {
        return hexOfLength(OpenTelemetrySpans.traceId(span), TRACE_ID_LENGTH);
    }

    /** The span id of {@code span}, checked like {@link #traceId}. */
    public static String spanId(Object span) {
        return hexOfLength(OpenTelemetrySpans.spanId(span), SPAN_ID_LENGTH);
    }

    private static String hexOfLength(String id, int length) {
        if (id == null || id.length() != length) {
            return null;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return null;
            }
        }
        return id;
    }
}
