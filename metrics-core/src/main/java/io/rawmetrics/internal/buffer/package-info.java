/**
 * The callers' side: where a finished call is stored until the writer reads it.
 *
 * <p>Each recording thread stores into its own {@link io.rawmetrics.internal.buffer.ThreadBuffer}
 * (chunks of calls taken from the bounded {@link io.rawmetrics.internal.buffer.ChunkPool}); a
 * thread's first calls go to a buffer shared by several threads
 * ({@link io.rawmetrics.internal.buffer.FirstCalls}). The writer sees all of them through
 * {@link io.rawmetrics.internal.buffer.RawBuffers}: oldest calls first, and the horizon, the
 * earliest end time a call still to come can have. This package knows nothing of the aggregated
 * mode: a call's depth and outcome are what its recorder stores.
 *
 * <p><b>Threading.</b> A buffer has one producer (its thread; a shared buffer's producers take its
 * lock) and one consumer (the writer thread): stores are plain writes published by a release
 * store of the chunk's count, wait-free, never blocking, never throwing. Everything in
 * {@code RawBuffers} but a thread's registration is the writer's.
 */
package io.rawmetrics.internal.buffer;
