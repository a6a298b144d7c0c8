package io.rawmetrics.internal.delivery;

import java.util.function.Supplier;

/**
 * A sender made on the writer thread when it is first used, not when the recorder starts: making
 * the HTTP clients loads some 2,000 classes (0.55 s on a cold JVM here), and influxdb-java's client
 * resolves the server's host name when it is made. Neither may hold up the application's first
 * timed call or {@code RawMetrics.start}, and a host name that does not resolve yet (a container
 * started before its InfluxDB's DNS name exists) is an outage like any other: the writer retries,
 * and the calls wait in the buffer.
 */
public final class DeferredSender implements LineSender {

    private final String server;
    private final Supplier<? extends LineSender> factory;
    private LineSender sender;

    public DeferredSender(Supplier<? extends LineSender> factory) {
        this("the server", factory);
    }

    /** {@code server}: how messages name it before the sender is made (see {@link LineSender#server}). */
    public DeferredSender(String server, Supplier<? extends LineSender> factory) {
        this.server = server;
        this.factory = factory;
    }

    @Override
    public String server() {
        return server;
    }

    @Override
    public boolean targetMissing(WriteException failure) {
        LineSender made = sender;
        return made != null && made.targetMissing(failure);
    }

    private LineSender sender() throws WriteException {
        LineSender made = sender;
        if (made == null) {
            try {
                made = factory.get();
            } catch (io.rawmetrics.InvalidConfigurationException e) {
                throw new WriteException(e.getMessage(), Failure.REFUSED, e); // a setting: retrying cannot help
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new WriteException(String.valueOf(cause), Failure.UNAVAILABLE, e);
            } catch (LinkageError | VirtualMachineError e) {
                // A class the client needs that cannot be loaded, or no memory to make it: retried
                // as an outage is, and said as one, with its cause; the calls wait in the buffer.
                throw new WriteException("could not make the HTTP client: " + e, Failure.UNAVAILABLE, e);
            }
            sender = made;
        }
        return made;
    }

    @Override
    public void createDatabase() throws WriteException {
        sender().createDatabase();
    }

    @Override
    public void send(byte[] bytes, int offset, int length) throws WriteException {
        sender().send(bytes, offset, length);
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
    }
}
