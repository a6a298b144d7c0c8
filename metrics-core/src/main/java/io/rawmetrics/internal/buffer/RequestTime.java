package io.rawmetrics.internal.buffer;

/**
 * A request's server or queue time, as the application reports it ({@link io.rawmetrics.RequestMetrics}):
 * stored as a {@link CallBuffer#appendMark mark} from the time's start to its end, so that it is
 * counted in the interval in which it ended, like a call.
 */
public enum RequestTime {
    SERVER,
    QUEUE
}
