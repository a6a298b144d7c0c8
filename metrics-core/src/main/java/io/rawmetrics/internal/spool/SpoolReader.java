package io.rawmetrics.internal.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads a spool file's records in order. A record whose magic was cleared has been delivered
 * already ({@link #markDelivered}) and is passed over. A damaged record (torn by a process killed
 * while writing it, or corrupt: a length out of range, a CRC that does not match) is skipped and
 * counted, and reading goes on at the next record magic: damage never blocks the rest of a file.
 */
public final class SpoolReader {

    /**
     * A record: {@code bytes[0, length)} hold its line protocol, valid until the next
     * {@link #next()}; {@code calls} is what an aggregated record's points count, or -1 for raw points.
     */
    public record Record(long position, byte[] bytes, int length, int points, int calls) {
        /** Whether its points are aggregated ones (an interval's), rather than a point per call. */
        public boolean aggregated() {
            return calls >= 0;
        }
    }

    private static final byte[] DELIVERED = {0, 0, 0, 0};
    private static final int SCAN_BYTES = 64 * 1024;

    private final FileChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(SpoolFormat.HEADER_BYTES);
    private byte[] payload = new byte[64 * 1024];
    private long position;
    private int damagedRecords;
    private long damagedPoints;

    /** Reads {@code channel} from its start; throws if it is not a spool file. */
    SpoolReader(FileChannel channel) throws IOException {
        this.channel = channel;
        ByteBuffer magic = ByteBuffer.allocate(SpoolFormat.FILE_MAGIC.length);
        readFully(magic, 0);
        if (magic.hasRemaining() || !Arrays.equals(magic.array(), SpoolFormat.FILE_MAGIC)) {
            throw new IOException("not a rawmetrics spool file (its first bytes are not the spool's magic)");
        }
        this.position = SpoolFormat.FILE_MAGIC.length;
    }

    /** The next record not yet delivered, or {@code null} at the end of the file. */
    Record next() throws IOException {
        long size = channel.size();
        while (position < size) {
            header.clear();
            readFully(header, position);
            if (header.hasRemaining()) {
                position = damaged(position, -1, size); // a header torn at the end of the file
                continue;
            }
            byte[] magic = Arrays.copyOfRange(header.array(), 0, 4);
            int length = header.getInt(4);
            int points = header.getInt(8);
            int calls = header.getInt(12);
            int crc = header.getInt(16);
            boolean delivered = Arrays.equals(magic, DELIVERED);
            if (!delivered && !Arrays.equals(magic, SpoolFormat.RECORD_MAGIC)
                    || length < 0 || length > SpoolFormat.MAX_PAYLOAD_BYTES || points < 0) {
                position = damaged(position, -1, size);
                continue;
            }
            long end = position + SpoolFormat.HEADER_BYTES + length;
            if (end > size) {
                position = damaged(position, calls == SpoolFormat.RAW ? points : 0, size); // torn: stopped while writing it
                continue;
            }
            if (delivered) {
                position = end;
                continue;
            }
            if (payload.length < length) {
                payload = new byte[Math.max(length, payload.length * 2)];
            }
            ByteBuffer body = ByteBuffer.wrap(payload, 0, length);
            readFully(body, position + SpoolFormat.HEADER_BYTES);
            if (SpoolFormat.crc(length, points, calls, payload, 0, length) != crc) {
                position = damaged(position, calls == SpoolFormat.RAW ? points : 0, size);
                continue;
            }
            Record record = new Record(position, payload, length, points, calls);
            position = end;
            return record;
        }
        return null;
    }

    /**
     * The record at {@code recordPosition} has been delivered: its magic is cleared, so that a
     * reader after a crash passes over it (a crash between the delivery and this write sends it once
     * more, which InfluxDB stores as the same points: same series, same timestamps).
     */
    void markDelivered(long recordPosition) throws IOException {
        ByteBuffer cleared = ByteBuffer.wrap(DELIVERED);
        while (cleared.hasRemaining()) {
            channel.write(cleared, recordPosition + cleared.position());
        }
    }

    /** Damaged records skipped so far. */
    int damagedRecords() {
        return damagedRecords;
    }

    /** Raw points in damaged records whose header still said how many (a torn header does not). */
    long damagedPoints() {
        return damagedPoints;
    }

    /** Counts a damaged record at {@code at}; returns where the next record magic is, or {@code size}. */
    private long damaged(long at, int points, long size) throws IOException {
        damagedRecords++;
        if (points > 0) {
            damagedPoints += points;
        }
        ByteBuffer scan = ByteBuffer.allocate(SCAN_BYTES);
        long from = at + 1;
        while (from < size) {
            scan.clear();
            readFully(scan, from);
            int read = scan.position();
            byte[] bytes = scan.array();
            for (int i = 0; i + 4 <= read; i++) {
                if (bytes[i] == SpoolFormat.RECORD_MAGIC[0] && bytes[i + 1] == SpoolFormat.RECORD_MAGIC[1]
                        && bytes[i + 2] == SpoolFormat.RECORD_MAGIC[2] && bytes[i + 3] == SpoolFormat.RECORD_MAGIC[3]) {
                    return from + i;
                }
            }
            if (read < 4) {
                break;
            }
            from += read - 3; // a magic may straddle two reads
        }
        return size;
    }

    private void readFully(ByteBuffer buffer, long at) throws IOException {
        long p = at;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, p);
            if (read < 0) {
                return;
            }
            p += read;
        }
    }
}
