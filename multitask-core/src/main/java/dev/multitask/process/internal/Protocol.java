package dev.multitask.process.internal;

import dev.multitask.ipc.Serializer;
import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.BlobArena;
import dev.multitask.ipc.internal.Blobs;
import dev.multitask.ipc.internal.BytesInput;
import dev.multitask.ipc.internal.Channel;
import java.io.IOException;
import java.util.List;

/**
 * Frame types between a parent and a worker process, and the segment format of payloads.
 *
 * <p>A payload is a sequence of segments {@code [int length][bytes]}, each holding one value
 * written by the {@link Serializer}, so that a serializer never reads past its own value,
 * followed by the table of the message's large arrays, which travel through the sender's
 * {@link BlobArena} (see {@link Blobs}):
 *
 * <pre>
 *   segment* | (long offset, int length) * count | int count
 * </pre>
 *
 * <pre>
 * parent -> worker                         worker -> parent
 *   RUN_CHILD  segment(target)               OK     segment(result)
 *   INIT       segment(initializer)          ERR    segment(throwable)
 *   CALL       segment(callable)
 *   CHUNK      segment(function) segment(list of items)   (answered by OK(list of results))
 *   EXIT       -                             (the worker exits 0)
 * </pre>
 */
public final class Protocol {
    public static final byte RUN_CHILD = 1, INIT = 2, CALL = 3, CHUNK = 4, EXIT = 5, OK = 10, ERR = 11;

    private Protocol() {
    }

    private static final int ENTRY = 12;

    /** Appends the table of large arrays (offsets are filled in by {@link #placeBlobs}). */
    public static void finish(Bytes msg, List<byte[]> arrays) {
        for (byte[] a : arrays) {
            msg.writeLong(0);
            msg.writeInt(a.length);
        }
        msg.writeInt(arrays.size());
    }

    /** Copies the message's large arrays into {@code arena} and records where they are. */
    public static void placeBlobs(Bytes msg, List<byte[]> arrays, BlobArena arena) throws IOException {
        arena.reset();
        int table = msg.length() - 4 - arrays.size() * ENTRY;
        for (int i = 0; i < arrays.size(); i++) {
            msg.putLong(table + i * ENTRY, arena.put(arrays.get(i)));
        }
    }

    /** A received message: its segments, and where its large arrays are. */
    public record Message(BytesInput body, long[] offsets, int[] lengths) {
        public int blobCount() {
            return offsets.length;
        }

        /** The source of this message's arrays, read from {@code arena}. */
        public Blobs.Source source(BlobArena arena) {
            return index -> {
                try {
                    return arena.get(offsets[index], lengths[index]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
        }
    }

    /** Splits a frame into its segments and its table of large arrays. */
    public static Message parse(Channel.Frame f) throws IOException {
        byte[] p = f.payload();
        if (p.length < 4) {
            return new Message(f.input(), new long[0], new int[0]);
        }
        BytesInput tail = new BytesInput(p, p.length - 4, 4);
        int count = tail.readInt();
        int table = p.length - 4 - count * ENTRY;
        if (count < 0 || table < 0) {
            throw new IOException("corrupt message: " + count + " blobs in a frame of " + p.length + " bytes");
        }
        long[] offs = new long[count];
        int[] lens = new int[count];
        BytesInput t = new BytesInput(p, table, count * ENTRY);
        for (int i = 0; i < count; i++) {
            offs[i] = t.readLong();
            lens[i] = t.readInt();
        }
        return new Message(new BytesInput(p, 0, table), offs, lens);
    }

    /** Appends one segment holding {@code value}. */
    public static void writeSegment(Bytes out, Serializer s, Object value) throws IOException {
        int at = out.length();
        out.writeInt(0);
        s.serialize(value, out);
        out.putInt(at, out.length() - at - 4);
    }

    /** Appends one segment holding already-serialized bytes. */
    public static void writeRawSegment(Bytes out, byte[] bytes) {
        out.writeInt(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    /** Reads the next segment's value. */
    public static Object readSegment(BytesInput in, Serializer s) throws IOException, ClassNotFoundException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("corrupt message: segment of " + n + " bytes, " + in.available() + " left");
        }
        BytesInput seg = new BytesInput(in.array(), in.position(), n);
        in.skip(n);
        return s.deserialize(seg);
    }

    /** Returns the next segment's raw bytes without deserializing them. */
    public static byte[] readRawSegment(BytesInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("corrupt message: segment of " + n + " bytes, " + in.available() + " left");
        }
        byte[] b = new byte[n];
        in.readFully(b, 0, n);
        return b;
    }
}
