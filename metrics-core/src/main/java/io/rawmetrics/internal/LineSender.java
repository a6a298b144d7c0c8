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
     * Writes newline-terminated line protocol (UTF-8) with nanosecond timestamps. {@code lines} is
     * the writer's reused buffer: read it before returning, keep no reference to it.
     *
     * @throws WriteException if the server did not store the batch; {@link WriteException#retryable()}
     *                        says whether sending the same batch again may succeed
     */
    void send(LineBuffer lines) throws WriteException;

    @Override
    void close();

    /** A failed write: why, whether the same batch may be sent again, and how much of it was refused. */
    final class WriteException extends Exception {
        private static final long serialVersionUID = 1L;
        /** {@link #rejectedPoints()} when the whole batch was refused, or it is not known how much. */
        public static final int WHOLE_BATCH = -1;

        private final boolean retryable;
        private final int rejectedPoints;

        public WriteException(String message, boolean retryable, Throwable cause) {
            this(message, retryable, cause, WHOLE_BATCH);
        }

        public WriteException(String message, boolean retryable, Throwable cause, int rejectedPoints) {
            super(message, cause);
            this.retryable = retryable;
            this.rejectedPoints = rejectedPoints;
        }

        public boolean retryable() {
            return retryable;
        }

        /**
         * For a partial write (the server stored the batch's valid points and refused the others),
         * how many it refused; else {@link #WHOLE_BATCH}.
         */
        public int rejectedPoints() {
            return rejectedPoints;
        }
    }
}
