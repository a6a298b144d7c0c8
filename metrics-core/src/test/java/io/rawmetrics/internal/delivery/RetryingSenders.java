package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;

/** A {@link RetryingSender} for tests of the rooms around it, with a backlog of fixed size. */
public final class RetryingSenders {

    private RetryingSenders() {
    }

    /** Over {@code sender}; {@code waiting} calls are said to wait while it retries, none dropped; {@code whileWaiting} as the writer's. */
    public static RetryingSender over(LineSender sender, RawMetricsConfig config, StopSignal stop, RetryingSender.WhileWaiting whileWaiting,
            long waiting) {
        return new RetryingSender(sender, config, stop, whileWaiting, new RetryingSender.Backlog() {
            @Override
            public long dropped() {
                return 0;
            }

            @Override
            public long waiting() {
                return waiting;
            }
        });
    }
}
