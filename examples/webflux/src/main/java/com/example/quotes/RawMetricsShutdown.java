package com.example.quotes;

import io.rawmetrics.RawMetrics;
import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Writes the last points when the application stops. Spring destroys beans after the web server's
 * graceful shutdown has let the requests in flight finish, so their points are written too; the
 * JVM's shutdown hooks, by contrast, run all at once, in no order.
 */
@Component
class RawMetricsShutdown implements DisposableBean {

    @Override
    public void destroy() {
        RawMetrics.stop(Duration.ofSeconds(5));
    }
}
