package io.rawmetrics.internal.spool;

import io.rawmetrics.internal.LibraryLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The spool directory ({@code rawmetrics.spool-directory}): batches put aside during an outage, in
 * files of this process ({@link SpoolWriter}), and the records still to replay, in this process's
 * files and in those a previous process left. One class, over 350 lines, because it is one set of
 * rules over files several processes share (their names, locks, bound, replay and deletion),
 * which read more safely together; the records themselves are {@link SpoolWriter}'s,
 * {@link SpoolReader}'s and {@link SpoolFormat}'s.
 *
 * <p><b>Files and locks.</b> A file is named after the time it was begun, the process id and a
 * sequence number, so that names sort oldest first. The process writing a file holds it locked;
 * a file is replayed only by a process that gets its lock (its writer has closed it or died), and
 * it holds the lock while it replays, so two JVMs never write or replay the same file. A replayed
 * record is marked delivered in place; a file all of whose records are delivered is deleted.
 *
 * <p><b>Bounded.</b> At {@code rawmetrics.spool-max-bytes} no more batches are put aside: the
 * newest calls then wait in memory, and once the memory buffer is full too, they are dropped and
 * counted, as without a spool. The newest, not the oldest: what is in the spool keeps its place,
 * files are only ever appended to, and both stores drop the same way. A file that cannot be
 * written (a full disk, a directory made read-only) stops the spooling for a minute, with a
 * warning naming the directory and the error; it never blocks a caller.
 */
public final class Spool {

    private static final System.Logger LOG = LibraryLog.LOG;
    /** A file is closed at this size and a new one begun: what a replay reads at a time, and deletes. */
    static final long FILE_BYTES = 64L << 20;
    private static final long RETRY_AFTER_FAILURE_NANOS = Duration.ofMinutes(1).toNanos();
    /** How often the directory is looked at again for files another process may have left or released. */
    private static final long RESCAN_NANOS = Duration.ofMinutes(1).toNanos();

    private final Path directory;
    private final long maxBytes;
    private final String filePrefix;
    private final Set<Path> own = new HashSet<>();
    /** Across the spools of this JVM (a restarted recorder), so that two never make the same name. */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private SpoolWriter writing;
    private long bytes;
    private long failedAtNanos;
    private boolean failed;
    /** A batch did not fit under the cap: nothing more is taken until a replayed file is deleted. */
    private boolean full;

    private Path replaying;
    private FileChannel replayChannel;
    private FileLock replayLock;
    private SpoolReader reader;
    private int damagedBeforeThisFile;
    private long damagedPointsBeforeThisFile;
    /**
     * Whether a file may wait to be replayed: the writer asks on every pass, hundreds a second
     * under load, and listing the directory each time takes CPU from the callers (docs/performance.md,
     * "The figures behind the code's choices"). True at the start, when this process
     * closes a file it wrote, and once a minute, for files another process left or released.
     */
    private boolean mayHaveBacklog = true;
    private long nextScanNanos;
    /** The record {@link #next()} returned and that is not {@link #done} yet: returned again by the next call. */
    private SpoolReader.Record pending;

    private volatile long spooled;
    private volatile long replayedOwn;
    private volatile long replayedOthers;
    private volatile int damagedRecords;
    private volatile long damagedPoints;
    private volatile long damagedOwnPoints;
    private volatile long refusedOwn;
    private volatile long spooledAggregatedCalls;
    private volatile long replayedAggregatedCalls;
    /** Points of another process's file delivered so far, for the line that says so when it is done. */
    private long deliveredFromThisFile;

    /** The spool in {@code directory} (made if missing), holding at most {@code maxBytes}. */
    public Spool(Path directory, long maxBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.filePrefix = "-" + ProcessHandle.current().pid() + "-";
        try {
            Files.createDirectories(directory);
            for (Path file : files()) {
                bytes += Files.size(file);
            }
        } catch (IOException | UncheckedIOException e) {
            failed(e);
        }
    }

    /** Whether a batch may be put aside now: under the cap, and the directory writable as far as known. */
    public boolean accepting() {
        if (failed && System.nanoTime() - failedAtNanos < RETRY_AFTER_FAILURE_NANOS) {
            return false;
        }
        return !full && bytes < maxBytes;
    }

