package io.rawmetrics.it;

import io.rawmetrics.it.fixtures.NestedRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A program that makes requests on 8 threads at a steady rate from its first instant, for
 * {@code args[0]} milliseconds at {@code args[1]} calls a second in all, each nested call waiting
 * {@code args[2]} microseconds (so that most threads are inside a request at any moment, when
 * recording starts too), then prints how many requests it made and returns. Configured by
 * {@code -Drawmetrics.*}; rawmetrics starts at the first call, from the environment.
 */
public final class ContinuousRequestsProcess {

    private static final int THREADS = 8;

    private ContinuousRequestsProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        long millis = Long.parseLong(args[0]);
        long callsPerSecond = Long.parseLong(args[1]);
        long period = 4 * THREADS * 1_000_000_000L / callsPerSecond; // each request is four calls
        long nanosEach = Long.parseLong(args[2]) * 1_000;
        NestedRequests handlers = new NestedRequests();
        AtomicLong requests = new AtomicLong();
        long until = System.nanoTime() + millis * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                long next = System.nanoTime();
                for (int i = 0; System.nanoTime() < until; i++) {
                    handlers.handle(i, nanosEach);
                    requests.incrementAndGet();
                    next += period;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.println("requests " + requests.get());
    }
}
