package io.rawmetrics.internal.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ChunkPoolTest {

    @Test
    void holdsExactlyItsCapacityAndNoMore() {
        ChunkPool pool = new ChunkPool(100_000, false);
        assertEquals(256, pool.chunkSize());
        List<Chunk> taken = new ArrayList<>();
        for (Chunk c = pool.acquire(); c != null; c = pool.acquire()) {
            taken.add(c);
        }
        assertEquals(100_000 / 256, taken.size());
        assertEquals(taken.size() * 256, pool.capacity());

        pool.release(taken.remove(0));
        assertNotNull(pool.acquire());
        assertNull(pool.acquire());
    }

    @Test
    void smallCapacitiesGetSmallChunksSoManyThreadsCanHoldOne() {
        assertEquals(39, new ChunkPool(10_000, false).chunkSize());
        assertEquals(1, new ChunkPool(100, false).chunkSize());
        assertEquals(1, new ChunkPool(1, false).chunkSize());
        assertEquals(1, new ChunkPool(1, false).capacity());
    }

    @Test
    void concurrentAcquireAndReleaseNeverHandOutOneChunkTwice() throws Exception {
        ChunkPool pool = new ChunkPool(64 * 16, false);
        Set<Chunk> inUse = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
        int threads = 4;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 200_000; i++) {
                        Chunk chunk = pool.acquire();
                        if (chunk != null) {
                            if (!inUse.add(chunk)) {
                                throw new AssertionError("a chunk handed out twice");
                            }
                            inUse.remove(chunk);
                            pool.release(chunk);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            worker.start();
            workers.add(worker);
        }
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(List.of(), failures);
        int free = 0;
        while (pool.acquire() != null) {
            free++;
        }
        assertEquals(pool.capacity() / pool.chunkSize(), free, "every chunk came back");
    }
}