    /**
     * Puts a batch aside: {@code length} bytes of line protocol from {@code offset}, {@code points}
     * points. Returns false if it would pass the cap, or if the file cannot be written (logged,
     * naming the directory and the error): the batch then stays in memory.
     */
    public boolean append(byte[] batch, int offset, int length, int points) {
        return append(batch, offset, length, points, SpoolFormat.RAW);
    }

    /**
     * Puts an interval's aggregated points aside ({@code points} lines counting {@code calls}
     * calls), as {@link #append(byte[], int, int, int)} does a raw batch.
     */
    public boolean appendAggregated(byte[] lines, int offset, int length, int points, int calls) {
        return append(lines, offset, length, points, Math.max(0, calls));
    }

    private boolean append(byte[] batch, int offset, int length, int points, int calls) {
        if (!accepting()) {
            return false;
        }
        if (bytes + SpoolFormat.HEADER_BYTES + length > maxBytes) {
            if (!full) {
                full = true;
                LOG.log(System.Logger.Level.WARNING, "rawmetrics: the spool " + directory + " holds " + bytes
                        + " bytes, and the next batch would pass rawmetrics.spool-max-bytes (" + maxBytes
                        + "): the newest calls wait in memory, and are dropped and counted once it is full too");
            }
            return false;
        }
        try {
            if (writing == null || writing.size() >= FILE_BYTES) {
                closeWriting();
                Path file = directory.resolve(String.format("%013d%s%06d.spool", System.currentTimeMillis(), filePrefix,
                        SEQUENCE.getAndIncrement()));
                writing = SpoolWriter.create(file);
                own.add(file);
                bytes += writing.size();
            }
            long before = writing.size();
            writing.append(batch, offset, length, points, calls);
            bytes += writing.size() - before;
            if (calls == SpoolFormat.RAW) {
                spooled += points;
            } else {
                spooledAggregatedCalls += calls;
            }
            failed = false;
            return true;
        } catch (IOException | UncheckedIOException e) {
            failed(e);
            closeWritingQuietly();
            return false;
        }
    }

    /**
     * The next record to deliver, oldest first, from the files no process is writing (this one's
     * included once it has {@link #closeWriting closed} it), or {@code null} if there is none.
     */
    public SpoolReader.Record next() {
        if (pending != null) {
            return pending; // not delivered last time (the server went away again, or a stop's deadline passed)
        }
        if (reader == null && !mayHaveBacklog && System.nanoTime() - nextScanNanos < 0) {
            return null;
        }
        try {
            while (true) {
                if (reader == null && !openNextFile()) {
                    mayHaveBacklog = false;
                    nextScanNanos = System.nanoTime() + RESCAN_NANOS;
                    return null;
                }
                SpoolReader.Record record = reader.next();
                if (record != null) {
                    pending = record;
                    return record;
                }
                finishFile();
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: cannot read the spool file " + replaying + " ("
                    + e + "); it is left for a later replay");
            closeReplayQuietly();
            return null;
        }
    }

    /**
     * {@code record}, from {@link #next()}, was sent: {@code delivered} of its points were stored,
     * the others refused for what they hold. It is not replayed again.
     */
    public void done(SpoolReader.Record record, int delivered) {
        try {
            reader.markDelivered(record.position());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "rawmetrics: could not mark a spool record delivered: " + e);
        }
        if (record.aggregated()) {
            if (own.contains(replaying)) {
                replayedAggregatedCalls += record.calls();
            }
        } else if (own.contains(replaying)) {
            replayedOwn += delivered;
            refusedOwn += record.points() - delivered;
        } else {
            replayedOthers += delivered;
            deliveredFromThisFile += delivered;
        }
        pending = null;
    }

    /** Whether {@code record}, from {@link #next()}, was put aside by this process. */
    public boolean isOwn() {
        return own.contains(replaying);
    }

    /** The file being written is closed: it may be replayed (the server answers again, or the recorder stops). */
    public void closeWriting() throws IOException {
        if (writing != null) {
            SpoolWriter closing = writing;
            writing = null;
            mayHaveBacklog = true;
            closing.close();
        }
    }

    /** What the minute between two looks at the directory does: the next {@link #next()} looks. */
    void lookAgain() {
        mayHaveBacklog = true;
    }

    /** Closes what is open; the files stay for the next process. */
    public void close() {
        closeWritingQuietly();
        closeReplayQuietly();
    }

