/**
 * The integration SPI: what a framework's starter or a container's listener needs from rawmetrics
 * beyond the application's API ({@link io.rawmetrics.RawMetrics}), and nothing more.
 *
 * <ul>
 *   <li>{@link io.rawmetrics.spi.RecordingOwner}: hold the calls made while an owner (an application
 *       context) is being set up, start recording with its configuration, stop with it; end
 *       everything when the application ends and the JVM goes on (an undeployed web application).</li>
 *   <li>{@link io.rawmetrics.spi.LibraryLogging}: where the library logs, and handing it the
 *       application's logging.</li>
 *   <li>{@link io.rawmetrics.spi.DroppedCalls}: the calls that will never be written, by cause.</li>
 *   <li>{@link io.rawmetrics.spi.Settings}: the configuration keys, read-only, to read them from
 *       another configuration system and to name the closest key of a misspelt one.</li>
 * </ul>
 *
 * <p>The Spring Boot starter and the servlet listener use only this package and the public API;
 * a build test fails if a published module other than {@code metrics-aspect} (whose woven code
 * has its own narrow entry API) imports {@code io.rawmetrics.internal}.
 */
package io.rawmetrics.spi;
