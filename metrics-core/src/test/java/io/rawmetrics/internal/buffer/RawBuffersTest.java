package io.rawmetrics.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.internal.FakeClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer's view of the callers' buffers: what it reads, and the horizon it may close intervals up to. */
class RawBuffersTest {

    private static final long LATE_STORE = 20;
    /** The earliest end of the calls made before the buffers existed, handed over once they do. */
    private static final long FLOOR = 1_000;
    private static final Object SITE = "S";

    private final FakeClock clock = new FakeClock(0);
    private final List<Long> ends = new ArrayList<>();

    private RawBuffers buffers(long handOverFloor) {
        clock.monotonic = 1_000_000;
        return new RawBuffers(1_024, 100, false, false, clock, LATE_STORE, handOverFloor, () -> { });
    }

    /** One writer's pass: reads what {@code room} allows, as {@code Pipeline.fillBatch} does. */
    private int pass(RawBuffers buffers, int room) {
        buffers.startPass();
        int taken = buffers.takeOldestFirst((buffer, limit, consumed) -> buffer.drainTo((site, error, times, spans, from, to) -> {
            int end = Math.min(to, from + room - ends.size());
            for (int i = from; i < end; i++) {
                ends.add(times[2 * i + 1]);
            }
            return end;
        }, limit, consumed), 100, () -> ends.size() >= room);
        buffers.recycleInFlight();
        return taken;
    }

    @Test
    void aPassThatStartedDuringTheHandOverHoldsTheHorizonAtTheFloorEvenIfTheHandOverEndsDuringIt() {
        RawBuffers buffers = buffers(FLOOR);
        ThreadBuffer handedTo = buffers.ownBuffer(Thread.currentThread());
        handedTo.append(SITE, 1_000, 1_100, null);

        pass(buffers, Integer.MAX_VALUE); // finds the buffer drained for a moment: its own horizon is "now"
        buffers.handedOver(); // ... and the last calls were stored before this, but after that visit
        handedTo.append(SITE, 1_100, 1_200, null);

        assertTrue(buffers.futureEndsFrom() <= FLOOR, "the horizon of a pass begun during the hand-over: " + buffers.futureEndsFrom());
        pass(buffers, Integer.MAX_VALUE);
        assertEquals(List.of(1_100L, 1_200L), ends);
        assertEquals(clock.monotonic - LATE_STORE, buffers.futureEndsFrom(), "every call read, the floor lifted: now, less the margin");
    }

    @Test
    void aBufferMadeDuringTheHandOverHoldsTheHorizonUntilTheWriterHasVisitedIt() {
        RawBuffers buffers = buffers(FLOOR);
        clock.monotonic += 5_000;
        ThreadBuffer handedTo = buffers.ownBuffer(Thread.currentThread()); // made after the hand-over began
        handedTo.append(SITE, 1_900, 2_000, null);
        buffers.handedOver();

        pass(buffers, 0); // a batch already full: no buffer visited
        assertTrue(buffers.futureEndsFrom() <= 2_000, "the horizon with a call ended at 2,000 unread: " + buffers.futureEndsFrom());

        pass(buffers, Integer.MAX_VALUE);
        assertEquals(List.of(2_000L), ends);
        assertEquals(clock.monotonic - LATE_STORE, buffers.futureEndsFrom());
    }

    @Test
    void withNoHandOverANewBufferStartsAtItsCreationLessTheMarginForALateStore() {
        RawBuffers buffers = buffers(Long.MAX_VALUE);
        clock.monotonic += 5_000;
        buffers.ownBuffer(Thread.currentThread());

        pass(buffers, 0);
        assertEquals(1_000_000 - LATE_STORE, buffers.futureEndsFrom(), "the shared buffers, made first, are the oldest");
    }

    @Test
    void anOwnersUnreadCallsHoldTheHorizonAtTheLastCallRead() {
        RawBuffers buffers = buffers(Long.MAX_VALUE);
        ThreadBuffer own = buffers.ownBuffer(Thread.currentThread());
        for (int i = 0; i < 10; i++) {
            own.append(SITE, 500_000 + i, 500_010 + i, null);
        }

        pass(buffers, 4);
        assertEquals(4, ends.size());
        assertEquals(500_013, buffers.futureEndsFrom(), "calls still to come from an owner end after the last one read");
    }

    @Test
    void aDeadThreadsBufferIsForgottenOnceReadAndItsCountsAreKept() throws InterruptedException {
        RawBuffers buffers = buffers(Long.MAX_VALUE);
        Thread ended = new Thread(() -> { });
        ended.start();
        ended.join();
        ThreadBuffer own = buffers.ownBuffer(ended);
        own.append(SITE, 1, 2, null);
        own.append(SITE, 3, 4, null);

        buffers.retireDeadThreads(); // not read yet: kept
        pass(buffers, Integer.MAX_VALUE);
        assertEquals(List.of(2L, 4L), ends);
        buffers.retireDeadThreads();
        pass(buffers, Integer.MAX_VALUE);

        assertEquals(2, ends.size());
        assertEquals(2, buffers.recorded(), "the calls of a retired buffer are still counted as recorded");
        assertEquals(0, buffers.dropped());
    }
}
