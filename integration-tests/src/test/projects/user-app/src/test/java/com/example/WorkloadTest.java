package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A user's own tests of timed code: their calls are timed too, and land when the test JVM exits. */
class WorkloadTest {

    private final Workload workload = new Workload();

    @Test
    void parseAddsOne() {
        for (int i = 0; i < 500; i++) {
            assertEquals(i + 1, workload.parse(i));
        }
    }

    @Test
    void validateDoubles() {
        for (int i = 0; i < 700; i++) {
            assertEquals(2 * i, workload.validate(i));
        }
    }
}
