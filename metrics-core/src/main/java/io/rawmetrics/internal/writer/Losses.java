package io.rawmetrics.internal.writer;

import java.time.Duration;

/**
 * Calls that were recorded and will never be written, by cause, and how to say so to the user.
 *
 * <p>{@link #describe} builds its text with a {@code StringBuilder}, not string concatenation:
 * it runs in the JVM's shutdown hook, and under {@code mvn exec:java} the application's class
 * loader is closed by then, so that code must need nothing that is not loaded yet (this class is
 * loaded when a {@link Pipeline} is built; a concatenation's call site would be linked at its
 * first use).
 *
 * @param bufferFull    dropped when they were made, because the buffer was full
 * @param refused       refused by the server (a point it cannot store, or a request it refuses)
 * @param abandoned     still unsent when a shutdown deadline passed
 * @param writerFailed  in the batch being written when the writer failed (a bug, out of memory)
 * @param undescribable of methods whose name or tags could not be encoded
 * @param unsent        recorded after the writer's last pass (or while it stopped), never sent
 * @param aggregated    aggregated calls whose interval's points were refused, unsent at a
 *                      shutdown deadline, or that ended after the last interval was written
 * @param writerFailure the writer's first failure ({@code Throwable.toString()}), or {@code null}
 */
public record Losses(long bufferFull, long refused, long abandoned, long writerFailed, long undescribable, long unsent,
        long aggregated, String writerFailure) {

    public static final Losses NONE = new Losses(0, 0, 0, 0, 0, 0, 0, null);

    public Losses(long bufferFull, long refused, long abandoned, long writerFailed, long undescribable, long unsent,
            long aggregated) {
        this(bufferFull, refused, abandoned, writerFailed, undescribable, unsent, aggregated, null);
    }

    public long total() {
        return bufferFull + refused + abandoned + writerFailed + undescribable + unsent + aggregated;
    }

    /** What was lost since {@code earlier}. */
    Losses since(Losses earlier) {
        return new Losses(bufferFull - earlier.bufferFull, refused - earlier.refused, abandoned - earlier.abandoned,
                writerFailed - earlier.writerFailed, undescribable - earlier.undescribable, unsent - earlier.unsent,
                aggregated - earlier.aggregated, writerFailure);
    }

    /**
     * One sentence: "{@code rawmetrics: of 5,000 calls recorded, 1,200 calls were not written to
     * <where>: 1,000 dropped because ..., 200 refused by the server}".
     *
     * @param recorded         calls recorded in all, or -1 to leave that out
     * @param lead             what comes first ("in the last 60 s, "), or ""
     * @param shutdownDeadline how long the last stop had to write what was left
     */
    public String describe(long recorded, String lead, String where, int bufferCapacity, Duration shutdownDeadline) {
        StringBuilder text = new StringBuilder("rawmetrics: ").append(lead);
        if (recorded >= 0) {
            appendCount(text.append("of "), recorded).append(" calls recorded, ");
        }
        appendCount(text, total()).append(total() == 1 ? " call was" : " calls were").append(" not written to ")
                .append(where).append(':');
        String separator = " ";
        if (bufferFull > 0) {
            appendCount(appendCount(text.append(separator), bufferFull).append(" dropped because "), bufferCapacity)
                    .append(" points were already waiting to be written (rawmetrics.buffer-capacity)");
            separator = ", ";
        }
        if (refused > 0) {
            appendCount(text.append(separator), refused).append(" refused by the server");
            separator = ", ";
        }
        if (abandoned > 0) {
            appendDuration(appendCount(text.append(separator), abandoned)
                    .append(" still unsent when the shutdown deadline ("), shutdownDeadline)
                    .append(", rawmetrics.shutdown-timeout) passed");
            separator = ", ";
        }
        if (writerFailed > 0) {
            appendCount(text.append(separator), writerFailed).append(" lost when the writer failed");
            if (writerFailure != null) {
                text.append(" of ").append(writerFailure);
            }
            text.append(" (logged when it happened)");
            separator = ", ";
        }
        if (undescribable > 0) {
            appendCount(text.append(separator), undescribable).append(" of methods whose points cannot be encoded");
            separator = ", ";
        }
        if (unsent > 0) {
            appendCount(text.append(separator), unsent).append(" made after the recorder had stopped");
            separator = ", ";
        }
        if (aggregated > 0) {
            appendCount(text.append(separator), aggregated)
                    .append(" aggregated (their interval's points refused, unsent at the deadline, or made after the last interval)");
        }
        return text.toString();
    }

    /** As the settings are written: {@code 5s}, {@code 300ms}. */
    private static StringBuilder appendDuration(StringBuilder text, Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? text.append(millis / 1000).append('s') : text.append(millis).append("ms");
    }

    private static StringBuilder appendCount(StringBuilder text, long count) {
        String digits = Long.toString(count);
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                text.append(',');
            }
            text.append(digits.charAt(i));
        }
        return text;
    }
}
