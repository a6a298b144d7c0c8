package com.example.servlet;

import io.rawmetrics.FunctionCall;
import io.rawmetrics.Tag;
import java.util.concurrent.atomic.AtomicLong;

/** Places orders; each takes about a millisecond, as a database's round trip would. */
public class Orders {

    private final AtomicLong next = new AtomicLong();

    @FunctionCall
    public String place(@Tag("region") String region) {
        try {
            Thread.sleep(1); // the order's work
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "order " + next.incrementAndGet() + " in " + region;
    }
}
