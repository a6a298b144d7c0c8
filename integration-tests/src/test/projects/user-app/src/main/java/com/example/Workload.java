package com.example;

import io.rawmetrics.FunctionCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small program that ends: 4 threads call 5 timed methods, then {@code main} returns (or, with
 * {@code exit}, calls {@code System.exit(0)}) while their points are still buffered.
 *
 * <p>Arguments: calls per method and thread (default 1000), made flat out, or how long each thread
 * keeps calling, a round of the five methods a millisecond ({@code 300ms}: the program ends at that
 * moment, whatever the calls' count), or {@code until-started}: flat out until rawmetrics' writer
 * exists, so that {@code main} returns while rawmetrics is still starting; then
 * {@code return}, {@code exit}, {@code wait} (stays alive, for a SIGTERM), or {@code late}:
 * return, with a shutdown hook of the program's own that makes one more call once rawmetrics' own
 * hook has ended, as a server finishing a request in its own graceful shutdown would. The last line before the end
 * says how many calls of each method were made.
 */
public class Workload {

    @FunctionCall
    public int parse(int i) {
        return i + 1;
    }

    @FunctionCall
    public int validate(int i) {
        return i * 2;
    }

    @FunctionCall
    public int price(int i) {
        return i - 3;
    }

    @FunctionCall
    public int store(int i) {
        return i ^ 5;
    }

    @FunctionCall
    public int reply(int i) {
        return i % 7;
    }

    /** Each of the five methods, once. */
    public long callEach(int i) {
        return (long) parse(i) + validate(i) + price(i) + store(i) + reply(i);
    }

    /**
     * With {@code until-started}, the calls each thread makes at most: 4 threads make 80,000 calls,
     * more than the 65,536 waiting at which rawmetrics starts at once, and few enough for the default
     * buffer, written well within the shutdown deadline on a busy machine.
     */
    private static final int UNTIL_STARTED_MOST = 4_000;

    /** Whether the thread that rawmetrics starts with its writer exists (a test of the library's start, not an API). */
    private static boolean rawmetricsStarted() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("rawmetrics-exit-watch"));
    }

    /**
     * Waits until rawmetrics' own shutdown hook has ended (hooks run all at once, in no order), so
     * that the late call ends after it, whatever the machine's load: at most 30 s.
     */
    private static void awaitTheLibrarysShutdownHook() {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            Thread hook = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("rawmetrics-shutdown")).findFirst().orElse(null);
            if (hook != null) {
                try {
                    hook.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        String amount = args.length > 0 ? args[0] : "1000";
        boolean forAWhile = amount.endsWith("ms");
        boolean untilStarted = amount.equals("until-started");
        int calls = forAWhile || untilStarted ? Integer.MAX_VALUE : Integer.parseInt(amount);
        long until = forAWhile ? System.nanoTime() + Long.parseLong(amount.substring(0, amount.length() - 2)) * 1_000_000 : 0;
        String ending = args.length > 1 ? args[1] : "return";
        Workload workload = new Workload();
        if (ending.equals("late")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                awaitTheLibrarysShutdownHook();
                workload.parse(-2);
            }));
        }
        List<Thread> threads = new ArrayList<>();
        AtomicLong made = new AtomicLong();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                int i = 0;
                while (i < calls && (!forAWhile || System.nanoTime() - until < 0)
                        && !(untilStarted && i % 1000 == 0 && rawmetricsStarted())) {
                    workload.callEach(i++);
                    if (forAWhile) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    while (untilStarted && i >= UNTIL_STARTED_MOST && !rawmetricsStarted()) {
                        LockSupport.parkNanos(1_000_000); // enough calls to start it at once: wait for it
                    }
                }
                made.addAndGet(i);
            }, "worker-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        workload.callEach(-1); // and once from main
        System.out.println("main ends at " + System.currentTimeMillis() + " after " + (made.get() + 1) + " calls of each method");
        if (ending.equals("exit")) {
            System.exit(0);
        }
        if (ending.equals("wait")) {
            Thread.sleep(Long.MAX_VALUE); // until a SIGTERM; the JVM runs its shutdown hooks then
        }
    }
}
