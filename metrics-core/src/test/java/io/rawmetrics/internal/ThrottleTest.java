package io.rawmetrics.internal;

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

    @Test
    void ofThreadsMeetingAOnceEventTogetherExactlyOneSaysItAndEveryEventIsCounted() throws Exception {
        Throttle once = Throttle.once();
        int threads = 8;
        int events = 10_000;
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> started = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < events; i++) {
                    if (once.sayNow()) {
                        told.incrementAndGet();
                    }
                }
            });
            thread.start();
            started.add(thread);
        }
        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertEquals(1, told.get());
        assertEquals((long) threads * events, once.eventsSaid());
        assertFalse(once.due(), "said once, never due again");
    }
}
