/**
 * Getting bytes to the server: the HTTP client for InfluxDB's v1 and v2 write APIs
 * ({@link io.rawmetrics.internal.delivery.InfluxDbLineSender}, behind
 * {@link io.rawmetrics.internal.delivery.LineSender}), sending with retries through outages and
 * creating the database without ever waiting ({@link io.rawmetrics.internal.delivery.RetryingSender}, which answers
 * with a typed {@link io.rawmetrics.internal.delivery.Sent}), a batch sent again in
 * halves when the server refuses part of it ({@link io.rawmetrics.internal.delivery.BatchDelivery}),
 * and the choice of transport for a configuration ({@link io.rawmetrics.internal.delivery.Senders}).
 *
 * <p><b>Threading.</b> The writer thread's only; the counters are volatile, for the stats, and
 * {@link io.rawmetrics.internal.delivery.StopSignal} is set by whoever stops the recorder.
 */
package io.rawmetrics.internal.delivery;
