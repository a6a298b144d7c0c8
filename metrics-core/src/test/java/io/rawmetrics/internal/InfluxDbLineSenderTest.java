package io.rawmetrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InfluxDbLineSenderTest {

    @Test
    void partialWriteWithFieldTypeConflictCountsTheDroppedPoints() {
        // As InfluxDB 1.6 answers, checked against a real server.
        assertEquals(2, InfluxDbLineSender.rejectedPoints("partial write: field type conflict: input field"
                + " \"v\" on measurement \"poisoned\" is type float, already exists as type string dropped=2"));
    }

    @Test
    void partialWriteWithUnparsableLinesCountsEachLine() {
        assertEquals(2, InfluxDbLineSender.rejectedPoints("partial write: unable to parse 'a b': invalid field format\n"
                + "unable to parse 'c d': invalid field format dropped=0"));
    }

    @Test
    void anyOtherFailureRefusedTheWholeBatch() {
        assertEquals(LineSender.WriteException.WHOLE_BATCH, InfluxDbLineSender.rejectedPoints("authorization failed"));
        assertEquals(LineSender.WriteException.WHOLE_BATCH, InfluxDbLineSender.rejectedPoints("database not found: \"x\""));
        assertEquals(LineSender.WriteException.WHOLE_BATCH, InfluxDbLineSender.rejectedPoints(null));
    }
}
