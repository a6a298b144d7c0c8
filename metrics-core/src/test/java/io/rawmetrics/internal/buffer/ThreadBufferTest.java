package io.rawmetrics.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadBufferTest {

    private record Call(Object site, long start, long end, Object error) {
    }

    private final ChunkPool pool = new ChunkPool(32 * 4, false); // chunks of 4 calls, 32 chunks
    private final ThreadBuffer buffer = new ThreadBuffer(Thread.currentThread(), pool, () -> { });

    private List<Call> drain(int limit, List<Chunk> consumed) {
        List<Call> calls = new ArrayList<>();
        buffer.drainTo((site, error, times, spans, from, to) -> {
            for (int i = from; i < to; i++) {
                calls.add(new Call(site, times[2 * i], times[2 * i + 1], error));
            }
            return to;
        }, limit, consumed);
        return calls;
    }

    /** A sink that has room for {@code room} more calls, as an encoder whose batch reaches its size limit. */
    private List<Call> drainWithRoomFor(int room) {
        List<Call> calls = new ArrayList<>();
        buffer.drainTo((site, error, times, spans, from, to) -> {
            int end = Math.min(to, from + room - calls.size());
            for (int i = from; i < end; i++) {
                calls.add(new Call(site, times[2 * i], times[2 * i + 1], error));
            }
            return end;
        }, 100, new ArrayList<>());
        return calls;
    }

    @Test
    void callsASinkHadNoRoomForComeNextTimeWithTheirSiteAndError() {
        Object a = "A";
        Object b = "B";
        Object[] sites = {a, a, a, a, a, b, b, b, b, a};
        for (int i = 0; i < sites.length; i++) {
            buffer.append(sites[i], i, i + 100, i >= 7 ? IllegalStateException.class : null);
        }

        List<Call> calls = new ArrayList<>();
        for (int room : new int[] {3, 4, 1, 0, 5}) { // ends mid-run, at a run's end, in a chunk's middle, ...
            calls.addAll(drainWithRoomFor(room));
        }
        assertEquals(sites.length, calls.size());
        for (int i = 0; i < sites.length; i++) {
            assertSame(sites[i], calls.get(i).site(), "site of call " + i);
            assertEquals(i, calls.get(i).start());
            assertEquals(i >= 7 ? IllegalStateException.class : null, calls.get(i).error(), "error of call " + i);
        }
    }

    @Test
    void sitesAndErrorsComeBackInOrderAcrossChunksWhenSitesAlternate() {
        Object a = "A";
        Object b = "B";
        Object[] sites = {a, a, b, a, a, a, b, b, b, a, b};
        for (int i = 0; i < sites.length; i++) {
            buffer.append(sites[i], i, i + 100, i % 3 == 0 ? IllegalStateException.class : null);
        }

        List<Call> calls = drain(100, new ArrayList<>());
        assertEquals(sites.length, calls.size());
        for (int i = 0; i < sites.length; i++) {
            assertSame(sites[i], calls.get(i).site(), "site of call " + i);
            assertEquals(i, calls.get(i).start());
            assertEquals(i + 100, calls.get(i).end());
            assertEquals(i % 3 == 0 ? IllegalStateException.class : null, calls.get(i).error(), "error of call " + i);
        }
    }

    @Test
    void recycledChunksCarryNothingOfTheirPreviousCalls() {
        Object a = "A";
        Object b = "B";
        List<Chunk> consumed = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            buffer.append(b, i, i, RuntimeException.class);
        }
        drain(100, consumed);
        consumed.forEach(pool::release);
        for (int i = 0; i < 8; i++) {
            buffer.append(a, i, i, null);
        }

        for (Call call : drain(100, new ArrayList<>())) {
            assertSame(a, call.site());
            assertNull(call.error());
        }
    }

    @Test
    void drainingStopsAtTheLimitAndResumesWhereItStopped() {
        for (int i = 0; i < 10; i++) {
            buffer.append("S", i, i, null);
        }
        List<Call> first = drain(3, new ArrayList<>());
        List<Call> rest = drain(100, new ArrayList<>());

        assertEquals(3, first.size());
        assertEquals(7, rest.size());
        assertEquals(3, rest.get(0).start());
        assertTrue(buffer.isDrained());
    }

    /**
     * A drain without a limit (the writer reading the aggregated calls during an outage) after one
     * that stopped inside a chunk: it once read nothing, the start index plus Integer.MAX_VALUE
     * wrapping to a negative end, so the buffer filled and an outage's calls piled into one interval.
     */
    @Test
    void drainingWithoutALimitResumesInsideAChunk() {
        ChunkPool chunksOfFour = new ChunkPool(256 * 4, false);
        assertEquals(4, chunksOfFour.chunkSize());
        ThreadBuffer buffer = new ThreadBuffer(Thread.currentThread(), chunksOfFour, () -> { });
        for (int i = 0; i < 10; i++) {
            buffer.append("S", i, i, null);
        }
        List<Long> starts = new ArrayList<>();
        ThreadBuffer.CallSink sink = (site, error, times, spans, from, to) -> {
            for (int i = from; i < to; i++) {
                starts.add(times[2 * i]);
            }
            return to;
        };
        buffer.drainTo(sink, 3, new ArrayList<>()); // stops inside the first chunk
        buffer.drainTo(sink, Integer.MAX_VALUE, new ArrayList<>());

        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), starts);
        assertTrue(buffer.isDrained());
    }

    @Test
    void whenThePoolIsExhaustedCallsAreDroppedAndCounted() {
        for (int i = 0; i < 32 * 4 + 5; i++) {
            buffer.append("S", i, i, null);
        }
        assertEquals(5, buffer.dropped());
        assertFalse(buffer.isDrained());
        assertEquals(32 * 4, drain(1000, new ArrayList<>()).size());
    }
}
