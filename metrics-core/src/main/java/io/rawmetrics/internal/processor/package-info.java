/**
 * The annotation processor javac runs on user code: it rejects, at compile time, a
 * {@link io.rawmetrics.FunctionCall} whose names or tags InfluxDB could not store.
 *
 * <p><b>Threading.</b> Runs inside javac, on its thread.
 */
package io.rawmetrics.internal.processor;
