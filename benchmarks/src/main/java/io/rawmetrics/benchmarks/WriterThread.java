package io.rawmetrics.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The recorder's writer thread, found by its name (every version of the library names it
 * {@code rawmetrics-writer}, so a benchmark can measure an older build the same way), and the
 * CPU time it has used so far.
 */
final class WriterThread {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long id;

    private WriterThread(long id) {
        this.id = id;
    }

    /** The running recorder's writer thread. */
    static WriterThread find() {
        for (ThreadInfo info : THREADS.dumpAllThreads(false, false)) {
            if (info.getThreadName().equals("rawmetrics-writer")) {
                return new WriterThread(info.getThreadId());
            }
        }
        throw new IllegalStateException("no thread named rawmetrics-writer: is the recorder running?");
    }

    /** CPU time used so far, in nanoseconds; -1 once the thread has ended. */
    long cpuNanos() {
        return THREADS.getThreadCpuTime(id);
    }

    /** Of {@link #cpuNanos()}, the time in user mode (the rest is the kernel's). */
    long userNanos() {
        return THREADS.getThreadUserTime(id);
    }
}
