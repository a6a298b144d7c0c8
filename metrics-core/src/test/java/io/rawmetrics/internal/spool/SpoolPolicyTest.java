package io.rawmetrics.internal.spool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the writer uses the spool: each rule of {@link SpoolPolicy}, with a real spool in a temporary directory. */
class SpoolPolicyTest {

    private static final long HOUR_NANOS = 3_600_000_000_000L;

    @TempDir
    Path directory;

    private final AtomicBoolean stopping = new AtomicBoolean();

    private SpoolPolicy policy(long probeIntervalNanos) {
        return new SpoolPolicy(new Spool(directory, 1 << 20), probeIntervalNanos, stopping::get);
    }

    @Test
    void withoutASpoolNothingIsEverPutAsideOrReplayed() {
        SpoolPolicy none = SpoolPolicy.none();

        assertFalse(none.putAsideNow(1_000_000, 1_000));
        assertFalse(none.atDeadline());
        assertFalse(none.replayDue(false, true));
        assertFalse(none.spooling());
    }

    @Test
    void aBatchWaitingForItsRetryIsPutAsideOnceTheMemoryBufferIsHalfFull() {
        SpoolPolicy policy = policy(HOUR_NANOS);

        assertFalse(policy.putAsideNow(499, 1_000));
        assertTrue(policy.putAsideNow(500, 1_000));
        assertTrue(policy.atDeadline(), "at a stop's deadline the unsent is put aside, not abandoned");
    }

    @Test
    void whileSpoolingOneBatchInTheProbeIntervalIsTriedAndTheFirstAfterAStop() {
        SpoolPolicy policy = policy(HOUR_NANOS);
        policy.spoolingBegins();

        assertTrue(policy.spooling());
        assertTrue(policy.aggregatesWait(), "the intervals' points wait in memory while batches are put aside");
        assertFalse(policy.probeDue(), "the next probe is an hour away");
        stopping.set(true);
        assertTrue(policy.probeDue(), "a stop: the server may be back");
        policy.probed(false);
        assertFalse(policy.probeDue(), "one probe for the stop, then the interval again");
    }

    @Test
    void aFlushMakesTheNextBatchAProbeAndAnAnswerEndsTheSpooling() {
        SpoolPolicy policy = policy(HOUR_NANOS);
        policy.spoolingBegins();

        policy.probeNow();
        assertTrue(policy.probeDue());
        policy.probed(true);
        assertFalse(policy.spooling());
        assertFalse(policy.aggregatesWait());
    }

    @Test
    void theSpoolIsReplayedWhileTheServerAnswersWhileSpoolingAndWhileARecordWaitsForItsRetry() {
        SpoolPolicy policy = policy(HOUR_NANOS);

        assertTrue(policy.replayDue(false, false), "the server answers");
        assertFalse(policy.replayDue(true, false), "an outage, nothing put aside yet: nothing to replay");
        assertTrue(policy.replayDue(true, true), "a record waits for its retry");
        policy.spoolingBegins();
        assertTrue(policy.replayDue(true, false), "its oldest record may be the probe");
    }
}
