package io.rawmetrics.internal;

import java.util.ArrayList;
import java.util.List;

/** A transport that keeps every line it is sent, and fails on demand. */
final class CollectingSender implements LineSender {

    private final List<String> lines = new ArrayList<>();
    private volatile WriteException failure;
    private int sends;
    private boolean closed;

    /** From now on every send fails with {@code e}; {@code null} makes sends succeed again. */
    void failWith(WriteException e) {
        failure = e;
    }

    @Override
    public void createDatabase() {
    }

    @Override
    public synchronized void send(LineBuffer batch) throws WriteException {
        sends++;
        WriteException e = failure;
        if (e != null) {
            throw e;
        }
        for (String line : batch.toString().split("\n")) {
            lines.add(line);
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized int sends() {
        return sends;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized boolean closed() {
        return closed;
    }
}
