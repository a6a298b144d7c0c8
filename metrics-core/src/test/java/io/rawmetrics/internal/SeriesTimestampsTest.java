package io.rawmetrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
     * A backlog makes the table grow; once the writer says its old timestamps can no longer come,
     * the table keeps only the newer ones, and still knows them.
     */
    @Test
    void forgetsOnlyWhatIsOlderThanTheHorizonWhenItNeedsRoom() {
        for (int i = 0; i < 100_000; i++) {
            taken.claim(0, 10L * i, 10L * i);
        }
        assertEquals(100_000, taken.size());

        taken.forgetBefore(10L * 99_000);
        for (int i = 0; i < 100_000; i++) {
            taken.claim(1, 10L * i, 10L * i);
        }

        assertTrue(taken.size() < 110_000, "old entries of series 0 dropped: " + taken.size());
        assertEquals(10L * 99_500 + 1, taken.claim(0, 10L * 99_500, 10L * 99_500), "kept: still taken");
        assertEquals(10L * 99_999 + 1, taken.claim(1, 10L * 99_999, 10L * 99_999));
    }
}
