package io.rawmetrics.servlet;

import io.rawmetrics.spi.RecordingOwner;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Ends rawmetrics with the web application it belongs to: when a servlet container stops the
 * application (an undeploy, a redeploy, the container's own shutdown), the calls it timed are
 * written, the library's threads end, and nothing the container keeps (its request threads, the
 * JVM's shutdown hooks) holds the application's classes any longer.
 *
 * <p>Registered by {@link RawMetricsServletInitializer} when rawmetrics is in the application's
 * {@code WEB-INF/lib}; name it in {@code web.xml} only if the application's {@code
 * <absolute-ordering>} leaves out the initializers of its libraries.
 */
public final class RawMetricsServletListener implements ServletContextListener {

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        String path = event.getServletContext().getContextPath();
        RecordingOwner.applicationEnded("the web application " + (path.isEmpty() ? "/" : path) + " was stopped");
    }
}
