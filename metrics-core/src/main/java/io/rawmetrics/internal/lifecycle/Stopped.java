package io.rawmetrics.internal.lifecycle;

import io.rawmetrics.internal.CallRecorder;
import io.rawmetrics.internal.LibraryLog;
import io.rawmetrics.internal.Throttle;
import io.rawmetrics.internal.TimedFunction;

/**
 * Where calls go once recording has stopped for good: at JVM exit (hooks run all at once, so an
 * application finishing requests in its own graceful shutdown, Spring Boot's say, can still
 * end timed calls then), or when an application context that owned the recorder closed. They
 * are not written, and the first one says so, naming the method. Text built without string
 * concatenation, for the same reason as in {@link io.rawmetrics.internal.writer.Losses}.
 */
final class Stopped implements CallRecorder {
    private final String whatHappened;
    /** Standard error at exit (java.util.logging may be gone by then), else the library's log. */
    private final boolean toLog;
    private final Throttle told = Throttle.once();

    Stopped(String whatHappened, boolean toLog) {
        this.whatHappened = whatHappened;
        this.toLog = toLog;
    }

    @Override
    public void record(Object site, long startNanos, long endNanos, Object errorClass) {
        if (told.sayNow()) {
            String method;
            try {
                method = site instanceof TimedFunction function ? function.function() : String.valueOf(site);
            } catch (Throwable t) {
                method = "a timed method";
            }
            String message = new StringBuilder("rawmetrics: a call of ").append(method).append(whatHappened).toString();
            if (toLog) {
                LibraryLog.LOG.log(System.Logger.Level.WARNING, message);
            } else {
                System.err.println(message);
            }
        }
    }
}
