package io.rawmetrics.spi;

import io.rawmetrics.internal.LibraryLog;

/**
 * Where rawmetrics logs: one logger named {@value #LOGGER_NAME}, which forwards to {@code
 * System.getLogger} until an integration hands it the application's own logging (the Spring Boot
 * starter hands it SLF4J), so that outage, refusal and loss messages come out in the
 * application's format and at its levels.
 */
public final class LibraryLogging {

    /** The logger's name, as applications configure it ({@code logging.level.io.rawmetrics}). */
    public static final String LOGGER_NAME = LibraryLog.NAME;

    private LibraryLogging() {
    }

    /** The library's logger: what an integration logs to, so that its messages go where the library's go. */
    public static System.Logger logger() {
        return LibraryLog.LOG;
    }

    /** From now on, the library's messages go to {@code logger}, including those of classes loaded before. */
    public static void sendTo(System.Logger logger) {
        LibraryLog.sendTo(logger);
    }

    /** Back to {@code System.getLogger}, if {@code logger} is still the one messages go to. */
    public static void stopSendingTo(System.Logger logger) {
        LibraryLog.stopSendingTo(logger);
    }
}
