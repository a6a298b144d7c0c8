/**
 * The aggregated mode: calls counted per interval, function and outcome, and per request.
 *
 * <p>On the callers' side, {@link io.rawmetrics.internal.aggregate.Aggregator} is the recorder:
 * it stores calls into the same buffers as the raw mode, marking the nested ones, and counts a
 * call that finds the buffer full rather than drop it. On the writer's side,
 * {@link io.rawmetrics.internal.aggregate.AggregatingSink} sorts drained calls into the open
 * intervals ({@link io.rawmetrics.internal.aggregate.OpenIntervals}), and
 * {@link io.rawmetrics.internal.aggregate.IntervalWriter} closes them behind the horizon and
 * keeps their points ({@link io.rawmetrics.internal.aggregate.IntervalReport}) until they are sent.
 * Nothing here refers to the pipeline or sends anything.
 *
 * <p><b>Threading.</b> {@code Aggregator}'s per-call methods run on the callers' threads, lock
 * free but for the rare full buffer; everything else is the writer thread's, but for counters
 * read by any thread.
 */
package io.rawmetrics.internal.aggregate;
