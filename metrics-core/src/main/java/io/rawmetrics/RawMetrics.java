package io.rawmetrics;

import io.rawmetrics.internal.lifecycle.Lifecycle;
import io.rawmetrics.internal.delivery.WriteState;
import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.tags.TagGuards;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Starting, flushing and stopping the recorder of timed calls.
 *
 * <p>Nothing here is required: the first {@link FunctionCall} starts a recorder configured by
 * {@link RawMetricsConfig#fromEnvironment()}, and a JVM shutdown hook writes what is left (for up
 * to {@code rawmetrics.shutdown-timeout}, 5 seconds by default). Call {@link #start(RawMetricsConfig)} early in {@code main} to configure in code,
 * or to fail fast on a bad setting.
 */
public final class RawMetrics {

    private RawMetrics() {
    }

    /**
     * Starts recording with the configuration from system properties and the environment.
     *
     * @throws InvalidConfigurationException naming the bad key and value
     */
    public static void start() {
        start(RawMetricsConfig.fromEnvironment());
    }

    /** Starts recording with {@code config}, replacing (and flushing) any recorder already running. */
    public static void start(RawMetricsConfig config) {
        Lifecycle.start(config);
    }

    /**
     * Writes every call recorded so far and waits for InfluxDB to accept it, at most {@code timeout}.
     *
     * @return true if everything recorded before this call was written (or nothing is running)
     */
    public static boolean flush(Duration timeout) {
        Pipeline pipeline = Lifecycle.pipeline();
        return pipeline == null || pipeline.flush(timeout);
    }

    /**
     * Writes what is buffered, at most {@code timeout}, and stops recording. A later timed call
     * starts a new recorder from the environment.
     *
     * @return true if everything was written in time
     */
    public static boolean stop(Duration timeout) {
        return Lifecycle.stop(timeout);
    }

    /**
     * The counters of the running recorder; after {@link #stop}, the final counts of the recorder
     * stopped; {@link Stats#NONE} if none ran.
     */
    public static Stats stats() {
        Pipeline pipeline = Lifecycle.pipelineForStats();
        if (pipeline == null) {
            long notRecorded = Lifecycle.notRecorded(); // recording could not start: every call is lost
            return notRecorded == 0 ? Stats.NONE : new Stats(notRecorded, 0, notRecorded, 0, 0, 0, 0, 0, tagStats());
        }
        Pipeline.Counts counts = pipeline.counts();
        return new Stats(counts.recorded(), counts.delivered(), counts.dropped(), counts.buffered(),
                pipeline.failedWrites(), pipeline.retries(), pipeline.aggregatedCalls(), pipeline.aggregatedDelivered(),
                tagStats());
    }

    private static List<TagStats> tagStats() {
        return TagGuards.all().stream()
                .map(guard -> new TagStats(guard.function(), guard.key(), guard.values(), guard.folded(), guard.cut(),
                        guard.errors()))
                .toList();
    }

    /**
     * The disk spool's counters ({@code rawmetrics.spool-directory}) of the running recorder, or
     * after {@link #stop} of the recorder stopped; {@link SpoolStats#NONE} without a spool. The
     * points this recorder put aside are in {@link Stats#buffered()} until it delivers them; those
     * it leaves in the spool are delivered, and counted, by the next recorder with the directory.
     */
    public static SpoolStats spoolStats() {
        Pipeline pipeline = Lifecycle.pipelineForStats();
        if (pipeline == null || pipeline.spool() == null) {
            return SpoolStats.NONE;
        }
        Spool spool = pipeline.spool();
        return new SpoolStats(spool.spooled(), spool.replayedOwn(), pipeline.inSpool(), spool.replayedOthers(),
                spool.damagedRecords(), spool.damagedPoints());
    }

    /**
     * Whether the running recorder can write to its server, for a health check: {@link
     * WriteStatus#NONE} when none runs. Reading it costs nothing the calls notice.
     */
    public static WriteStatus writeStatus() {
        Pipeline pipeline = Lifecycle.pipeline();
        if (pipeline == null) {
            return WriteStatus.NONE;
        }
        RawMetricsConfig config = pipeline.config();
        WriteState state = pipeline.writeState();
        return new WriteStatus(true, config.url().toString(), config.api() == RawMetricsConfig.WriteApi.V2 ? config.bucket()
                : config.database(), instant(state.lastWriteMillis()), instant(state.failingSinceMillis()), state.failure());
    }

    private static Instant instant(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis);
    }

    /**
     * Whether a recorder writes to its server.
     *
     * @param recording    whether a recorder runs
     * @param server       the server's URL (it never carries credentials)
     * @param database     the database (write API v1) or bucket (v2)
     * @param lastWrite    when a write last succeeded, or {@code null} if none has yet
     * @param failingSince when writes began to fail, or {@code null} while they succeed: the server
     *                     is unreachable or failing, or refuses the login or the database (a batch
     *                     refused for what it holds does not count)
     * @param failure      why the last write failed, or {@code null}
     */
    public record WriteStatus(boolean recording, String server, String database, Instant lastWrite,
            Instant failingSince, String failure) {
        /** No recorder runs. */
        public static final WriteStatus NONE = new WriteStatus(false, null, null, null, null, null);

        /** Whether writes fail now. */
        public boolean failing() {
            return failingSince != null;
        }
    }

    /**
     * Counters of a recorder's disk spool.
     *
     * @param putAside          points this recorder put aside (in raw batches)
     * @param deliveredFromSpool of those, points it then delivered from the spool (they are in
     *                          {@link Stats#delivered()} too)
     * @param waiting           of those, points still in the spool: not lost, delivered later by this
     *                          recorder or the next one with the directory
     * @param deliveredForOthers points earlier processes (or recorders) had put aside, that this one
     *                          delivered (not in its {@link Stats}: they are not its calls)
     * @param damagedRecords    spool records skipped as torn or corrupt (logged)
     * @param damagedPoints     points in them, as far as their headers said
     */
    public record SpoolStats(long putAside, long deliveredFromSpool, long waiting, long deliveredForOthers,
            long damagedRecords, long damagedPoints) {
        /** No spool. */
        public static final SpoolStats NONE = new SpoolStats(0, 0, 0, 0, 0, 0);
    }

    /**
     * Counters of a recorder. {@code recorded = delivered + dropped + buffered}, exactly once the
     * recording threads are idle (while they record, a snapshot).
     *
     * @param recorded     timed calls recorded
     * @param delivered    points InfluxDB accepted
     * @param dropped      calls that will never be written: buffer full, refused by the server,
     *                     or unsent when a shutdown deadline passed
     * @param buffered     calls waiting to be written, in the buffer, in the batch being sent, or put
     *                     aside in the spool ({@link RawMetrics#spoolStats()})
     * @param failedWrites write attempts that failed
     * @param retries      batches sent again after a failed attempt
     * @param aggregated   calls counted by the aggregated mode (they are not in {@code recorded}
     *                     unless their mode is {@code both})
     * @param aggregatedDelivered calls counted in aggregated points InfluxDB accepted; equal to
     *                     {@code aggregated} once the recorder has stopped, unless some were lost
     *                     (logged)
     * @param tags         each {@link Tag @Tag} of each function called so far in this JVM: its values
     *                     and the calls its guard changed, by function and key
     */
    public record Stats(long recorded, long delivered, long dropped, long buffered, long failedWrites, long retries,
            long aggregated, long aggregatedDelivered, List<TagStats> tags) {
        /** No recorder ran. */
        public static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0, 0, 0);

        public Stats {
            tags = List.copyOf(tags);
        }

        /** Counters without tags. */
        public Stats(long recorded, long delivered, long dropped, long buffered, long failedWrites, long retries,
                long aggregated, long aggregatedDelivered) {
            this(recorded, delivered, dropped, buffered, failedWrites, retries, aggregated, aggregatedDelivered,
                    List.of());
        }
    }

    /**
     * The cardinality guard of one {@link Tag @Tag} of one function ({@code rawmetrics.max-tag-values},
     * {@code rawmetrics.max-tag-value-length}), since the JVM started. Every call is written, with
     * its value or the one the guard gave it, so these count calls whose value changed, not losses.
     *
     * @param function       the {@code function} tag value
     * @param tag            the tag key
     * @param values         distinct values the tag has taken ({@code other} and {@code error} aside)
     * @param folded         calls written with the value {@code other}: their value came after the
     *                       tag had taken its most values
     * @param cut            calls whose value was cut to the most characters
     * @param resolverErrors calls written with the value {@code error}: the resolver threw or
     *                       returned {@code null}
     */
    public record TagStats(String function, String tag, int values, long folded, long cut, long resolverErrors) {
    }
}
