package io.rawmetrics.internal.lineprotocol;

import io.rawmetrics.internal.Cancelled;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.SiteDescribers;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.buffer.ThreadBuffer;
import io.rawmetrics.internal.trace.Spans;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns drained calls into line protocol. Owned by the writer thread: nothing here is shared. One
 * class, over 350 lines, because it is one loop and the caches that loop reads (each site's line
 * prefixes, each point's end and function), kept together so that a run of calls is encoded
 * without a call out of it; the escaping and digits are {@link LineProtocol}'s, the timestamps'
 * book {@link SeriesTimestamps}'.
 *
 * <p>Everything about a call site is worked out the first time the site is seen and kept: its
 * {@link TimedFunction}, and the encoded line prefix of each of its series (one for
 * {@code outcome=ok}, one per exception class), as UTF-8 bytes. Encoding a call is then, for a
 * run of calls of one site, no look-up at all: a copy of the prefix and the digits of two numbers,
 * written straight into the batch's bytes.
 *
 * <p><b>Timestamps.</b> A point's time is the call's completion, converted from
 * {@code System.nanoTime()} to wall-clock nanoseconds by an offset between the two clocks (see
 * {@link #startBatch}). InfluxDB keeps only one point per series and timestamp, so a point whose
 * nanosecond is already taken in its series is moved to the next free one; a call whose thread
 * stored it late goes after its series' newest point ({@link SeriesTimestamps}). Those are the only
 * ways a point's time differs from its call's.
 *
 * <p><b>Size.</b> A batch holds at most {@code maxBatchBytes} of line protocol, or one point if
 * that point alone is larger: a server refuses a request body over its limit whole. The encoder
 * remembers where each point's line ends and whose it is, so that the writer can send a refused
 * batch again in parts and name the function of a point no server takes.
 */
public final class BatchEncoder implements ThreadBuffer.CallSink {

    private static final System.Logger LOG = LibraryLog.LOG;
    private static final String FIELD = " application_time=";
    /** Room a point needs after its prefix: the value, a space, a timestamp (a sign and 19 digits), a newline. */
    private static final int MAX_VALUE_AND_TIMESTAMP = LineProtocol.MAX_SECONDS_LENGTH + 1 + 20 + 1;
    /** The fields a call made in a traced span adds after its time; the ids are copied into {@link #spanFields}. */
    private static final byte[] SPAN_FIELDS = (",span_id=\"" + "0".repeat(Spans.SPAN_ID_LENGTH) + "\",trace_id=\""
            + "0".repeat(Spans.TRACE_ID_LENGTH) + "\"").getBytes(StandardCharsets.US_ASCII);
    private static final int SPAN_ID_AT = ",span_id=\"".length();
    private static final int TRACE_ID_AT = SPAN_ID_AT + Spans.SPAN_ID_LENGTH + "\",trace_id=\"".length();
    /** How far a new reading of the clocks' offset may be from the one in use and still be taken as noise. */
    private static final long OFFSET_NOISE_NANOS = 200;

    private final String defaultMeasurement;
    private final HostIdentity host;
    private final Clock clock;
    private final Map<Object, Site> sites = new IdentityHashMap<>();
    private final Map<String, Series> seriesByPrefix = new HashMap<>();
    private final SeriesTimestamps timestamps = new SeriesTimestamps();
    private final LineBuffer batch = new LineBuffer(1 << 16);
    private final int maxBatchBytes;
    /** Where each point's line ends in {@link #batch}, and which of {@link #functions} it times. */
    private int[] lineEnds = new int[1024];
    private int[] lineFunctions = new int[1024];
    /**
     * The functions of the current batch's points, each once. A point's function is kept as an
     * index into this, not as a reference: a reference stored into a long-lived array costs the
     * garbage collector's write barrier, a memory fence under G1, on every point.
     */
    private TimedFunction[] functions = new TimedFunction[16];
    private int functionCount;
    private long batchNumber;
    private boolean full;

    private Object lastSiteKey;
    private Site lastSite;
    private long timestampHigh = -1;
    /** Digits 1 to 8 and 4 to 11 of the timestamps of the 0.1 s {@link #timestampHigh}, as {@link LineProtocol#eightDigits} words. */
    private long timestampDigits0To8;
    private long timestampDigits3To11;
    /** Wall-clock time minus {@code System.nanoTime()}; {@link Long#MIN_VALUE} until first read. */
    private long wallMinusMonotonic = Long.MIN_VALUE;
    private int points;
    private long undescribable;
    /** {@link #SPAN_FIELDS} with the ids of {@link #lastSpan}, the span of the last traced point (often the next one's too). */
    private final byte[] spanFields = SPAN_FIELDS.clone();
    private Object lastSpan;
    /** Whether {@link #lastSpan}'s ids had the form OpenTelemetry gives them: if not, its points carry none. */
    private boolean lastSpanWritable;
    private long unwritableSpans;

    public BatchEncoder(String defaultMeasurement, int maxBatchBytes, HostIdentity host, Clock clock) {
        this.defaultMeasurement = defaultMeasurement;
        this.maxBatchBytes = maxBatchBytes;
        this.host = host;
        this.clock = clock;
    }

    /**
     * Starts a new batch, and reads the offset between the wall clock and the monotonic clock again
     * so that the points follow the wall clock as NTP adjusts it.
     */
    public void startBatch() {
        batch.clear();
        points = 0;
        full = false;
        batchNumber++;
        Arrays.fill(functions, 0, functionCount, null);
        functionCount = 0;
        lastSiteKey = null; // the first point of a batch finds its site, and enters its function
        readClockOffset();
    }

    /**
     * The two clocks cannot be read at the same instant: each pair of readings is off by up to the
     * time between them. The pair read closest together of three is kept, and
     * replaces the offset in use only if it differs by more than {@value #OFFSET_NOISE_NANOS} ns: an
     * offset that changed by noise at every batch would reorder a thread's calls that straddle two
     * batches.
     */
    private void readClockOffset() {
        long bestGap = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            long before = clock.monotonicNanos();
            long wall = clock.wallTimeNanos();
            long after = clock.monotonicNanos();
            if (after - before < bestGap) {
                bestGap = after - before;
                offset = wall - (before + (after - before) / 2);
            }
        }
        if (wallMinusMonotonic == Long.MIN_VALUE || Math.abs(offset - wallMinusMonotonic) > OFFSET_NOISE_NANOS) {
            wallMinusMonotonic = offset;
        }
    }

    /**
     * No call that ended before {@code monotonicNanos} (a {@code System.nanoTime()}) will be drained
     * from now on: the timestamps of such calls need no longer be remembered.
     */
    public void drainedUntil(long monotonicNanos) {
        timestamps.forgetBefore(wallMinusMonotonic + monotonicNanos);
    }

    /** The offset in use: a call that ended at {@code System.nanoTime()} {@code t} ended at wall time {@code t + offset}. */
    public long wallMinusMonotonic() {
        if (wallMinusMonotonic == Long.MIN_VALUE) {
            readClockOffset(); // before the first batch: the aggregates of calls read while the writer waits
        }
        return wallMinusMonotonic;
    }

    /** Points moved off their call's completion time because that nanosecond was taken in their series. */
    long movedTimestamps() {
        return timestamps.moved();
    }

    /** Encodes one call; see {@link #accept(Object, Object, long[], Object[], int, int)}. */
    boolean accept(Object siteKey, long startNanos, long endNanos, Object error) {
        return accept(siteKey, error, new long[] {startNanos, endNanos}, null, 0, 1) == 1;
    }

    /** Encodes one call made in the span {@code span}. */
    boolean accept(Object siteKey, long startNanos, long endNanos, Object error, Object span) {
        return accept(siteKey, error, new long[] {startNanos, endNanos}, new Object[] {span}, 0, 1) == 1;
    }

    /**
     * Encodes a run of calls of one site that ended the same way, as many as the batch has room
     * for. The room is checked once for as many points as surely fit, not per point, so that the
     * per-point loop ({@link #encode}) is only copies and digits.
     */
    @Override
    public int accept(Object siteKey, Object error, long[] times, Object[] spans, int from, int to) {
        Site site = lastSite;
        if (siteKey != lastSiteKey) { // calls of one site come in runs: look up only when it changes
            site = changeSite(siteKey);
            if (site == null) {
                undescribable += to - from;
                return to;
            }
        }
        Series series = error == null ? site.ok : site.failed((Class<?>) error);
        int room = series.prefix.length + MAX_VALUE_AND_TIMESTAMP + (spans == null ? 0 : SPAN_FIELDS.length);
        if (batch.length() + (long) (to - from) * room <= maxBatchBytes) {
            // The whole run surely fits, as it mostly does: no division. Calls of sites that
            // alternate (tagged calls) come in runs of one, and with a division a run this method
            // was 17 % of the encoder's profile, 4 % without (EncoderBenchmark, sites=8).
            encode(series, site.indexInBatch, times, spans, from, to);
            return to;
        }
        int i = from;
        while (i < to) {
            // Points are shorter than their room, so a batch that seemed full may take a few more.
            // An empty batch takes one point however large: a batch is never empty.
            int fit = Math.max(points == 0 ? 1 : 0, (maxBatchBytes - batch.length()) / room);
            if (fit == 0) {
                full = true;
                break;
            }
            int end = i + Math.min(fit, to - i);
            encode(series, site.indexInBatch, times, spans, i, end);
            i = end;
        }
        return i;
    }

    /**
     * The per-point path: appends calls {@code from} to {@code to} of {@code series}, for which the
     * batch has room, each a copy of the series' prefix and the digits of two numbers, and, for a
     * call made in a traced span ({@code spans[i]}, if there are spans), a copy of its ids.
     */
    private void encode(Series series, int function, long[] times, Object[] spans, int from, int to) {
        byte[] prefix = series.prefix;
        int pos = batch.reserve((to - from) * (prefix.length + MAX_VALUE_AND_TIMESTAMP
                + (spans == null ? 0 : SPAN_FIELDS.length)));
        byte[] out = batch.array();
        int point = points;
        if (point + (to - from) > lineEnds.length) {
            growLineIndex(point + (to - from));
        }
        int[] ends = lineEnds;
        int[] functionIndexes = lineFunctions;
        SeriesTimestamps taken = timestamps;
        long offset = wallMinusMonotonic;
        int seriesId = series.id;
        long lastReal = series.lastReal;
        long lastTimestamp = series.lastTimestamp;
        for (int i = from; i < to; i++) {
            long startNanos = times[2 * i];
            long endNanos = times[2 * i + 1];
            long real = offset + endNanos;
            // Calls of a series ending in the same nanosecond would overwrite each other in InfluxDB.
            // A tie with the series' previous point starts after it: its nanoseconds up to there are taken.
            long timestamp = taken.claim(seriesId, real, real == lastReal ? lastTimestamp + 1 : real);
            lastReal = real;
            lastTimestamp = timestamp;
            System.arraycopy(prefix, 0, out, pos, prefix.length);
            pos = LineProtocol.writeSeconds(out, pos + prefix.length, endNanos - startNanos);
            if (spans != null && spans[i] != null) {
                pos = writeSpanFields(out, pos, spans[i]);
            }
            out[pos++] = ' ';
            pos = writeTimestamp(out, pos, timestamp);
            out[pos++] = '\n';
            ends[point] = pos;
            functionIndexes[point] = function;
            point++;
        }
        series.lastReal = lastReal;
        series.lastTimestamp = lastTimestamp;
        batch.setLength(pos);
        points = point;
    }

    /**
     * A run of calls of another site starts: finds (or describes) the site and enters its function
     * in the batch's list once. Out of {@link #accept}, so that the per-point path stays small
     * enough for the JIT to compile it whole with what it calls.
     *
     * @return the site, or {@code null} if it cannot be described
     */
    private Site changeSite(Object siteKey) {
        Site site = sites.get(siteKey);
        if (site == null && (sites.containsKey(siteKey) || (site = resolve(siteKey)) == null)) {
            return null;
        }
        if (site.batch != batchNumber) {
            site.batch = batchNumber;
            if (functionCount == functions.length) {
                functions = Arrays.copyOf(functions, functionCount * 2);
            }
            functions[functionCount] = site.function;
            site.indexInBatch = functionCount++;
        }
        lastSiteKey = siteKey;
        lastSite = site;
        return site;
    }

    /**
     * Writes the {@code span_id} and {@code trace_id} fields of {@code span} at {@code pos}; returns
     * the position after them. Their bytes are built once per span: a request's calls share one.
     */
    private int writeSpanFields(byte[] out, int pos, Object span) {
        if (span != lastSpan) {
            lastSpan = span;
            lastSpanWritable = Spans.copyIds(span, spanFields, SPAN_ID_AT, TRACE_ID_AT);
        }
        if (!lastSpanWritable) {
            unwritableSpans++; // a span implementation whose ids are not hex: the point carries none
            return pos;
        }
        System.arraycopy(spanFields, 0, out, pos, spanFields.length);
        return pos + spanFields.length;
    }

    /** Points whose span's ids were not what OpenTelemetry gives (a span implementation of its own): written without them. */
    public long unwritableSpans() {
        return unwritableSpans;
    }

    /** Rare: a batch with more points than any before. */
    private void growLineIndex(int atLeast) {
        int length = Math.max(lineEnds.length * 2, atLeast);
        lineEnds = Arrays.copyOf(lineEnds, length);
        lineFunctions = Arrays.copyOf(lineFunctions, length);
    }

    /**
     * Writes a timestamp at {@code pos}; returns the position after it. A timestamp has 19 digits
     * (from 2001 to 2262), of which the first 11 change only every 0.1 s: they are formatted once,
     * as two overlapping words of eight digits, and the point's digits are three 8-byte stores.
     */
    private int writeTimestamp(byte[] out, int pos, long timestamp) {
        if (timestamp < 1_000_000_000_000_000_000L) { // before 2001 (a test's clock): any length
            byte[] text = Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, out, pos, text.length);
            return pos + text.length;
        }
        long high = timestamp / 100_000_000L;
        if (high != timestampHigh) {
            timestampHigh = high;
            timestampDigits0To8 = LineProtocol.eightDigits((int) (high / 1000));
            timestampDigits3To11 = LineProtocol.eightDigits((int) (high % 100_000_000L));
        }
        LineProtocol.putEightDigits(out, pos, timestampDigits0To8);
        LineProtocol.putEightDigits(out, pos + 3, timestampDigits3To11);
        LineProtocol.putEightDigits(out, pos + 11, LineProtocol.eightDigits((int) (timestamp - high * 100_000_000L)));
        return pos + 19;
    }

    /** Points in the current batch. */
    public int points() {
        return points;
    }

    /** Whether the current batch ended because it reached {@code maxBatchBytes}. */
    public boolean full() {
        return full;
    }

    /** Where the line of point {@code i} of the current batch starts in {@link #lines()}. */
    public int lineStart(int i) {
        return i == 0 ? 0 : lineEnds[i - 1];
    }

    /** Where the line of point {@code i} of the current batch ends (after its newline). */
    public int lineEnd(int i) {
        return lineEnds[i];
    }

    /** The function point {@code i} of the current batch times. */
    public TimedFunction function(int i) {
        return functions[lineFunctions[i]];
    }

    /** The current batch as line protocol: the encoder's own buffer, valid until the next {@link #startBatch()}. */
    public LineBuffer lines() {
        return batch;
    }

    /** Calls whose site could not be described; they are logged once per site and not written. */
    public long undescribable() {
        return undescribable;
    }

    private Site resolve(Object siteKey) {
        TimedFunction function;
        try {
            function = SiteDescribers.describe(siteKey);
        } catch (RuntimeException | LinkageError e) {
            // A LinkageError too: a describer that cannot load a class will not load it next time,
            // and a site that fails every batch it is in would cost every other site's points.
            LOG.log(System.Logger.Level.ERROR, "rawmetrics: calls of " + siteKey
                    + " cannot be written and are dropped: " + (e instanceof LinkageError ? e : e.getMessage()));
            sites.put(siteKey, null);
            return null;
        }
        Site site = new Site(function);
        sites.put(siteKey, site);
        return site;
    }

    /** A call site's series, built lazily per outcome. */
    private final class Site {
        final TimedFunction function;
        final Series ok;
        /** The batch in which {@link #function} was last entered in {@link #functions}, and where. */
        long batch;
        int indexInBatch;
        private final Map<Class<?>, Series> failed = new IdentityHashMap<>();

        Site(TimedFunction function) {
            this.function = function;
            this.ok = series(function, "ok", null);
        }

        /** The series of calls that threw {@code exception}, or that were {@link Cancelled}. */
        Series failed(Class<?> exception) {
            return failed.computeIfAbsent(exception, e -> e == Cancelled.class
                    ? series(function, "cancelled", null) : series(function, "error", e.getName()));
        }
    }

    private Series series(TimedFunction function, String outcome, String exception) {
        TreeMap<String, String> tags = new TreeMap<>(function.tags());
        tags.put("hostname", host.hostname());
        tags.put("process", host.process());
        tags.put("function", function.function());
        tags.put("outcome", outcome);
        if (exception != null) {
            tags.put("exception", exception);
        }
        String measurement = function.measurement() == null ? defaultMeasurement : function.measurement();
        StringBuilder prefix = LineProtocol.appendMeasurement(new StringBuilder(), measurement);
        // Sorted by key, as InfluxDB recommends: the server then needn't sort them itself.
        tags.forEach((key, value) -> LineProtocol.appendName(LineProtocol.appendName(prefix.append(','), key)
                .append('='), value));
        String text = prefix.append(FIELD).toString();
        // Two sites may share a series (overloads of one method): they must share its timestamps.
        return seriesByPrefix.computeIfAbsent(text, key -> new Series(key, seriesByPrefix.size()));
    }

    /**
     * One InfluxDB series: the encoded line up to the field value (UTF-8), its number in
     * {@link #timestamps}, and its last point's completion time and timestamp.
     */
    private static final class Series {
        final byte[] prefix;
        final int id;
        long lastReal = Long.MIN_VALUE;
        long lastTimestamp = Long.MIN_VALUE;

        Series(String prefix, int id) {
            this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
            this.id = id;
        }
    }
}
