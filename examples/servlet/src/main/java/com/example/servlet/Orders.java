package com.example.servlet;

import io.rawmetrics.FunctionCall;
import io.rawmetrics.Tag;
import java.util.concurrent.atomic.AtomicLong;

public class Orders {

    private final AtomicLong next = new AtomicLong();

    @FunctionCall
    public String place(@Tag("region") String region) {
        return "order " + next.incrementAndGet() + " in " + region;
    }
}
