/**
 * The library's internals: not an API, and may change in any release. This package is where
 * woven code enters and where the recorder's life is managed.
 *
 * <ul>
 *   <li><b>The entry API</b>, the only types woven code ({@code metrics-aspect}) uses:
 *       {@link io.rawmetrics.internal.Recorder} (called when a timed call ends),
 *       {@link io.rawmetrics.internal.TimedFunction} (a call site, made once per site),
 *       {@link io.rawmetrics.internal.SiteDescriber} and {@link io.rawmetrics.internal.SiteDescribers}
 *       (how a site is named), {@link io.rawmetrics.internal.tags.TaggedMethod} (a tagged call's
 *       site, from its arguments), {@link io.rawmetrics.internal.LibraryLog} (where the
 *       aspect's messages go, so that an application's logging gets them too) and
 *       {@link io.rawmetrics.internal.ReleasableThreadLocal} (a thread-local a servlet container's
 *       threads do not keep past the application's end). A test in
 *       {@code integration-tests} ({@code EntryApiTest}) keeps it that way.</li>
 *   <li><b>The vocabulary</b> the rooms share: {@link io.rawmetrics.internal.CallRecorder},
 *       {@link io.rawmetrics.internal.Clock}, {@link io.rawmetrics.internal.HostIdentity},
 *       {@link io.rawmetrics.internal.Cancelled}.</li>
 *   <li><b>The life cycle</b>: {@link io.rawmetrics.internal.Lifecycle} starts the recorder on the
 *       first call or on {@code RawMetrics.start}, stops it, and installs the shutdown hook;
 *       {@link io.rawmetrics.internal.StartingRecorder} keeps the calls made while it starts.</li>
 * </ul>
 *
 * <p>The rooms, each in its own package: {@code buffer} (the callers' side), {@code aggregate}
 * (the aggregated mode), {@code tags} (tags from arguments and their guard), {@code lineprotocol}
 * (encoding), {@code delivery} (HTTP, retries, throttled logs), {@code writer} (the writer thread,
 * the counts, and the {@code Pipeline} facade that composes the rooms), {@code config}
 * (configuration sources and keys), {@code processor} (the compile-time check). See
 * docs/design.md for the drawing.
 *
 * <p><b>Threading.</b> {@code Recorder} runs on the callers' threads, never blocks and never
 * throws; {@code Lifecycle}'s state changes are synchronized, its reads volatile.
 */
package io.rawmetrics.internal;
