package io.rawmetrics.it;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Polling for what another process or thread makes true, until a deadline: never a fixed sleep. */
final class Await {

    /** A condition to poll; it may throw (a log file read, a query). */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code within} has passed; returns whether it held. */
    static boolean until(Duration within, Condition condition) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return true;
    }
}
