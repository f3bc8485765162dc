package dev.pathpoint.mqtt.internal.journal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The records of the link's journal, as bodies of {@link RecordLog} frames. A body is a type byte and
 * the record's fields, big-endian; a text is a u32 byte count and UTF-8, a byte string a u32 count
 * (or 0xFFFFFFFF for none) and the bytes.
 *
 * <pre>
 * 1 ACCEPTED      u64 accepted-at (epoch ms), text key, text id, text response topic ("" = none),
 *                 bytes correlation data (or none), u32 section count, bytes document (or none once
 *                 every section has its result), u32 result count, then per result u32 section index
 *                 and text result (results are carried here when compaction copies a document forward)
 * 2 SECTION_DONE  text key, u32 section index, text result (one wire-format result line)
 * 3 REFUSED       u64 accepted-at, text key, text id, text response topic, bytes correlation data,
 *                 text location, text problem   (a document that is not run: its error goes back)
 * 4 PUBLISHED     text key                      (the broker acknowledged the result document)
 * 5 CANCELLED     text key, u32 sections cancelled (a cancel request for the document was taken; the
 *                 CANCELLED results of the sections it stopped are the SECTION_DONE records before it)
 * </pre>
 */
public sealed interface JournalRecord {

    byte ACCEPTED = 1;
    byte SECTION_DONE = 2;
    byte REFUSED = 3;
    byte PUBLISHED = 4;
    byte CANCELLED = 5;

    /** The document's key, under which it is deduplicated. */
    String key();

    /** The record as a frame body. */
    byte[] encode();

    /** Where a document's results go back to, and the id they carry. */
    record Origin(String key, String id, String responseTopic, Optional<byte[]> correlationData, long acceptedAtMillis) {
    }

    /**
     * A document was taken: its sections will run. {@code document} is empty once they all have
     * results; {@code results} holds those known when the record was written (by index, null if none).
     */
    record Accepted(Origin origin, int sectionCount, Optional<byte[]> document, String[] results) implements JournalRecord {
        public Accepted {
            if (results.length != sectionCount) {
                throw new IllegalArgumentException(results.length + " results for " + sectionCount + " sections");
            }
        }

        @Override
        public String key() {
            return origin.key();
        }

        @Override
        public byte[] encode() {
            return write(out -> {
                out.writeByte(ACCEPTED);
                writeOrigin(out, origin);
                out.writeInt(sectionCount);
                writeBytes(out, document);
                int known = 0;
                for (String result : results) {
                    known += result == null ? 0 : 1;
                }
                out.writeInt(known);
                for (int i = 0; i < results.length; i++) {
                    if (results[i] != null) {
                        out.writeInt(i);
                        writeText(out, results[i]);
                    }
                }
            });
        }
    }

    /** A section of a document finished; {@code result} is its wire-format result line. */
    record SectionDone(String key, int section, String result) implements JournalRecord {
        @Override
        public byte[] encode() {
            return write(out -> {
                out.writeByte(SECTION_DONE);
                writeText(out, key);
                out.writeInt(section);
                writeText(out, result);
            });
        }
    }

    /** A document was refused (bad input): nothing of it runs, the error goes back. */
    record Refused(Origin origin, String location, String problem) implements JournalRecord {
        @Override
        public String key() {
            return origin.key();
        }

        @Override
        public byte[] encode() {
            return write(out -> {
                out.writeByte(REFUSED);
                writeOrigin(out, origin);
                writeText(out, location);
                writeText(out, problem);
            });
        }
    }

    /** The broker acknowledged the document's result: it is done. */
    record Published(String key) implements JournalRecord {
        @Override
        public byte[] encode() {
            return write(out -> {
                out.writeByte(PUBLISHED);
                writeText(out, key);
            });
        }
    }

    /**
     * A cancel request for the document was taken. Written after the results of the sections it
     * cancelled, so that once it is synced the cancel holds across a crash; nothing to replay.
     */
    record Cancelled(String key, int sectionsCancelled) implements JournalRecord {
        @Override
        public byte[] encode() {
            return write(out -> {
                out.writeByte(CANCELLED);
                writeText(out, key);
                out.writeInt(sectionsCancelled);
            });
        }
    }

    /**
     * Reads a record body.
     *
     * @throws IllegalArgumentException if the body is not a record of this format
     */
    static JournalRecord decode(ByteBuffer body) {
        try {
            byte type = body.get();
            JournalRecord record = switch (type) {
                case ACCEPTED -> readAccepted(body);
                case SECTION_DONE -> new SectionDone(readText(body), body.getInt(), readText(body));
                case REFUSED -> new Refused(readOrigin(body), readText(body), readText(body));
                case PUBLISHED -> new Published(readText(body));
                case CANCELLED -> new Cancelled(readText(body), body.getInt());
                default -> throw new IllegalArgumentException("unknown record type " + type);
            };
            if (body.hasRemaining()) {
                throw new IllegalArgumentException(body.remaining() + " bytes after a record of type " + type);
            }
            return record;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("record ends early", e);
        }
    }

    private static Accepted readAccepted(ByteBuffer body) {
        Origin origin = readOrigin(body);
        int sections = body.getInt();
        if (sections < 0 || sections > body.capacity()) {
            throw new IllegalArgumentException("section count " + sections);
        }
        Optional<byte[]> document = readBytes(body);
        String[] results = new String[sections];
        int known = body.getInt();
        if (known < 0 || known > sections) {
            throw new IllegalArgumentException(known + " results for " + sections + " sections");
        }
        for (int i = 0; i < known; i++) {
            int index = body.getInt();
            if (index < 0 || index >= sections) {
                throw new IllegalArgumentException("result for section " + index + " of " + sections);
            }
            results[index] = readText(body);
        }
        return new Accepted(origin, sections, document, results);
    }

    private static void writeOrigin(DataOutputStream out, Origin origin) throws IOException {
        out.writeLong(origin.acceptedAtMillis());
        writeText(out, origin.key());
        writeText(out, origin.id());
        writeText(out, origin.responseTopic());
        writeBytes(out, origin.correlationData());
    }

    private static Origin readOrigin(ByteBuffer body) {
        long acceptedAt = body.getLong();
        return new Origin(readText(body), readText(body), readText(body), readBytes(body), acceptedAt);
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(ByteBuffer body) {
        int length = body.getInt();
        if (length < 0 || length > body.remaining()) {
            throw new IllegalArgumentException("text of " + length + " bytes with " + body.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, Optional<byte[]> bytes) throws IOException {
        if (bytes.isEmpty()) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.get().length);
            out.write(bytes.get());
        }
    }

    private static Optional<byte[]> readBytes(ByteBuffer body) {
        int length = body.getInt();
        if (length == -1) {
            return Optional.empty();
        }
        if (length < 0 || length > body.remaining()) {
            throw new IllegalArgumentException("bytes of " + length + " with " + body.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return Optional.of(bytes);
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    @FunctionalInterface
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }
}
