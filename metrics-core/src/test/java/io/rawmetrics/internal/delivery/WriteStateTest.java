package io.rawmetrics.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WriteStateTest {

    private static LineSender.WriteException failure(LineSender.Failure kind) {
        return new LineSender.WriteException("why: " + kind, kind, null);
    }

    @Test
    void anUnreachableServerIsFailingSinceItsFirstFailureUntilAWriteSucceeds() {
        WriteState written = WriteState.NOT_YET.written(1_000);
        WriteState down = written.answered(failure(LineSender.Failure.UNAVAILABLE), 5_000)
                .answered(failure(LineSender.Failure.UNAVAILABLE), 9_000);
        assertTrue(down.failing());
        assertEquals(5_000, down.failingSinceMillis());
        assertEquals("why: UNAVAILABLE", down.failure());
        assertEquals(1_000, down.lastWriteMillis());

        WriteState back = down.written(12_000);
        assertFalse(back.failing());
        assertEquals(12_000, back.lastWriteMillis());
    }

    @Test
    void aRefusedLoginOrDatabaseIsFailingButABatchRefusedForItsPointsIsNot() {
        assertTrue(WriteState.NOT_YET.answered(failure(LineSender.Failure.REFUSED), 1).failing());
        WriteState down = WriteState.NOT_YET.answered(failure(LineSender.Failure.UNAVAILABLE), 1);
        assertFalse(down.answered(failure(LineSender.Failure.BAD_POINTS), 2).failing(), "the server answered");
        assertFalse(down.answered(failure(LineSender.Failure.TOO_LARGE), 2).failing(), "the server answered");
    }

    @Test
    void writesWithinASecondKeepTheSameStateNoObjectPerBatch() {
        WriteState written = WriteState.NOT_YET.written(10_000);
        assertSame(written, written.written(10_999));
        assertEquals(11_000, written.written(11_000).lastWriteMillis());
    }
}
