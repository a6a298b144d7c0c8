package io.rawmetrics.internal.lineprotocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeriesTimestampsTest {

    private final SeriesTimestamps taken = new SeriesTimestamps();

    @Test
    void aFreeNanosecondIsTakenAsItIs() {
        assertEquals(1_000, taken.claim(0, 1_000, 1_000));
        assertEquals(999, taken.claim(0, 999, 999));
        assertEquals(1_000, taken.claim(1, 1_000, 1_000), "another series");
        assertEquals(0, taken.moved());
    }

    @Test
    void aTakenNanosecondMovesThePointToTheNextFreeOne() {
        taken.claim(0, 1_000, 1_000);
        taken.claim(0, 1_001, 1_001);
        taken.claim(0, 1_003, 1_003);

        assertEquals(1_002, taken.claim(0, 1_000, 1_000));
        assertEquals(1_004, taken.claim(0, 1_000, 1_000));
        assertEquals(2, taken.moved());
    }

    /**
     * The writer's stream as it comes: eight threads' calls of five series, each thread's in the
     * order they ended, taken a chunk of 256 at a time from the thread furthest behind; dense
     * bursts, ties between threads and runs of equal times (a coarse clock). Against a set that
     * forgets nothing, every point gets exactly the first nanosecond of its series, at or after its
     * own, that no point had before: its own whenever that is free.
     */
    @Test
    void everyPointGetsTheFirstFreeNanosecondAtOrAfterItsOwn() {
        Random random = new Random(42);
        int threads = 8;
        long[] clock = new long[threads];
        for (int t = 0; t < threads; t++) {
            clock[t] = 1_000_000_000_000_000L + random.nextInt(1_000);
        }
        Set<Long> given = new HashSet<>();
        long freeTaken = 0;
        for (int chunk = 0; chunk < 8_000; chunk++) {
            int behind = 0;
            for (int t = 1; t < threads; t++) {
                behind = clock[t] < clock[behind] ? t : behind;
            }
            taken.forgetBefore(clock[behind]); // no thread has a call to come before its clock
            for (int call = 0; call < 256; call++) {
                int series = random.nextInt(5);
                long real = clock[behind];
                long expected = real;
                while (given.contains(expected * 8 + series)) {
                    expected++;
                }
                assertEquals(expected, taken.claim(series, real, real), "series " + series + " at " + real);
                given.add(expected * 8 + series);
                freeTaken += expected == real ? 1 : 0;
                int gap = random.nextInt(10);
                clock[behind] += gap < 2 ? 0 : gap < 8 ? 20 + random.nextInt(80) : random.nextInt(100_000);
            }
        }
        assertTrue(freeTaken > 1_000_000, "most points keep their own time: " + freeTaken);
        assertTrue(taken.size() < 300_000, "the forgotten are forgotten: " + taken.size());
    }

    /**
     * A pair is one word of the timestamp's low 44 bits and the series' number modulo 2^19: series
     * 524,288 apart, or timestamps 2^44 ns apart, share words. Such a point may be moved further
     * than it needed, but never onto a timestamp its own series already has.
     */
    @Test
    void pairsThatShareAWordAreMovedNeverGivenATakenTimestamp() {
        long t = 1_765_000_000_000_000_000L;
        int near = 7;
        int far = near + (1 << 19);
        Set<Long> nearGiven = new HashSet<>();
        Set<Long> farGiven = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertTrue(nearGiven.add(taken.claim(near, t, t)));
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(farGiven.add(taken.claim(far, t, t)));
        }
        assertEquals(Set.of(t, t + 1, t + 2), nearGiven);
        assertEquals(Set.of(t + 3, t + 4, t + 5), farGiven, "moved past the words of the other series, no further");
        long later = t + (1L << 44);
        assertEquals(later + 6, taken.claim(near, later, later), "2^44 ns later: past the six words it shares");
        assertEquals(later + 7, taken.claim(near, later, later));
    }

    /**
     * A steady stream, the horizon following it at 1,000 points: what is remembered stays within a
     * small multiple of that, and a tie with any point after the horizon is still seen.
     */
    @Test
    void remembersWhatIsAfterTheHorizonAndNotMuchMore() {
        int maxSize = 0;
        for (int i = 0; i < 1_000_000; i++) {
            taken.claim(i % 3, 10L * i, 10L * i);
            if (i % 500 == 0) {
                taken.forgetBefore(10L * (i - 1_000));
            }
            maxSize = Math.max(maxSize, taken.size());
        }
        assertTrue(maxSize <= 16_384, "at most two tables of 8,192 timestamps: " + maxSize);
        for (int i = 999_000; i < 1_000_000; i++) {
            assertEquals(10L * i + 1, taken.claim(i % 3, 10L * i, 10L * i), "a tie with point " + i);
        }
    }

    /** While a backlog is drained the horizon stands still: nothing after it is forgotten, however many. */
    @Test
    void growsWhileTheHorizonStandsStill() {
        taken.forgetBefore(0);
        for (int i = 0; i < 100_000; i++) {
            taken.claim(0, 10L * i, 10L * i);
        }
        assertEquals(100_000, taken.size());
        for (int i = 0; i < 100_000; i += 997) {
            assertEquals(10L * i + 1, taken.claim(0, 10L * i, 10L * i));
        }
    }

    /**
     * A call whose thread stopped between reading the clock and storing the call comes after the
     * horizon moved past its time: the timestamps it could tie with may be forgotten, so it goes
     * after the newest of its series, which is surely free.
     */
    @Test
    void aLateTimestampGoesAfterTheNewestOfItsSeries() {
        taken.claim(0, 100, 100);
        taken.claim(0, 300, 300);
        taken.claim(1, 50, 50);
        taken.forgetBefore(200);

        assertEquals(301, taken.claim(0, 100, 100), "100 may have been forgotten: after 300");
        assertEquals(150, taken.claim(1, 150, 150), "late, but after series 1's newest (50): its own time is free");
        assertEquals(151, taken.claim(1, 150, 150), "150 is taken now");
        assertEquals(3, taken.late());
        assertEquals(400, taken.claim(0, 400, 400), "on time again: its own time");
    }
}
