package io.rawmetrics.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The first timed calls of a fresh JVM: {@code THREADS} new threads (virtual ones on Java 21 and
 * later) each make their first call of a timed method at once, as a server's first requests do;
 * prints how long until all of them returned, in milliseconds. Run it in a new JVM each time, with
 * {@code -Drawmetrics.enabled=false} and without, and compare: {@code benchmarks/first-calls.sh}.
 */
public final class FirstCalls {

    private FirstCalls() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Targets targets = new Targets();
        long start = System.nanoTime();
        ExecutorService pool = threadPerTask();
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int x = i;
            calls.add(pool.submit(() -> targets.functionCall(x)));
        }
        for (Future<Integer> call : calls) {
            call.get();
        }
        long took = System.nanoTime() - start;
        pool.shutdown();
        System.out.printf("%.1f%n", took / 1e6);
    }

    /** A virtual thread per task where the JDK has them (Java 21), else a platform thread per task. */
    private static ExecutorService threadPerTask() throws Exception {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            return Executors.newCachedThreadPool();
        }
    }
}
