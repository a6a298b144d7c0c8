package io.rawmetrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ReleasableThreadLocalTest {

    private final AtomicInteger made = new AtomicInteger();
    private final ReleasableThreadLocal<String> local = new ReleasableThreadLocal<>(() -> "value " + made.incrementAndGet());

    @Test
    void eachThreadKeepsItsOwnValueUntilReleased() throws Exception {
        String mine = local.get();
        assertSame(mine, local.get());
        AtomicReference<String> theirs = new AtomicReference<>();
        Thread other = new Thread(() -> theirs.set(local.get()));
        other.start();
        other.join();
        assertNotSame(mine, theirs.get());
        local.set("set here");
        assertEquals("set here", local.get());
    }

    @Test
    void releaseEmptiesTheValueOfEveryThreadAndAThreadThatAsksAgainGetsANewOne() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        AtomicReference<String> before = new AtomicReference<>();
        AtomicReference<String> after = new AtomicReference<>();
        Thread other = new Thread(() -> {
            before.set(local.get());
            holding.countDown();
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            after.set(local.get());
        });
        other.start();
        String mine = local.get();
        assertTrue(holding.await(30, TimeUnit.SECONDS));
        assertEquals(2, local.filled());

        local.release();

        assertEquals(0, local.filled(), "no thread's map holds a value any more");
        released.countDown();
        other.join();
        assertNotSame(before.get(), after.get());
        assertNotSame(mine, local.get());
        assertEquals(4, made.get());
        assertEquals(0, local.filled(), "a value made after the release is not kept");
    }

    @Test
    void releaseIfEmptiesOnlyTheValuesItAccepts() throws Exception {
        local.set("done");
        Thread other = new Thread(() -> local.set("busy"));
        other.start();
        other.join();
        Thread third = new Thread(local::get);
        third.start();
        third.join();

        local.releaseIf(value -> !value.equals("busy"));

        assertEquals(1, local.filled(), "the busy thread's value is kept");
    }

    @Test
    void aThreadThatEndedIsForgotten() throws Exception {
        for (int i = 0; i < 10; i++) {
            Thread shortLived = new Thread(local::get);
            shortLived.start();
            shortLived.join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (local.tracked() > 0 && System.nanoTime() - deadline < 0) {
            System.gc(); // an ended thread's map goes with it, and its slot with the next collection
            LockSupport.parkNanos(10_000_000);
        }
        assertEquals(0, local.tracked());
    }
}
