package com.example.shop;

import io.rawmetrics.RawMetrics;
import io.rawmetrics.RawMetricsConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot web application; {@link GreetingController} is timed by rawmetrics. */
@SpringBootApplication
public class ShopApplication {

    public static void main(String[] args) {
        // Settings from -Drawmetrics.* and RAWMETRICS_*; no JVM shutdown hook: RawMetricsShutdown
        // stops recording once Spring's graceful shutdown has finished the requests in flight.
        RawMetrics.start(RawMetricsConfig.fromEnvironment().toBuilder().shutdownHook(false).build());
        SpringApplication.run(ShopApplication.class, args);
    }
}
