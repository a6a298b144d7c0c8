package io.rawmetrics.internal.spool;

import java.util.function.BooleanSupplier;

/**
 * When the writer uses the spool ({@code rawmetrics.spool-directory}), decided in this one place;
 * {@link Spool} is how. Without a spool every answer is "no", and the writer keeps what it cannot
 * send in memory.
 *
 * <ul>
 *   <li><b>Put aside</b> ({@link #putAsideNow}): while a batch waits for a retry and the memory
 *       buffer is half full. From then on the writer is <em>spooling</em>: every batch goes to the
 *       spool as it is encoded, without an attempt, and the aggregated mode's intervals wait in
 *       memory ({@link #aggregatesWait}).</li>
 *   <li><b>Probe</b> ({@link #probeDue}): while spooling, one batch or spool record in
 *       {@code retry-max-interval} is tried first; so is the first after a stop begins, and the
 *       next after a flush ({@link #probeNow}), since the server may be back.</li>
 *   <li><b>Spooling ends</b> ({@link #spoolingEnds}) once the server takes a probe, or the spool
 *       takes nothing more: batches then wait in memory, as without a spool.</li>
 *   <li><b>Replay</b> ({@link #replayDue}): while the server answers, oldest first; while spooling,
 *       the oldest record is the probe.</li>
 *   <li><b>At a stop's deadline</b> ({@link #atDeadline}), what is still unsent is put aside
 *       rather than abandoned, for the next process with the same directory; so are the
 *       intervals' points when the stop comes while spooling.</li>
 *   <li><b>The aggregated mode's memory bound</b>: when the intervals' points waiting pass it, the
 *       oldest go to the spool rather than being dropped ({@code IntervalWriter}, given the spool
 *       only when there is one).</li>
 * </ul>
 *
 * <p>Writer thread only.
 */
public final class SpoolPolicy {

    private final Spool spool;
    private final long probeIntervalNanos;
    private final BooleanSupplier stopping;
    private boolean spooling;
    private long nextProbeNanos;
    private boolean probedForStop;

    /**
     * @param spool              the spool, or {@code null} for none
     * @param probeIntervalNanos time between two probes while spooling: {@code retry-max-interval}
     * @param stopping           whether a stop has begun
     */
    public SpoolPolicy(Spool spool, long probeIntervalNanos, BooleanSupplier stopping) {
        this.spool = spool;
        this.probeIntervalNanos = probeIntervalNanos;
        this.stopping = stopping;
    }

    /** Without a spool: nothing is ever put aside. */
    public static SpoolPolicy none() {
        return new SpoolPolicy(null, Long.MAX_VALUE, () -> false);
    }

    /** The spool, or {@code null} without one. */
    public Spool spool() {
        return spool;
    }

    /**
     * Whether the batch waiting for a retry goes to the spool now: there is one, it takes batches,
     * and {@code inMemory} of {@code capacity} calls wait in memory, half of it or more.
     */
    public boolean putAsideNow(long inMemory, long capacity) {
        return spool != null && spool.accepting() && inMemory >= capacity / 2;
    }

    /** Whether at a stop's deadline the unsent is put aside rather than abandoned: whenever there is a spool. */
    public boolean atDeadline() {
        return spool != null;
    }

    /** Whether batches go to the spool without an attempt: the server has been unavailable since one was put aside. */
    public boolean spooling() {
        return spooling;
    }

    /** A batch was put aside because the server is unavailable: the ones after it follow, and the next probe is due later. */
    public void spoolingBegins() {
        spooling = true;
        nextProbeNanos = System.nanoTime() + probeIntervalNanos;
    }

    /** The server took a batch again (or the spool takes no more, or holds nothing to probe with): what it holds can be replayed. */
    public void spoolingEnds() {
        spooling = false;
        if (spool != null) {
            spool.closeWritingQuietly();
        }
    }

    /** While spooling, whether the next batch or spool record is tried first, as a probe. */
    public boolean probeDue() {
        return System.nanoTime() - nextProbeNanos >= 0 || stopping.getAsBoolean() && !probedForStop;
    }

    /** A flush was asked for: the next batch or spool record is a probe, whenever the last one was. */
    public void probeNow() {
        if (spooling) {
            nextProbeNanos = System.nanoTime();
        }
    }

    /** A probe was made: if the server {@code answered}, the spooling ends; else the next probe is due in the probe interval. */
    public void probed(boolean answered) {
        probedForStop = stopping.getAsBoolean();
        if (answered) {
            spoolingEnds();
        } else {
            nextProbeNanos = System.nanoTime() + probeIntervalNanos;
        }
    }

    /**
     * Whether a pass replays the spool: while spooling (its oldest record may be the probe), while
     * the server answers ({@code inOutage} false), or while a record waits for its retry.
     */
    public boolean replayDue(boolean inOutage, boolean recordWaiting) {
        return spool != null && (spooling || !inOutage || recordWaiting);
    }

    /** Whether the aggregated intervals' points wait in memory rather than being sent: while batches are put aside. */
    public boolean aggregatesWait() {
        return spooling;
    }
}
