package io.rawmetrics.spi;

import io.rawmetrics.internal.lifecycle.Lifecycle;
import io.rawmetrics.internal.writer.Losses;
import io.rawmetrics.internal.writer.Pipeline;
import java.util.function.ToLongFunction;

/**
 * Timed calls that were recorded and will never be written, by cause: what a metrics registry
 * publishes as {@code rawmetrics.calls.dropped{cause=...}}. The counts are those of the running
 * recorder, else of the one stopped last; they only grow while one records.
 */
public enum DroppedCalls {
    /** Dropped when they were made: the buffer ({@code rawmetrics.buffer-capacity}) was full. */
    BUFFER_FULL("buffer-full", Losses::bufferFull),
    /** Refused by the server: a point it cannot store, or a request it refuses. */
    REFUSED("refused", Losses::refused),
    /** Still unsent when the shutdown deadline ({@code rawmetrics.shutdown-timeout}) passed. */
    UNSENT_AT_STOP("unsent-at-stop", Losses::abandoned),
    /** In the batch being written when the writer failed (a bug, out of memory). */
    WRITER_FAILED("writer-failed", Losses::writerFailed),
    /** Of methods whose name or tags could not be encoded. */
    UNDESCRIBABLE("undescribable", Losses::undescribable),
    /** Made after the recorder had stopped, or after the writer's last pass. */
    UNSENT("unsent", Losses::unsent),
    /** Aggregated calls whose interval's points were refused, unsent at a deadline, or made after the last interval. */
    AGGREGATED("aggregated", Losses::aggregated);

    private final String cause;
    private final ToLongFunction<Losses> count;

    DroppedCalls(String cause, ToLongFunction<Losses> count) {
        this.cause = cause;
        this.count = count;
    }

    /** The cause as a tag value: {@code buffer-full}, {@code unsent-at-stop}. */
    public String cause() {
        return cause;
    }

    /** How many calls were dropped for this cause; 0 if nothing recorded yet. */
    public long count() {
        Pipeline pipeline = Lifecycle.pipelineForStats();
        return pipeline == null ? 0 : count.applyAsLong(pipeline.losses());
    }
}
