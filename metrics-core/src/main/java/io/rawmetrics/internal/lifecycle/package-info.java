/**
 * Which recorder is current in this JVM, and its life: where woven code enters
 * ({@link io.rawmetrics.internal.lifecycle.CallEntry}, part of the entry API), the start on the
 * first call or on {@code RawMetrics.start} ({@link io.rawmetrics.internal.lifecycle.Lifecycle}),
 * the calls kept while it starts ({@link io.rawmetrics.internal.lifecycle.StartingRecorder}), the
 * stops (an owner's, the JVM's shutdown hook, an application's end in a servlet container).
 *
 * <p>The top of the internals: it composes the {@code writer}'s pipeline and the {@code
 * delivery}'s sender, and nothing of the internals refers back to it; the API ({@code RawMetrics},
 * {@code RequestMetrics}) and the integration SPI ({@code io.rawmetrics.spi}) call it.
 *
 * <p><b>Threading.</b> {@code CallEntry} runs on the callers' threads, never blocks and never
 * throws; {@code Lifecycle}'s state changes are synchronized, its reads volatile.
 */
package io.rawmetrics.internal.lifecycle;
