package io.rawmetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the demo prints when it stops: {@code Stopped. Requests served: N; points written: P, dropped: D}.
 * Tests compare the points with the requests the server served, not with those the client's code
 * sent: the JDK's HttpClient sends a GET again on its own when a kept-alive connection is reset,
 * and the server then really serves (and times) one request more.
 */
record StopLine(long served, long written, long dropped) {

    private static final Pattern LINE =
            Pattern.compile("Stopped\\. Requests served: (\\d+); points written: (\\d+), dropped: (\\d+)");

    static StopLine in(String printed) {
        Matcher m = LINE.matcher(printed);
        assertTrue(m.find(), "no stop line in:\n" + printed);
        return new StopLine(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
    }

    /** Every request served is one point written, none dropped, and at least {@code sent} were served. */
    StopLine assertOnePointPerRequestServed(int sent) {
        assertTrue(served >= sent, "served " + served + " of the " + sent + " requests sent");
        assertEquals(served, written, "points written, against the requests served");
        assertEquals(0, dropped, "points dropped");
        return this;
    }
}
