package io.rawmetrics.spring.boot;

import io.rawmetrics.RawMetricsConfig;
import io.rawmetrics.spi.LibraryLogging;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * rawmetrics in a Spring Boot application: its configuration from the application's {@code
 * Environment} ({@code rawmetrics.*} in application.properties and everywhere else Spring reads
 * properties), its messages through the application's logging, and a recorder started and
 * stopped with the application context. An application can declare a {@link RawMetricsConfig}
 * bean of its own instead.
 */
@AutoConfiguration
public class RawMetricsAutoConfiguration {

    /** Keeps the timed calls made while the beans are created for this context's recorder. */
    @Bean
    static HoldCallsUntilStart rawMetricsHoldCallsUntilStart() {
        return new HoldCallsUntilStart();
    }

    /** The configuration from the application's properties; a bad value fails the start, naming it. */
    @Bean
    @ConditionalOnMissingBean
    public RawMetricsConfig rawMetricsConfig(Environment environment) {
        useApplicationLogging();
        return EnvironmentConfig.read(environment, warning -> LibraryLogging.logger().log(System.Logger.Level.WARNING, warning));
    }

    /** Starts recording with the context, stops it after the web server's graceful shutdown. */
    @Bean
    RecorderLifecycle rawMetricsRecorder(RawMetricsConfig rawMetricsConfig) {
        useApplicationLogging();
        return new RecorderLifecycle(rawMetricsConfig.toBuilder().shutdownHook(false).build());
    }

    /** Warns about controllers whose parameters lost their names to a compiler without {@code -parameters}. */
    @Bean
    ParameterNamesCheck rawMetricsParameterNamesCheck(ListableBeanFactory beans) {
        return new ParameterNamesCheck(beans);
    }

    /** SLF4J when the application has it (every Spring Boot starter's logging brings it). */
    private static void useApplicationLogging() {
        if (ClassUtils.isPresent("org.slf4j.LoggerFactory", RawMetricsAutoConfiguration.class.getClassLoader())) {
            LibraryLogging.sendTo(Slf4jRouting.LOGGER);
        }
    }

    /** Holds the SLF4J logger in a class of its own, loaded only where SLF4J is. */
    private static final class Slf4jRouting {
        static final System.Logger LOGGER = new Slf4jLogger(LibraryLogging.LOGGER_NAME);
    }
}
