package io.rawmetrics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.influxd.InfluxdProcess;
import io.rawmetrics.influxd.PointsInInflux;
import io.rawmetrics.influxd.PointsInInflux.TimeAndValue;
import io.rawmetrics.it.fixtures.TimedEnds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every point says when its call ended and how long it took, checked point by point against the
 * program's own clock: several threads make calls of one series, the writer drains their buffers
 * one after another, and each point must still carry its own call's completion time.
 */
class TrueTimesIT {

    private static final String DB = "true_times_it";
    private static final String FUNCTION = "io.rawmetrics.it.fixtures.TimedEnds.spin";
    private static final String TAGGED = "io.rawmetrics.it.fixtures.TimedEnds.spinFor";
    private static final String RESULT_TAGGED = "io.rawmetrics.it.fixtures.TimedEnds.spinAndSay";
    /** The bound docs/schema.md states: a point's time is its call's completion time within 1 µs. */
    private static final long TIME_BOUND_NANOS = 1_000;
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 4_000;

    private static InfluxdProcess influxd;
    private static PointsInInflux influx;

    @BeforeAll
    static void start() {
        influxd = InfluxdProcess.startTemporary();
        influx = new PointsInInflux(influxd, DB);
        RawMetrics.start(RawMetricsConfig.builder().url(influxd.url().toString()).database(DB).build());
    }

    @AfterAll
    static void stop() {
        RawMetrics.stop(Duration.ofSeconds(10));
        influx.close();
        influxd.close();
    }

    /** One call as the caller saw it, all in {@code System.nanoTime()}. */
    private record Call(long before, long bodyStart, long bodyEnd, long after) {
    }

    @Test
    void eachPointCarriesItsCallsCompletionTimeAndDurationUnderManyThreads() throws Exception {
        TimedEnds timed = new TimedEnds();
        List<List<Call>> perThread = callFromThreads((i, seen, random) -> timed.spin(random.nextLong(20_000), seen));
        assertEachCallHasItsPoint(FUNCTION, "", perThread.stream().flatMap(List::stream).toList());
    }

    /**
     * The same for a method with a {@code @Tag}: every call's site is its tenant's, so the buffers
     * hold a site per call and the encoder changes series at every point; each tenant's points must
     * still carry their calls' times.
     */
    @Test
    void taggedPointsCarryTheirCallsCompletionTimeAndDurationUnderManyThreads() throws Exception {
        TimedEnds timed = new TimedEnds();
        String[] tenants = {"acme", "globex", "initech", "hooli"};
        List<List<Call>> perThread = callFromThreads(
                (i, seen, random) -> timed.spinFor(tenants[i % tenants.length], random.nextLong(20_000), seen));
        for (int k = 0; k < tenants.length; k++) {
            assertEachCallHasItsPoint(TAGGED, " AND \"tenant\" = '" + tenants[k] + "'", everyNth(perThread, k, tenants.length));
        }
    }

    /**
     * The same for a method with a {@code @ResultTag}: its series is chosen by its result, after
     * the end time was read; each shape's points must carry their calls' times.
     */
    @Test
    void resultTaggedPointsCarryTheirCallsCompletionTimeAndDurationUnderManyThreads() throws Exception {
        TimedEnds timed = new TimedEnds();
        String[] shapes = {"round", "square", "flat"};
        List<List<Call>> perThread = callFromThreads(
                (i, seen, random) -> timed.spinAndSay(shapes[i % shapes.length], random.nextLong(20_000), seen));
        for (int k = 0; k < shapes.length; k++) {
            assertEachCallHasItsPoint(RESULT_TAGGED, " AND \"shape\" = '" + shapes[k] + "'", everyNth(perThread, k, shapes.length));
        }
    }

    /** Of each thread's calls, those numbered {@code first}, {@code first + step}, and so on. */
    private static List<Call> everyNth(List<List<Call>> perThread, int first, int step) {
        List<Call> picked = new ArrayList<>();
        for (List<Call> calls : perThread) {
            for (int i = first; i < calls.size(); i += step) {
                picked.add(calls.get(i));
            }
        }
        return picked;
    }

    /** A call of the timed method: its number on its thread, the array it reports its body's times in. */
    private interface TimedCall {
        void call(int i, long[] seen, ThreadLocalRandom random);
    }

