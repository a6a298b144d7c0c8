package io.rawmetrics.internal.lifecycle;

import io.rawmetrics.internal.CallRecorder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where calls go when recording could not start ({@link Lifecycle}, when its start fails): counted, so that the
 * loss has a number in {@code RawMetrics.stats()} and at exit. A counter per call is all it
 * costs: nothing is recorded.
 */
final class NotStarted implements CallRecorder {
    private final String cause;
    private final LongAdder calls = new LongAdder();

    NotStarted(Throwable cause) {
        this.cause = String.valueOf(cause);
    }

    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        calls.increment();
    }

    void add(long kept) {
        calls.add(kept);
    }

    long calls() {
        return calls.sum();
    }

    /**
     * Built with a StringBuilder and the JDK's own formatting: said in the shutdown hook, where
     * the application's class loader may be closed (see {@link io.rawmetrics.internal.writer.Losses}).
     */
    String describe() {
        return new StringBuilder("rawmetrics: ").append(String.format("%,d", calls()))
                .append(" timed calls were not recorded: recording could not start: ").append(cause).toString();
    }
}
