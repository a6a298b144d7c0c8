package com.example.quotes;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot WebFlux application; {@link QuoteService} is timed by rawmetrics. */
@SpringBootApplication
public class QuotesApplication {

    public static void main(String[] args) {
        // As examples/spring-boot: recording stops after Spring's graceful shutdown (RawMetricsShutdown).
        RawMetrics.start(RawMetricsConfig.fromEnvironment().toBuilder().shutdownHook(false).build());
        SpringApplication.run(QuotesApplication.class, args);
    }
}
