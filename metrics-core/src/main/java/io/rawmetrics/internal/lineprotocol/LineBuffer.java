package io.rawmetrics.internal.lineprotocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A batch of line protocol as UTF-8 bytes, the writer thread's own and reused batch after batch.
 * The encoder writes into {@link #array()} directly, after {@link #reserve reserving} room: a point
 * is a few bulk copies and digit stores, with no per-character bounds or coder checks as a
 * {@code StringBuilder} makes.
 */
public final class LineBuffer {

    private byte[] bytes;
    private int length;

    public LineBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    /** A buffer holding {@code text}. */
    public static LineBuffer of(CharSequence text) {
        LineBuffer buffer = new LineBuffer(text.length());
        buffer.append(text);
        return buffer;
    }

    /** Makes room for {@code more} bytes after the current content; returns where they start. */
    int reserve(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
        return length;
    }

    /** The backing array: valid from 0 to {@link #length()}, replaced when it grows. */
    public byte[] array() {
        return bytes;
    }

    /** Bytes of line protocol held. */
    public int length() {
        return length;
    }

    void setLength(int length) {
        this.length = length;
    }

    public void clear() {
        length = 0;
    }

    /** Appends {@code text} encoded as UTF-8. Allocates: for the occasional line, not for points. */
    public void append(CharSequence text) {
        byte[] encoded = text.toString().getBytes(StandardCharsets.UTF_8);
        int at = reserve(encoded.length);
        System.arraycopy(encoded, 0, bytes, at, encoded.length);
        length = at + encoded.length;
    }

    /** The content decoded: a copy. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
