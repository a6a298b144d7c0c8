package io.rawmetrics.spring.boot;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rawmetrics.internal.LibraryLog;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What the library logged through SLF4J (Logback here, as in a Spring Boot application) while it is open. */
final class LogLines implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger(LibraryLog.NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogLines() {
        appender.start();
        logger.addAppender(appender);
    }

    /** "LEVEL message", one per event, in order. */
    List<String> lines() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
