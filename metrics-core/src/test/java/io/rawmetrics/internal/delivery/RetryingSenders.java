package io.rawmetrics.internal.delivery;

import io.rawmetrics.RawMetricsConfig;

/** A {@link RetryingSender} for tests of the rooms around it, with a backlog of fixed size. */
public final class RetryingSenders {

    private RetryingSenders() {
    }

    /** Over {@code sender}; {@code waiting} calls are said to wait while it retries, none dropped. */
    public static RetryingSender over(LineSender sender, RawMetricsConfig config, StopSignal stop, long waiting) {
        return new RetryingSender(sender, config, stop, new RetryingSender.Backlog() {
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

    /**
     * Sends {@code bytes} as the writer's loop does: again each time the retry is due, waiting in
     * between (polling, as the loop does), until they are settled. {@code whileWaiting} runs at each
     * poll, as the loop's own work would; when it returns true, the retry is made due now (a flush).
     */
    public static Sent sendUntilSettled(RetryingSender retrying, byte[] bytes,
            java.util.function.BooleanSupplier whileWaiting) {
        Sent sent = retrying.send(bytes, 0, bytes.length);
        while (sent == Sent.RETRY_LATER) {
            long left;
            while ((left = retrying.nanosUntilRetry()) > 0) {
                if (whileWaiting.getAsBoolean()) {
                    retrying.retryNow();
                    break;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, 10_000_000L));
            }
            sent = retrying.send(bytes, 0, bytes.length);
        }
        return sent;
    }
}
