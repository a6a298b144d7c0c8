package io.rawmetrics.internal.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends records to one spool file, which this process holds locked until it closes it: another
 * process that starts with the same directory never replays, or writes, a file still being written.
 */
final class SpoolWriter implements Closeable {

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private long size;

    private SpoolWriter(Path file, FileChannel channel, FileLock lock, long size) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.size = size;
    }

    /** A new file, locked, holding the file magic. */
    static SpoolWriter create(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            FileLock lock = channel.lock();
            channel.write(ByteBuffer.wrap(SpoolFormat.FILE_MAGIC));
            return new SpoolWriter(file, channel, lock, SpoolFormat.FILE_MAGIC.length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Appends one record: {@code length} bytes of line protocol from {@code offset}, holding
     * {@code points} points counting {@code calls} calls ({@link SpoolFormat#RAW} for raw points).
     * A process killed during the write leaves a torn record at the end of
     * the file, which a reader skips and counts.
     */
    void append(byte[] bytes, int offset, int length, int points, int calls) throws IOException {
        ByteBuffer[] record = {SpoolFormat.header(bytes, offset, length, points, calls), ByteBuffer.wrap(bytes, offset, length)};
        long written = 0;
        long total = SpoolFormat.HEADER_BYTES + (long) length;
        while (written < total) {
            written += channel.write(record);
        }
        size += total;
    }

    Path file() {
        return file;
    }

    /** Bytes in the file. */
    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
