package io.rawmetrics.servlet;

import io.rawmetrics.spi.LibraryLogging;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;

/**
 * Found by a servlet container in {@code META-INF/services}: registers a {@link
 * RawMetricsServletListener}, so that a web application with rawmetrics in its {@code WEB-INF/lib}
 * needs no set-up to be undeployed cleanly. Outside a servlet container nothing loads it.
 *
 * <p>A rawmetrics shared by several applications (in the container's own {@code lib}) is not
 * the application's to end: then nothing is registered, and it ends with the JVM.
 */
public final class RawMetricsServletInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        if (RawMetricsServletInitializer.class.getClassLoader() != context.getClassLoader()) {
            LibraryLogging.logger().log(System.Logger.Level.DEBUG, "rawmetrics: shared by the container's applications;"
                    + " it records until the JVM ends, not until " + context.getContextPath() + " is stopped");
            return;
        }
        context.addListener(RawMetricsServletListener.class);
    }
}
