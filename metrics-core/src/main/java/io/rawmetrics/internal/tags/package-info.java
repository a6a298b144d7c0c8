/**
 * Tags from arguments ({@link io.rawmetrics.Tag @Tag}): a timed method's argument values become
 * tagged call sites ({@link io.rawmetrics.internal.tags.TaggedMethod}), each a
 * {@link io.rawmetrics.internal.TimedFunction} of its own, so that the buffers, the encoder and
 * the aggregated mode, which all key by site, need nothing new; the cardinality guard
 * ({@link io.rawmetrics.internal.tags.TagGuard}) bounds how many there are.
 */
package io.rawmetrics.internal.tags;
