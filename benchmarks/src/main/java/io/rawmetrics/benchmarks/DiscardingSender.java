package io.rawmetrics.benchmarks;

import io.rawmetrics.internal.delivery.LineSender;
import java.util.concurrent.atomic.LongAdder;

/**
 * A transport that accepts every batch without sending it: the per-call benchmark measures the
 * caller's side (and the writer's encoding, on its own thread), not the network, which the
 * end-to-end benchmark measures against a real influxd.
 */
final class DiscardingSender implements LineSender {

    final LongAdder bytes = new LongAdder();

    @Override
    public void createDatabase() {
    }

    @Override
    public void send(byte[] lines, int offset, int length) {
        bytes.add(length);
    }

    @Override
    public void close() {
    }
}
