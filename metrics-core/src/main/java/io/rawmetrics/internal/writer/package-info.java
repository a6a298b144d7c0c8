/**
 * The running recorder: {@link io.rawmetrics.internal.writer.Pipeline}, the facade that composes
 * the rooms (start, record, flush, stop, counts); the {@link io.rawmetrics.internal.writer.Writer}
 * thread's loop; the {@link io.rawmetrics.internal.writer.Ledger}, where every count of what
 * became of the calls is read and the invariant {@code recorded = delivered + dropped + buffered}
 * is computed; {@link io.rawmetrics.internal.writer.Losses}, how a loss is told to the user; and
 * the library's own point ({@link io.rawmetrics.internal.writer.SelfMetrics}).
 *
 * <p><b>Threading.</b> {@code Pipeline.record} runs on the callers' threads; its other methods
 * on whatever thread starts, flushes or stops; {@code Writer} on {@code rawmetrics-writer}; the
 * counts are read from any thread.
 */
package io.rawmetrics.internal.writer;
