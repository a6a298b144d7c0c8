package io.rawmetrics.internal.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.rawmetrics.internal.Cancelled;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.FakeClock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {

    private static final HostIdentity HOST = new HostIdentity("web1", "web1:42");
    private static final long WALL = 1_764_000_000_000_000_000L;

    private final FakeClock clock = new FakeClock(WALL);
    private BatchEncoder encoder;

    @BeforeEach
    void newEncoder() {
        encoder = new BatchEncoder("raw-requests", Integer.MAX_VALUE, HOST, clock);
        encoder.startBatch();
    }

    @Test
    void encodesTheWorkshopSchemaWithTagsSortedByKey() {
        encoder.accept(TimedFunction.named("com.example.App.handle"), 1_000, 124_456, null);

        assertEquals("raw-requests,function=com.example.App.handle,hostname=web1,outcome=ok,process=web1:42"
                + " application_time=0.000123456 " + (WALL + 124_456) + "\n", encoder.lines().toString());
        assertEquals(1, encoder.points());
    }

    @Test
    void aCallMadeInASpanCarriesItsSpanAndTraceIdsAsFieldsAndTheNextCallNone() {
        TimedFunction checkout = TimedFunction.named("com.example.Shop.checkout");
        SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        HostIdentity host = new HostIdentity("web1", "web1:4242");
        BatchEncoder encoder = new BatchEncoder("raw-requests", Integer.MAX_VALUE, host,
                new FakeClock(1_764_133_200_123_456_789L - 231_417));
        encoder.startBatch();
        encoder.accept(checkout, 0, 231_417, null, span);
        encoder.accept(checkout, 0, 231_417, null, null);

        assertEquals("raw-requests,function=com.example.Shop.checkout,hostname=web1,outcome=ok,process=web1:4242"
                + " application_time=0.000231417,span_id=\"00f067aa0ba902b7\",trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\""
                + " 1764133200123456789\n"
                + "raw-requests,function=com.example.Shop.checkout,hostname=web1,outcome=ok,process=web1:4242"
                + " application_time=0.000231417 1764133200123456790\n", encoder.lines().toString());
        assertEquals(0, encoder.unwritableSpans());
    }

    /** A span implementation of the application's own, whose ids are not OpenTelemetry's hex: they are never written as they are. */
    @Test
    void aSpanWhoseIdsAreNotHexIsWrittenWithoutThemAndCounted() {
        SpanContext odd = new SpanContext() {
            @Override
            public String getTraceId() {
                return "4bf92f3577b34da6a3ce929d0e0e47\" ";
            }

            @Override
            public String getSpanId() {
                return "00f067aa0ba902b7";
            }

            @Override
            public TraceFlags getTraceFlags() {
                return TraceFlags.getSampled();
            }

            @Override
            public TraceState getTraceState() {
                return TraceState.getDefault();
            }

            @Override
            public boolean isRemote() {
                return false;
            }
        };
        encoder.accept(TimedFunction.named("App.f"), 0, 1_000, null, odd);

        assertEquals("raw-requests,function=App.f,hostname=web1,outcome=ok,process=web1:42"
                + " application_time=0.000001000 " + (WALL + 1_000) + "\n", encoder.lines().toString());
        assertEquals(1, encoder.unwritableSpans());
    }

    @Test
    void errorsCarryOutcomeAndExceptionClass() {
        encoder.accept(TimedFunction.named("App.f"), 0, 2_000_000_000L, IllegalStateException.class);

        assertEquals("raw-requests,exception=java.lang.IllegalStateException,function=App.f,hostname=web1,"
                + "outcome=error,process=web1:42 application_time=2.000000000 " + (WALL + 2_000_000_000L) + "\n", encoder.lines().toString());
    }

    @Test
    void aCancelledCallHasItsOwnOutcomeAndNoException() {
        encoder.accept(TimedFunction.named("App.f"), 0, 3_000, Cancelled.class);

        assertEquals("raw-requests,function=App.f,hostname=web1,outcome=cancelled,process=web1:42"
                + " application_time=0.000003000 " + (WALL + 3_000) + "\n", encoder.lines().toString());
    }

    @Test
    void annotationMeasurementAndConstantTagsAreEscaped() {
        TimedFunction f = new TimedFunction("my requests", "App.f", Map.of("team name", "a,b", "z", "1"));
        encoder.accept(f, 0, 1, null);

        assertEquals("my\\ requests,function=App.f,hostname=web1,outcome=ok,process=web1:42,team\\ name=a\\,b,z=1"
                + " application_time=0.000000001 " + (WALL + 1) + "\n", encoder.lines().toString());
    }

    @Test
    void callsEndingInTheSameNanosecondGetDistinctTimestamps() {
        TimedFunction f = TimedFunction.named("App.f");
        encoder.accept(f, 0, 500, null);
        encoder.accept(f, 0, 500, null);
        encoder.accept(f, 0, 501, null); // its nanosecond was taken by the tie: moved on too
        encoder.accept(f, 0, 499, null); // ended earlier, drained later: its own nanosecond is free

        assertEquals(List.of(WALL + 500, WALL + 501, WALL + 502, WALL + 499), timestamps());
        assertEquals(2, encoder.movedTimestamps());
    }

    /**
     * The writer drains one thread's buffer after another: a series' calls come out of order. Each
     * keeps its own completion time (the encoder once pushed every call of the second thread past
     * the first thread's last one).
     */
    @Test
    void callsOfOneSeriesDrainedOneThreadAfterAnotherKeepTheirCompletionTimes() {
        TimedFunction f = TimedFunction.named("App.f");
        long[] threadA = {1_000, 2_000, 3_000, 4_000};
        long[] threadB = {1_500, 2_500, 3_500};
        for (long end : threadA) {
            encoder.accept(f, end - 100, end, null);
        }
        for (long end : threadB) {
            encoder.accept(f, end - 100, end, null);
        }

        assertEquals(List.of(WALL + 1_000, WALL + 2_000, WALL + 3_000, WALL + 4_000, WALL + 1_500, WALL + 2_500,
                WALL + 3_500), timestamps());
        assertEquals(0, encoder.movedTimestamps());
    }

    @Test
    void aTieWithAPointOfAnEarlierBatchIsMovedToo() {
        TimedFunction f = TimedFunction.named("App.f");
        encoder.accept(f, 0, 800, null);
        encoder.startBatch();
        encoder.accept(f, 0, 700, null);
        encoder.accept(f, 0, 800, null);

        assertEquals(List.of(WALL + 700, WALL + 801), timestamps());
    }

    /** A clock coarser than a nanosecond gives many calls one end time: they take consecutive nanoseconds. */
    @Test
    void aRunOfCallsEndingInOneTickTakesConsecutiveNanoseconds() {
        TimedFunction f = TimedFunction.named("App.f");
        long[] times = new long[2 * 1000];
        java.util.Arrays.fill(times, 5_000);
        encoder.accept(f, null, times, null, 0, 1000);
        encoder.accept(f, 0, 5_500, null); // the next tick's first call: its nanosecond is taken by the run

        List<Long> stamps = timestamps();
        for (int i = 0; i < 1000; i++) {
            assertEquals(WALL + 5_000 + i, stamps.get(i));
        }
        assertEquals(WALL + 6_000, stamps.get(1000));
    }

    /** Two readings of the clocks' offset differ by a few nanoseconds of noise: the first one stays. */
    @Test
    void theClockOffsetIgnoresNoiseAndFollowsARealChange() {
        TimedFunction f = TimedFunction.named("App.f");
        long[] wallNoise = {0};
        Clock noisy = new Clock() {
            @Override
            public long wallTimeNanos() {
                return WALL + clock.monotonic + wallNoise[0];
            }

            @Override
            public long monotonicNanos() {
                return clock.monotonic;
            }
        };
        BatchEncoder e = new BatchEncoder("raw-requests", Integer.MAX_VALUE, HOST, noisy);
        e.startBatch();
        e.accept(f, 0, 1_000, null);
        wallNoise[0] = 150; // noise: the offset stays
        e.startBatch();
        e.accept(f, 0, 2_000, null);
        assertEquals(WALL + 2_000, lastTimestamp(e));
        wallNoise[0] = 5_000; // NTP moved the wall clock: followed
        e.startBatch();
        e.accept(f, 0, 3_000, null);
        assertEquals(WALL + 3_000 + 5_000, lastTimestamp(e));
    }

    private static long lastTimestamp(BatchEncoder e) {
        String text = e.lines().toString().strip();
        return Long.parseLong(text.substring(text.lastIndexOf(' ') + 1));
    }

    private List<Long> timestamps() {
        return java.util.Arrays.stream(encoder.lines().toString().split("\n"))
                .map(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).toList();
    }

    @Test
    void twoSitesWithTheSameSeriesShareTimestampUniqueness() {
        // Overloads of one method are two sites with identical tags: one InfluxDB series.
        encoder.accept(new TimedFunction(null, "App.overloaded", Map.of()), 0, 700, null);
        encoder.accept(new TimedFunction(null, "App.overloaded", Map.of()), 0, 700, null);

        String[] lines = encoder.lines().toString().split("\n");
        assertEquals(String.valueOf(WALL + 701), lines[1].substring(lines[1].lastIndexOf(' ') + 1));
    }

    @Test
    void differentSeriesMayShareATimestamp() {
        encoder.accept(TimedFunction.named("App.a"), 0, 700, null);
        encoder.accept(TimedFunction.named("App.b"), 0, 700, null);

        String[] lines = encoder.lines().toString().split("\n");
        assertEquals(String.valueOf(WALL + 700), lines[1].substring(lines[1].lastIndexOf(' ') + 1));
    }

    @Test
    void wallClockAnchorIsReadAtEachBatch() {
        clock.monotonic = 10_000;
        encoder.startBatch();
        encoder.accept(TimedFunction.named("App.f"), 9_000, 9_500, null);

        assertEquals(String.valueOf(WALL + 9_500), encoder.lines().toString().substring(encoder.lines().toString().lastIndexOf(' ') + 1).strip());
    }

    @Test
    void timestampsAreWrittenInFullAcrossSecondBoundariesAndForEarlyTimes() {
        BatchEncoder early = new BatchEncoder("m", Integer.MAX_VALUE, HOST, new FakeClock(0));
        early.startBatch();
        TimedFunction f = TimedFunction.named("App.f");
        early.accept(f, 0, 5, null);
        early.accept(f, 0, 999_999_999, null);
        early.accept(f, 0, 1_000_000_000, null);
        early.accept(f, 0, 1_000_000_007, null);
        early.accept(f, 0, 12_000_000_000L, null);

        String[] lines = early.lines().toString().split("\n");
        String[] expected = {"5", "999999999", "1000000000", "1000000007", "12000000000"};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], lines[i].substring(lines[i].lastIndexOf(' ') + 1));
        }
    }

    @Test
    void sitesInterleavedInABatchKeepTheirOwnSeries() {
        TimedFunction a = TimedFunction.named("App.a");
        TimedFunction b = TimedFunction.named("App.b");
        encoder.accept(a, 0, 1, null);
        encoder.accept(b, 0, 1, null);
        encoder.accept(b, 0, 1, null);
        encoder.accept(a, 0, 1, null);

        String[] lines = encoder.lines().toString().split("\n");
        assertEquals(List.of("App.a", "App.b", "App.b", "App.a"),
                java.util.Arrays.stream(lines).map(l -> l.substring(l.indexOf("function=") + 9, l.indexOf(",hostname"))).toList());
        assertEquals(String.valueOf(WALL + 2), lines[2].substring(lines[2].lastIndexOf(' ') + 1), "b's second call moved on");
        assertEquals(String.valueOf(WALL + 2), lines[3].substring(lines[3].lastIndexOf(' ') + 1), "a's second call moved on");
    }

    /** What the writer names when a server refuses a point: each point's own function, batch after batch. */
    @Test
    void eachPointKnowsItsFunctionInEveryBatch() {
        TimedFunction a = TimedFunction.named("App.a");
        TimedFunction b = TimedFunction.named("App.b");
        TimedFunction c = TimedFunction.named("App.c");
        List<List<TimedFunction>> batches = List.of(List.of(a, b, b, a, c), List.of(c, c, a), List.of(b));
        for (List<TimedFunction> calls : batches) {
            encoder.startBatch();
            calls.forEach(site -> encoder.accept(site, 0, 1, null));

            List<TimedFunction> named = new java.util.ArrayList<>();
            for (int i = 0; i < encoder.points(); i++) {
                named.add(encoder.function(i));
            }
            assertEquals(calls, named);
        }
    }

    @Test
    void callsOfASiteNoDescriberKnowsAreCountedAndNotEncoded() {
        Object unknown = new Object();
        encoder.accept(unknown, 0, 1, null);
        encoder.accept(unknown, 0, 2, null);

        assertEquals("", encoder.lines().toString());
        assertEquals(2, encoder.undescribable());
    }

    @Test
    void timestampsAreRightAcrossTheTenthOfASecondWhoseDigitsAreReused() {
        long[] ends = {99_999_999, 100_000_000, 100_000_001, 1_099_999_999, 1_100_000_000, 60_000_000_007L};
        for (long end : ends) {
            encoder.accept(TimedFunction.named("App.f"), end - 1, end, null);
        }
        String[] lines = encoder.lines().toString().split("\n");
        for (int i = 0; i < ends.length; i++) {
            assertEquals(String.valueOf(WALL + ends[i]), lines[i].substring(lines[i].lastIndexOf(' ') + 1));
        }
    }

    /**
     * A run of calls larger than the batch's byte limit: the batch takes every point that fits
     * (points are shorter than the room reserved for them, so some only fit on a second look), says
     * it is full, and each line is whole and where the line index says it is.
     */
    @Test
    void aRunFillsTheBatchToItsByteLimitAndNoFurther() {
        String line = "raw-requests,function=App.f,hostname=web1,outcome=ok,process=web1:42 application_time=0.000000010 "
                + (WALL + 1_000) + "\n";
        int limit = 1_000;
        encoder = new BatchEncoder("raw-requests", limit, HOST, clock);
        encoder.startBatch();
        long[] times = new long[2 * 100];
        for (int i = 0; i < 100; i++) {
            times[2 * i] = 1_000L * (i + 1) - 10;
            times[2 * i + 1] = 1_000L * (i + 1);
        }

        int taken = encoder.accept(TimedFunction.named("App.f"), null, times, null, 0, 100);

        assertEquals(limit / line.length(), taken);
        assertEquals(taken, encoder.points());
        assertEquals(true, encoder.full());
        assertEquals(taken * line.length(), encoder.lines().length());
        String text = encoder.lines().toString();
        for (int i = 0; i < taken; i++) {
            assertEquals(line.replace(String.valueOf(WALL + 1_000), String.valueOf(WALL + 1_000L * (i + 1))),
                    text.substring(encoder.lineStart(i), encoder.lineEnd(i)), "line " + i);
        }
    }

    @Test
    void anEmptyBatchTakesOnePointLargerThanItsByteLimit() {
        encoder = new BatchEncoder("raw-requests", 20, HOST, clock);
        encoder.startBatch();

        assertEquals(1, encoder.accept(TimedFunction.named("App.f"), null, new long[] {0, 1, 0, 2}, null, 0, 2));
        assertEquals(true, encoder.full());
        assertEquals(1, encoder.points());
    }
}
