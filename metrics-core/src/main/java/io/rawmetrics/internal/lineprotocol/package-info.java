/**
 * InfluxDB line protocol: escaping ({@link io.rawmetrics.internal.lineprotocol.LineProtocol}),
 * the bytes of a batch ({@link io.rawmetrics.internal.lineprotocol.LineBuffer}), and the encoder
 * that turns drained calls into points with exact, unique timestamps
 * ({@link io.rawmetrics.internal.lineprotocol.BatchEncoder},
 * {@link io.rawmetrics.internal.lineprotocol.SeriesTimestamps}).
 *
 * <p><b>Threading.</b> {@code LineProtocol} is stateless and used anywhere (configuration checks,
 * site names); the encoder and its tables are the writer thread's only.
 */
package io.rawmetrics.internal.lineprotocol;
