package io.rawmetrics.internal.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How a spool file is laid out. A file starts with {@link #FILE_MAGIC}; then records, each
 * {@link #RECORD_MAGIC}, the payload's length, the number of points in it, the number of calls an
 * aggregated record's points count (-1 for raw points, a point per call), a CRC-32C of those three
 * numbers and the payload, then the payload: line protocol, UTF-8, complete lines.
 *
 * <p>The record magic's bytes (0xFE...) never occur in UTF-8, so after a torn or corrupt record a
 * reader finds the next one by looking for them: damage costs the records it touches, never the
 * rest of the file. A record appended by a process killed in the middle of the write is torn at
 * the end of its file, and is skipped the same way.
 */
final class SpoolFormat {

    /** The first bytes of every spool file: "RMSPOOL" and the format's version. */
    static final byte[] FILE_MAGIC = {'R', 'M', 'S', 'P', 'O', 'O', 'L', 1};
    /** The first bytes of every record; 0xF5 to 0xFF are never part of UTF-8 text. */
    static final byte[] RECORD_MAGIC = {(byte) 0xFE, (byte) 0xFD, (byte) 0xFC, (byte) 0xFB};
    /** Magic, length, points, calls, CRC. */
    static final int HEADER_BYTES = 20;
    /** The calls of a record of raw points: not an aggregated one. */
    static final int RAW = -1;
    /** The largest payload a record may say it has: more is damage (a batch is at most 1 GiB, see max-batch-bytes). */
    static final int MAX_PAYLOAD_BYTES = 1 << 30;

    private SpoolFormat() {
    }

    /**
     * A record's header for {@code length} bytes of {@code payload} from {@code offset}, holding
     * {@code points} points that count {@code calls} calls ({@link #RAW} for raw points).
     */
    static ByteBuffer header(byte[] payload, int offset, int length, int points, int calls) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.put(RECORD_MAGIC).putInt(length).putInt(points).putInt(calls)
                .putInt(crc(length, points, calls, payload, offset, length));
        return header.flip();
    }

    /** The CRC-32C of a record's length, points, calls and payload. */
    static int crc(int length, int points, int calls, byte[] payload, int offset, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(12).putInt(length).putInt(points).putInt(calls).flip());
        crc.update(payload, offset, payloadLength);
        return (int) crc.getValue();
    }
}
