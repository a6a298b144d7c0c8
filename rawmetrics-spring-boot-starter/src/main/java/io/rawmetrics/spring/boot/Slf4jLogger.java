package io.rawmetrics.spring.boot;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's messages through SLF4J, so that an application's Logback or Log4j2 format and
 * {@code logging.level.io.rawmetrics} apply to them (see {@link io.rawmetrics.spi.LibraryLogging}).
 */
final class Slf4jLogger implements System.Logger {

    private final Logger logger;

    Slf4jLogger(String name) {
        this.logger = LoggerFactory.getLogger(name);
    }

    @Override
    public String getName() {
        return logger.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ALL, TRACE -> logger.isTraceEnabled();
            case DEBUG -> logger.isDebugEnabled();
            case INFO -> logger.isInfoEnabled();
            case WARNING -> logger.isWarnEnabled();
            case ERROR -> logger.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        switch (level) {
            case ALL, TRACE -> logger.trace(message, thrown);
            case DEBUG -> logger.debug(message, thrown);
            case INFO -> logger.info(message, thrown);
            case WARNING -> logger.warn(message, thrown);
            case ERROR -> logger.error(message, thrown);
            case OFF -> { }
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            String message = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
            log(level, bundle, message, (Throwable) null);
        }
    }
}
