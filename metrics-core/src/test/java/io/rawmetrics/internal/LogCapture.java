package io.rawmetrics.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what the library logs (logger {@code io.rawmetrics}, through java.util.logging) until closed. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> messages = new CopyOnWriteArrayList<>();

    public LogCapture() {
        Logger.getLogger("io.rawmetrics").addHandler(this);
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("io.rawmetrics").removeHandler(this);
    }
}
