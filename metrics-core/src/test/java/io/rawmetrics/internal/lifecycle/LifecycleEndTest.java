package io.rawmetrics.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.internal.CollectingSender;
import io.rawmetrics.internal.LogCapture;
import io.rawmetrics.internal.TimedFunction;
import io.rawmetrics.internal.writer.Pipeline;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application ends before the JVM (a web application undeployed, see
 * {@code io.rawmetrics.servlet.RawMetricsServletListener}): what it timed is written, the library's
 * threads end, the JVM no longer holds its shutdown hook, and later calls are not written but said.
 */
class LifecycleEndTest {

    private static final TimedFunction SITE = TimedFunction.named("Shop.place");

    @AfterEach
    void stop() {
        Lifecycle.stop(Duration.ofSeconds(1));
    }

    @Test
    void theEndWritesEveryCallEndsTheThreadsAndForgetsTheShutdownHook() throws Exception {
        CollectingSender sender = new CollectingSender();
        Lifecycle.start(RawMetricsConfig.builder().build(), sender);
        Pipeline pipeline = Lifecycle.pipeline();
        assertTrue(Lifecycle.shutdownHookInstalled());
        Thread other = new Thread(() -> record(5_000));
        other.start();
        record(5_000);
        other.join();

        assertTrue(Lifecycle.end("the test application was stopped"));

        assertEquals(10_000, sender.lines().stream().filter(line -> line.startsWith("raw-requests,")).count());
        assertFalse(pipeline.exitWatch().isAlive());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("rawmetrics-writer")),
                "the writer has ended");
        assertFalse(Lifecycle.shutdownHookInstalled(), "the JVM's hooks must not keep the application's classes");
        assertTrue(sender.closed());
    }

    @Test
    void aCallAfterTheEndIsNotWrittenAndTheFirstSaysSo() {
        CollectingSender sender = new CollectingSender();
        Lifecycle.start(RawMetricsConfig.builder().build(), sender);
        Lifecycle.end("the test application was stopped");
        try (LogCapture log = new LogCapture()) {
            record(3);

            assertEquals(java.util.List.of("rawmetrics: a call of Shop.place ended after the test application was stopped"
                    + " and is not written"), log.messages());
            assertEquals(0, sender.lines().size());
            assertFalse(Lifecycle.shutdownHookInstalled(), "a late call starts nothing");
        }
    }

    @Test
    void recordingStartsAgainAfterTheEndWhenAskedTo() {
        Lifecycle.end("the test application was stopped");
        CollectingSender sender = new CollectingSender();
        Lifecycle.start(RawMetricsConfig.builder().build(), sender);
        record(100);
        assertTrue(Lifecycle.stop(Duration.ofSeconds(10)));
        assertEquals(100, sender.lines().stream().filter(line -> line.startsWith("raw-requests,")).count());
    }

    @Test
    void aRecorderStartedByAnOwnerIsLeftToTheOwnersStop() throws Exception {
        Pipeline owned = Lifecycle.startOwned(RawMetricsConfig.builder().url("http://127.0.0.1:1").build());

        Lifecycle.end("the test application was stopped");

        assertTrue(owned == Lifecycle.pipeline(), "a Spring context in a WAR may still make timed calls as it closes");
        assertTrue(owned.exitWatch().isAlive());
        Lifecycle.stopOwned(owned, "the test context", Duration.ofSeconds(1));
        owned.exitWatch().join(10_000);
        assertFalse(owned.exitWatch().isAlive());
    }

    private static void record(int calls) {
        for (int i = 0; i < calls; i++) {
            long now = System.nanoTime();
            Lifecycle.currentRecorder().record(SITE, now - 1_000, now, null);
        }
    }
}
