/**
 * The library's internals: not an API, and may change in any release. This package holds only
 * what every room shares: the entry API's call-site types and the vocabulary. It refers to no
 * other package of the internals (a build test, {@code PackageCyclesTest}, fails on any package
 * cycle).
 *
 * <ul>
 *   <li><b>The entry API</b>, the only types woven code ({@code metrics-aspect}) uses, with
 *       {@link io.rawmetrics.internal.lifecycle.CallEntry}: {@link io.rawmetrics.internal.TimedFunction}
 *       (a call site, made once per site), {@link io.rawmetrics.internal.SiteDescriber} and
 *       {@link io.rawmetrics.internal.SiteDescribers} (how a site is named),
 *       {@link io.rawmetrics.internal.tags.TaggedMethod} (a tagged call's site, from its
 *       arguments), {@link io.rawmetrics.internal.LibraryLog} (where the aspect's messages go, so
 *       that an application's logging gets them too) and
 *       {@link io.rawmetrics.internal.ReleasableThreadLocal} (a thread-local a servlet container's
 *       threads do not keep past the application's end). A test in {@code integration-tests}
 *       ({@code EntryApiTest}) keeps it that way.</li>
 *   <li><b>The vocabulary</b> the rooms share: {@link io.rawmetrics.internal.CallRecorder},
 *       {@link io.rawmetrics.internal.Clock}, {@link io.rawmetrics.internal.HostIdentity},
 *       {@link io.rawmetrics.internal.Cancelled}, {@link io.rawmetrics.internal.PointNames} (the
 *       names a point can carry), {@link io.rawmetrics.internal.LibraryThreads},
 *       {@link io.rawmetrics.internal.Throttle} (when to say a repeated event: the library's one
 *       throttle, any thread).</li>
 * </ul>
 *
 * <p>The rooms, each in its own package: {@code lifecycle} (which recorder is current, starting
 * and stopping it; woven code enters there), {@code buffer} (the callers' side), {@code aggregate}
 * (the aggregated mode), {@code tags} (tags from arguments and their guard), {@code lineprotocol}
 * (encoding), {@code delivery} (HTTP, retries, throttled logs), {@code spool} (the disk spool),
 * {@code writer} (the writer thread, the counts, and the {@code Pipeline} facade that composes
 * the rooms), {@code config} (configuration sources and keys), {@code processor} (the
 * compile-time check). See docs/design.md for the drawing.
 */
package io.rawmetrics.internal;
