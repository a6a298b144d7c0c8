package io.rawmetrics.internal.delivery;

import io.rawmetrics.internal.lineprotocol.LineBuffer;

/**
 * Where encoded batches go: the transport, kept behind a small interface like Dropwizard's
 * {@code GraphiteSender} so the writer loop can be tested against a fake.
 *
 * <p>Called only from the writer thread.
 */
public interface LineSender extends AutoCloseable {

    /** Creates the target database if it is missing. */
    void createDatabase() throws WriteException;

    /** The server, as the library's messages name it, without credentials: "InfluxDB at http://db:8086". */
    default String server() {
        return "the server";
    }

    /** Whether {@code failure}, an answer of this sender's server, says the target database is missing. */
    default boolean targetMissing(WriteException failure) {
        return false;
    }

    /**
     * Writes {@code length} bytes of newline-terminated line protocol (UTF-8, nanosecond
     * timestamps) from {@code bytes} at {@code offset}. The array is the writer's reused buffer:
     * read it before returning, keep no reference to it.
     *
     * @throws WriteException if the server did not store the batch, or stored only part of it;
     *                        {@link WriteException#failure()} says what may help
     */
    void send(byte[] bytes, int offset, int length) throws WriteException;

    /** Writes the whole of {@code lines}; see {@link #send(byte[], int, int)}. */
    default void send(LineBuffer lines) throws WriteException {
        send(lines.array(), 0, lines.length());
    }

    @Override
    void close();

    /** Why a write failed, which decides what the writer does next. */
    enum Failure {
        /**
         * The server could not be reached, timed out, or failed (a 5xx): the same batch may be
         * stored later. Retried with back-off.
         */
        UNAVAILABLE,
        /** The request was larger than the server takes (HTTP 413): smaller batches may be stored. */
        TOO_LARGE,
        /**
         * The server refused points for what they hold (HTTP 400: a field type conflict, a line it
         * could not parse), possibly storing the others (a partial write).
         */
        BAD_POINTS,
        /**
         * The server refused the request whatever it holds: authentication, permission, a missing
         * database. Sending it again, whole or in parts, cannot help until the setting is fixed.
         */
        REFUSED
    }

    /** A failed write: why, and how much of the batch the server refused. */
    final class WriteException extends Exception {
        private static final long serialVersionUID = 1L;
        /** {@link #rejectedPoints()} when it is not known how many of the batch's points were refused. */
        public static final int UNKNOWN = -1;

        private final Failure failure;
        private final int rejectedPoints;

        public WriteException(String message, Failure failure, Throwable cause) {
            this(message, failure, cause, UNKNOWN);
        }

        public WriteException(String message, Failure failure, Throwable cause, int rejectedPoints) {
            super(message, cause);
            this.failure = failure;
            this.rejectedPoints = rejectedPoints;
        }

        public Failure failure() {
            return failure;
        }

        /** Whether sending the same batch again may succeed. */
        public boolean retryable() {
            return failure == Failure.UNAVAILABLE;
        }

        /**
         * For a partial write (the server stored the batch's valid points and refused the others),
         * how many it refused; else {@link #UNKNOWN}.
         */
        public int rejectedPoints() {
            return rejectedPoints;
        }
    }
}
