package io.rawmetrics.internal;

import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The library's one logger, {@code io.rawmetrics}. It forwards to {@code System.getLogger}
 * (java.util.logging unless the JVM has another {@link System.LoggerFinder}) until an integration
 * hands it the application's own logging: the Spring Boot starter hands it SLF4J, so that the
 * outage, refusal and loss messages come out in the application's format, at its levels. A
 * {@code LoggerFinder} cannot do that there: the JVM looks for one on the system class path, and a
 * Spring Boot jar's libraries are not on it.
 */
public final class LibraryLog {

    /** The name of the logger, as applications configure it ({@code logging.level.io.rawmetrics}). */
    public static final String NAME = "io.rawmetrics";
    private static final System.Logger DEFAULT = System.getLogger(NAME);
    private static volatile System.Logger target = DEFAULT;

    /** What every class of the library logs to. */
    public static final System.Logger LOG = new Forwarding();

    private LibraryLog() {
    }

    /** From now on, messages go to {@code logger}. */
    public static void sendTo(System.Logger logger) {
        target = Objects.requireNonNull(logger, "logger");
    }

    /** Back to {@code System.getLogger("io.rawmetrics")}, if {@code logger} is still the one messages go to. */
    public static void stopSendingTo(System.Logger logger) {
        if (target == logger) {
            target = DEFAULT;
        }
    }

    /** Reads {@link #target} on every message, so that a logger handed over later is used by classes loaded before. */
    private static final class Forwarding implements System.Logger {
        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean isLoggable(Level level) {
            return target.isLoggable(level);
        }

        @Override
        public void log(Level level, String message) {
            target.log(level, message);
        }

        @Override
        public void log(Level level, Supplier<String> message) {
            target.log(level, message);
        }

        @Override
        public void log(Level level, String message, Throwable thrown) {
            target.log(level, message, thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            target.log(level, bundle, message, thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            target.log(level, bundle, format, params);
        }
    }
}
