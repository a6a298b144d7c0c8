package io.rawmetrics.internal.trace;

import io.rawmetrics.internal.LibraryLog;

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
    /** Set once reading the span failed: see {@link #current()}. A plain field: a thread that misses it fails once more, and says so again. */
    private static boolean unreadable;

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
        if (unreadable) {
            return null;
        }
        try {
            return OpenTelemetrySpans.current();
        } catch (RuntimeException | LinkageError e) {
            // An API on the class path that cannot be used (a version without these methods, a
            // broken bridge): the call is still recorded, without ids, and this is said once.
            unreadable = true;
            LibraryLog.LOG.log(System.Logger.Level.WARNING, "rawmetrics: cannot read the current OpenTelemetry span ("
                    + e + "): points carry no trace ids from now on");
            return null;
        }
    }

    /**
     * The trace id of {@code span} ({@link #current()}'s), if it has the form OpenTelemetry gives
     * it, else {@code null}: the writer puts it in a point as it is, so it checks it first.
     */
    public static String traceId(Object span) {
        try {
            return hexOfLength(OpenTelemetrySpans.traceId(span), TRACE_ID_LENGTH);
        } catch (RuntimeException bug) {
            return null; // a span implementation of the application's that throws: its point is written without ids
        }
    }

    /** The span id of {@code span}, checked like {@link #traceId}. */
    public static String spanId(Object span) {
        try {
            return hexOfLength(OpenTelemetrySpans.spanId(span), SPAN_ID_LENGTH);
        } catch (RuntimeException bug) {
            return null;
        }
    }

    /**
     * Copies the span and trace ids of {@code span} into {@code into} as ASCII, at {@code spanIdAt}
     * and {@code traceIdAt}, checking them as it goes (one pass: the writer does this per span).
     *
     * @return whether both had the form OpenTelemetry gives them; if not, {@code into} holds part of them
     */
    public static boolean copyIds(Object span, byte[] into, int spanIdAt, int traceIdAt) {
        try {
            return copyHex(OpenTelemetrySpans.spanId(span), SPAN_ID_LENGTH, into, spanIdAt)
                    && copyHex(OpenTelemetrySpans.traceId(span), TRACE_ID_LENGTH, into, traceIdAt);
        } catch (RuntimeException bug) {
            return false;
        }
    }

    private static boolean copyHex(String id, int length, byte[] into, int at) {
        if (id == null || id.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
            into[at + i] = (byte) c;
        }
        return true;
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
