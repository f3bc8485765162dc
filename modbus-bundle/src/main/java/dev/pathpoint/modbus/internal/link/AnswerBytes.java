package dev.pathpoint.modbus.internal.link;

import java.io.InputStream;

/**
 * The bytes of an answer, for j2mod to parse. A {@link java.io.ByteArrayInputStream} locks for every
 * byte j2mod reads, which for a long register read costs more than the parsing; an answer is parsed
 * on one thread.
 */
final class AnswerBytes extends InputStream {
    private final byte[] bytes;
    private int position;

    AnswerBytes(byte[] bytes, int from) {
        this.bytes = bytes;
        this.position = from;
    }

    @Override
    public int read() {
        return position < bytes.length ? bytes[position++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        if (position >= bytes.length) {
            return -1;
        }
        int count = Math.min(length, bytes.length - position);
        System.arraycopy(bytes, position, target, offset, count);
        position += count;
        return count;
    }

    @Override
    public int available() {
        return bytes.length - position;
    }
}
