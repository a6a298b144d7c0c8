package io.rawmetrics.internal;

import io.rawmetrics.internal.delivery.LineSender;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport that keeps every line it is sent, and fails on demand. Like InfluxDB 1.x, it can
 * refuse a request body over a size ({@code 413}) and points it cannot store ({@code 400}, a
 * partial write: the other points of the request are stored).
 */
public final class CollectingSender implements LineSender {

    private final List<String> lines = new ArrayList<>();
    private volatile WriteException failure;
    private int maxBodyBytes = Integer.MAX_VALUE;
    private String refusedMarker;
    private int sends;
    private boolean closed;

    /** From now on every send fails with {@code e}; {@code null} makes sends succeed again. */
    public void failWith(WriteException e) {
        failure = e;
    }

    /** Requests larger than {@code bytes} are refused whole, as with InfluxDB's {@code max-body-size}. */
    public synchronized void refuseBodiesOver(int bytes) {
        maxBodyBytes = bytes;
    }

    /** Lines containing {@code marker} are refused, the others of their request stored (a partial write). */
    public synchronized void refuseLinesContaining(String marker) {
        refusedMarker = marker;
    }

    @Override
    public void createDatabase() {
    }

    @Override
    public synchronized void send(byte[] bytes, int offset, int length) throws WriteException {
        sends++;
        WriteException e = failure;
        if (e != null) {
            throw e;
        }
        if (length > maxBodyBytes) {
            throw new WriteException("HTTP 413: Request Entity Too Large", Failure.TOO_LARGE, null);
        }
        int refused = 0;
        for (String line : new String(bytes, offset, length, StandardCharsets.UTF_8).split("\n")) {
            if (refusedMarker != null && line.contains(refusedMarker)) {
                refused++;
            } else {
                lines.add(line); // InfluxDB would overwrite a point sent again; tests count distinct lines then
            }
        }
        if (refused > 0) {
            throw new WriteException("HTTP 400: partial write: field type conflict dropped=" + refused,
                    Failure.BAD_POINTS, null, refused);
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized int sends() {
        return sends;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean closed() {
        return closed;
    }
}
