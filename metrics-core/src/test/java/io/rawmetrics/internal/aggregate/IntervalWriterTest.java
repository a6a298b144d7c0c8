package io.rawmetrics.internal.aggregate;

import io.rawmetrics.internal.ReleasableThreadLocal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.Clock;
import io.rawmetrics.internal.HostIdentity;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.lineprotocol.BatchEncoder;
import io.rawmetrics.internal.spool.Spool;
import io.rawmetrics.internal.spool.SpoolReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the aggregated mode's intervals are closed, and what waits to be sent while the server is away. */
class IntervalWriterTest {

    private static final HostIdentity HOST = new HostIdentity("h", "h:1");
    private static final long SECOND = 1_000_000_000L;
    /** Half-way through a second: the first interval is a half one. */
    private static final long START = 1_764_133_200L * SECOND + SECOND / 2;

    private static IntervalWriter writer(long maxPendingBytes) {
        RawMetricsConfig config = RawMetricsConfig.builder().mode(RawMetricsConfig.Mode.AGGREGATED).build();
        return new IntervalWriter(new Aggregator(new ReleasableThreadLocal<>(() -> null), config, HOST, false), new BatchEncoder("raw-requests", 1 << 20, HOST,
                Clock.SYSTEM), HOST, SECOND, START, "http://x", maxPendingBytes);
    }

    /** The interval ends each point of {@code points} is written at. */
    private static long time(IntervalWriter.Points points) {
        String text = new String(points.lines().array(), 0, points.lines().length(), java.nio.charset.StandardCharsets.UTF_8);
        String first = text.substring(0, text.indexOf('\n'));
        return Long.parseLong(first.substring(first.lastIndexOf(' ') + 1));
    }

    @Test
    void anIntervalIsClosedOnceTheHorizonIsAtItsEndAndEveryIntervalIsWrittenCallsOrNot() {
        IntervalWriter writer = writer(IntervalWriter.MAX_PENDING_BYTES);
        long firstEnd = START + SECOND / 2;
        writer.closeBehind(firstEnd - 1, firstEnd);
        assertNull(writer.nextToSend());

        writer.closeBehind(firstEnd + 2 * SECOND, firstEnd + 2 * SECOND);
        List<Long> times = new ArrayList<>();
        for (IntervalWriter.Points points = writer.nextToSend(); points != null; points = writer.nextToSend()) {
            times.add(time(points));
            writer.sent(points);
        }
        assertEquals(List.of(firstEnd, firstEnd + SECOND, firstEnd + 2 * SECOND), times);
    }

    @Test
    void aStopCutsTheIntervalUnderWayAtThatMoment() {
        IntervalWriter writer = writer(IntervalWriter.MAX_PENDING_BYTES);
        writer.closeAt(START + SECOND / 4, true);
        IntervalWriter.Points points = writer.nextToSend();
        assertEquals(START + SECOND / 4, time(points));
        writer.sent(points);
        assertNull(writer.nextToSend());
    }

    /** While the server is away, the oldest intervals' points go first when too many wait, but never those being sent. */
    @Test
    void beyondTheRoomForWaitingPointsTheOldestGoButNotThoseBeingSent() {
        long firstEnd = START + SECOND / 2;
        IntervalWriter writer = writer(1); // no room: only the points being sent and the newest stay
        writer.closeBehind(firstEnd, firstEnd);
        IntervalWriter.Points sending = writer.nextToSend();
        assertEquals(firstEnd, time(sending));

        // Three more intervals close while that one waits out an outage: it stays, with the newest.
        writer.closeBehind(firstEnd + 3 * SECOND, firstEnd + 3 * SECOND);
        writer.sent(sending);
        List<Long> left = new ArrayList<>();
        for (IntervalWriter.Points points = writer.nextToSend(); points != null; points = writer.nextToSend()) {
            left.add(time(points));
            writer.sent(points);
        }
        assertEquals(List.of(firstEnd + 3 * SECOND), left);
    }

    @Test
    void withASpoolTheOldestWaitingIntervalsGoThereEachItsOwnPointsInsteadOfBeingDropped(@TempDir Path directory) {
        long firstEnd = START + SECOND / 2;
        IntervalWriter writer = writer(1);
        Spool spool = new Spool(directory, 1 << 20);
        writer.spoolTo(spool);
        writer.closeBehind(firstEnd, firstEnd);
        IntervalWriter.Points sending = writer.nextToSend();

        writer.closeBehind(firstEnd + 3 * SECOND, firstEnd + 3 * SECOND); // an outage: two intervals pass the room
        assertEquals(0, writer.dropped(), "none dropped: the spool took them");
        spool.closeWritingQuietly();

        List<Long> spooled = new ArrayList<>();
        for (SpoolReader.Record record = spool.next(); record != null; record = spool.next()) {
            assertTrue(record.aggregated());
            String first = new String(record.bytes(), 0, record.length(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .findFirst().orElseThrow();
            spooled.add(Long.parseLong(first.substring(first.lastIndexOf(' ') + 1)));
            spool.done(record, record.points());
        }
        assertEquals(List.of(firstEnd + SECOND, firstEnd + 2 * SECOND), spooled, "each interval its own record, in order");
        writer.sent(sending);
        assertEquals(firstEnd + 3 * SECOND, time(writer.nextToSend()), "the newest stays in memory");
    }

    @Test
    void noMoreThanSixteenIntervalsStayOpenWhateverTheHorizon() {
        IntervalWriter writer = writer(IntervalWriter.MAX_PENDING_BYTES);
        AggregatingSink sink = writer.sink();
        sink.thread = Thread.currentThread();
        // A call ending in each of 20 intervals, read while the horizon is held back at the start.
        long offset = new BatchEncoder("raw-requests", 1 << 20, HOST, Clock.SYSTEM).wallMinusMonotonic();
        TimedFunction site = TimedFunction.named("A.f");
        long[] times = new long[40];
        for (int i = 0; i < 20; i++) {
            long endWall = START + SECOND / 2 + i * SECOND + SECOND / 2;
            times[2 * i] = endWall - offset - 1_000;
            times[2 * i + 1] = endWall - offset;
        }
        sink.accept(site, null, times, null, 0, 20);
        writer.closeBehind(START, START);
        int written = 0;
        for (IntervalWriter.Points points = writer.nextToSend(); points != null; points = writer.nextToSend()) {
            written++;
            writer.sent(points);
        }
        assertEquals(20 + 1 - IntervalWriter.MAX_OPEN_INTERVALS, written);
        assertSame(null, writer.nextToSend());
    }
}
