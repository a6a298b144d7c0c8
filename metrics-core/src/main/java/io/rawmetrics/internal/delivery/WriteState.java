package io.rawmetrics.internal.delivery;

/**
 * What the writer last learnt of the server, for a health check: when a write last succeeded, and
 * since when, and why, writes fail. Only a failure of the server itself (unreachable, a 5xx, a
 * refused login or a missing database) counts: a batch refused for what it holds (a 400, a 413)
 * says the server works. Immutable; the writer replaces it.
 *
 * @param lastWriteMillis  when a write last succeeded (epoch millis, to the second), 0 if none has yet
 * @param failingSinceMillis when writes began to fail (epoch millis), 0 while they succeed
 * @param failure          why the last one failed, or {@code null}
 */
public record WriteState(long lastWriteMillis, long failingSinceMillis, String failure) {

    /** Nothing written yet, nothing failed. */
    public static final WriteState NOT_YET = new WriteState(0, 0, null);

    /** Whether writes fail now. */
    public boolean failing() {
        return failingSinceMillis != 0;
    }

    /**
     * A write succeeded. The same state within a second of the last one: health checks read the
     * time to the second, and the writer need not make an object per batch (hundreds a second).
     */
    WriteState written(long nowMillis) {
        return !failing() && nowMillis - lastWriteMillis < 1000 ? this : new WriteState(nowMillis, 0, null);
    }

    WriteState answered(LineSender.WriteException e, long nowMillis) {
        if (e.failure() != LineSender.Failure.UNAVAILABLE && e.failure() != LineSender.Failure.REFUSED) {
            return new WriteState(lastWriteMillis, 0, null); // the server answered: it works, the batch was the problem
        }
        return new WriteState(lastWriteMillis, failing() ? failingSinceMillis : nowMillis, e.getMessage());
    }
}