    /** {@value #CALLS_PER_THREAD} calls on each of {@value #THREADS} threads; each thread's calls, in order. */
    private static List<List<Call>> callFromThreads(TimedCall timedCall) throws InterruptedException {
        List<List<Call>> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Call> calls = new ArrayList<>(CALLS_PER_THREAD);
            perThread.add(calls);
            threads.add(new Thread(() -> {
                long[] seen = new long[2];
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    long before = System.nanoTime();
                    timedCall.call(i, seen, random);
                    long after = System.nanoTime();
                    calls.add(new Call(before, seen[0], seen[1], after));
                    // About 10,000 calls a second in all, as in the run that found the drift.
                    LockSupport.parkNanos(random.nextLong(1_000_000));
                }
            }, "caller-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        return perThread;
    }

    /** Reads the points of {@code function} (and {@code condition}) back and matches them to {@code calls}. */
    private static void assertEachCallHasItsPoint(String function, String condition, List<Call> calls) {
        long wallMinusMonotonic = wallMinusMonotonic();
        assertTrue(RawMetrics.flush(Duration.ofSeconds(30)));

        List<TimeAndValue> points = influx.timesAndValues(
                "SELECT application_time FROM \"raw-requests\" WHERE \"function\" = '" + function + "'" + condition);
        assertEquals(calls.size(), points.size(), "one point per call: InfluxDB keeps one point per series and time");

        // Each call must have a point of its own whose time lies between the end of the call's body
        // and the caller's next clock reading (within the bound), and whose duration lies between
        // the body's and the whole call's as the caller saw it. A preempted caller widens its call's
        // window, so windows of calls on different threads can overlap: calls are matched to points
        // as a bipartite matching (Kuhn's augmenting paths), which finds one for every call if any
        // assignment does.
        long[] times = points.stream().mapToLong(TimeAndValue::time).sorted().toArray();
        Map<Long, Long> nanosAt = new java.util.HashMap<>();
        points.forEach(point -> nanosAt.put(point.time(), Math.round(point.value() * 1e9)));
        int[][] candidates = new int[calls.size()][];
        for (int c = 0; c < calls.size(); c++) {
            Call call = calls.get(c);
            long earliest = wallMinusMonotonic + call.bodyEnd() - TIME_BOUND_NANOS;
            long latest = wallMinusMonotonic + call.after() + TIME_BOUND_NANOS;
            List<Integer> fitting = new ArrayList<>();
            int from = java.util.Arrays.binarySearch(times, earliest);
            for (int p = from >= 0 ? from : -from - 1; p < times.length && times[p] <= latest; p++) {
                long nanos = nanosAt.get(times[p]);
                if (nanos >= call.bodyEnd() - call.bodyStart() - 1 && nanos <= call.after() - call.before() + 1) {
                    fitting.add(p);
                }
            }
            candidates[c] = fitting.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] callOfPoint = new int[times.length];
        java.util.Arrays.fill(callOfPoint, -1);
        int[] visitedIn = new int[times.length];
        List<String> misses = new ArrayList<>();
        for (int c = 0; c < calls.size(); c++) {
            if (!augment(c, candidates, callOfPoint, visitedIn, c + 1)) {
                Call call = calls.get(c);
                misses.add("call ending in [" + (wallMinusMonotonic + call.bodyEnd()) + ", "
                        + (wallMinusMonotonic + call.after()) + "] taking " + (call.bodyEnd() - call.bodyStart()) + ".."
                        + (call.after() - call.before()) + " ns, " + candidates[c].length + " points fit it");
            }
        }
        assertTrue(misses.isEmpty(), misses.size() + " of " + calls.size() + " calls of " + function + condition
                + " have no point at their time: "
                + misses.subList(0, Math.min(5, misses.size())));
    }

    /** Kuhn's step: finds call {@code c} a point, moving other calls to other points of theirs if need be. */
    private static boolean augment(int c, int[][] candidates, int[] callOfPoint, int[] visitedIn, int round) {
        for (int p : candidates[c]) {
            if (visitedIn[p] == round) {
                continue;
            }
            visitedIn[p] = round;
            if (callOfPoint[p] < 0 || augment(callOfPoint[p], candidates, callOfPoint, visitedIn, round)) {
                callOfPoint[p] = c;
                return true;
            }
        }
        return false;
    }

    /** Wall-clock minus monotonic time, from the pair of readings closest together of twenty. */
    private static long wallMinusMonotonic() {
        long bestGap = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 20; i++) {
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            if (after - before < bestGap) {
                bestGap = after - before;
                offset = wall.getEpochSecond() * 1_000_000_000L + wall.getNano() - (before + (after - before) / 2);
            }
        }
        return offset;
    }
}
