package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A repeated event is said once per period, with the number of events the message stands for. */
class ThrottleTest {

    @Test
    void theFirstEventIsSaidAtOnceAndLaterOnesAreCountedUntilThePeriodHasPassed() {
        Throttle throttle = new Throttle(Duration.ofHours(1).toNanos());
        assertTrue(throttle.due());
        assertTrue(throttle.sayNow());
        assertEquals(1, throttle.eventsSaid());
        assertFalse(throttle.sayNow());
        assertFalse(throttle.sayNow());
        assertFalse(throttle.due());
        assertTrue(throttle.sinceLast() >= 0);
    }

    @Test
    void onceThePeriodHasPassedTheNextMessageStandsForEveryEventSince() {
        Throttle throttle = new Throttle(0);
        assertTrue(throttle.sayNow());
        assertEquals(1, throttle.eventsSaid());
        assertTrue(throttle.sayNow());
        assertTrue(throttle.sayNow());
        assertEquals(2, throttle.eventsSaid());
    }

    @Test
    void nothingSaidYetHasNoTimeSince() {
        assertEquals(-1, new Throttle(1).sinceLast());
    }
}
