/**
 * The disk spool: encoded batches that could not be delivered during a long outage, kept in
 * append-only files so that the memory buffer does not overflow, and delivered later, by this
 * process or by the next one that starts with the same directory.
 *
 * <p>{@link io.rawmetrics.internal.spool.SpoolFormat} is the record layout (each record checked
 * by a CRC, and found again after a torn or corrupt one);
 * {@link io.rawmetrics.internal.spool.SpoolWriter} appends records to this process's file;
 * {@link io.rawmetrics.internal.spool.SpoolReader} reads a file's records, skipping and counting
 * what is damaged; {@link io.rawmetrics.internal.spool.Spool} is the directory: its files, their
 * locks, the cap, and what is left to replay.
 *
 * <p><b>Threading.</b> The writer thread's only; the counters are volatile, for the stats.
 */
package io.rawmetrics.internal.spool;
