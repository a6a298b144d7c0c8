package io.rawmetrics.internal;

/**
 * Where encoded batches go: the transport, kept behind a small interface like Dropwizard's
 * {@code GraphiteSender} so the writer loop can be tested against a fake.
 *
 * <p>Called only from the writer thread.
 */
public interface LineSender extends AutoCloseable {

    /** Creates the target database if it is missing. */
    void createDatabase() throws WriteException;

    /**
     * Writes newline-terminated line protocol with nanosecond timestamps. {@code lines} is the
     * writer's reused buffer: read it before returning, keep no reference to it.
     *
     * @throws WriteException if the server did not store the batch; {@link WriteException#retryable()}
     *                        says whether sending the same batch again may succeed
     */
    void send(CharSequence lines) throws WriteException;

    @Override
    void close();

    /** A failed write: why, and whether the same batch may be sent again. */
    final class WriteException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean retryable;

        public WriteException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