    /** Points this process put aside. */
    public long spooled() {
        return spooled;
    }

    /** Points this process put aside and then delivered from the spool. */
    public long replayedOwn() {
        return replayedOwn;
    }

    /** Points other processes put aside that this one delivered. */
    public long replayedOthers() {
        return replayedOthers;
    }

    /** Damaged records skipped (torn by a process killed while writing, or corrupt). */
    public int damagedRecords() {
        return damagedRecords;
    }

    /** Points in skipped damaged records, as far as their headers said. */
    public long damagedPoints() {
        return damagedPoints;
    }

    /** Of {@link #damagedPoints()}, those this process had put aside: lost calls of its own. */
    public long damagedOwnPoints() {
        return damagedOwnPoints;
    }

    /** Calls counted in aggregated points this process put aside. */
    public long spooledAggregatedCalls() {
        return spooledAggregatedCalls;
    }

    /** Calls counted in aggregated points this process put aside and then delivered from the spool. */
    public long replayedAggregatedCalls() {
        return replayedAggregatedCalls;
    }

    /** Points this process put aside that are still in the spool: not lost, left for a later replay. */
    public long ownWaiting() {
        return Math.max(0, spooled - replayedOwn - refusedOwn - damagedOwnPoints);
    }

    /** Bytes in the spool's files, as far as this process knows. */
    public long bytes() {
        return bytes;
    }

    public Path directory() {
        return directory;
    }

    private boolean openNextFile() throws IOException {
        for (Path file : files()) {
            if (writing != null && file.equals(writing.file())) {
                continue;
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException held) {
                lock = null; // this JVM holds it: another recorder's file
            }
            if (lock == null) {
                channel.close();
                continue; // a live process writes or replays it
            }
            try {
                reader = new SpoolReader(channel);
            } catch (IOException notASpool) {
                lock.release();
                channel.close();
                continue; // not ours to read, nor to delete
            }
            replaying = file;
            replayChannel = channel;
            replayLock = lock;
            damagedBeforeThisFile = damagedRecords;
            damagedPointsBeforeThisFile = damagedPoints;
            return true;
        }
        return false;
    }

    /** Every record of the file being replayed is delivered or damaged: it is deleted. */
    private void finishFile() throws IOException {
        damagedRecords = damagedBeforeThisFile + reader.damagedRecords();
        damagedPoints = damagedPointsBeforeThisFile + reader.damagedPoints();
        if (own.contains(replaying)) {
            damagedOwnPoints += reader.damagedPoints();
        }
        if (reader.damagedRecords() > 0) {
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: skipped " + reader.damagedRecords()
                    + " damaged records (" + reader.damagedPoints() + " points) in the spool file " + replaying
                    + ": torn by a process stopped while writing it, or corrupt");
        }
        if (!own.contains(replaying) && deliveredFromThisFile > 0) {
            LOG.log(System.Logger.Level.INFO, "rawmetrics: delivered " + deliveredFromThisFile
                    + " points that an earlier process left in the spool file " + replaying);
        }
        deliveredFromThisFile = 0;
        long size = replayChannel.size();
        Path done = replaying;
        closeReplayQuietly();
        Files.deleteIfExists(done);
        bytes = Math.max(0, bytes - size);
        full = false;
    }

    private List<Path> files() {
        if (!Files.isDirectory(directory)) {
            return List.of(); // it could not be made: said when it failed
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(file -> file.getFileName().toString().endsWith(".spool")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void failed(Exception e) {
        if (!failed) {
            LOG.log(System.Logger.Level.WARNING, "rawmetrics: cannot write to the spool directory " + directory + " ("
                    + e + "); points wait in memory only, and spooling is tried again in a minute");
        }
        failed = true;
        failedAtNanos = System.nanoTime();
    }

    /** {@link #closeWriting()}, a failure only logged (the file stays, and is replayed later). */
    public void closeWritingQuietly() {
        try {
            closeWriting();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "rawmetrics: closing a spool file: " + e);
        }
    }

    private void closeReplayQuietly() {
        try {
            if (replayLock != null) {
                replayLock.release();
            }
            if (replayChannel != null) {
                replayChannel.close();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "rawmetrics: closing a spool file: " + e);
        }
        reader = null;
        pending = null;
        replaying = null;
        replayChannel = null;
        replayLock = null;
    }
}
