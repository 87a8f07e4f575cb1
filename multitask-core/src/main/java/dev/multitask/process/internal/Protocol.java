package dev.multitask.process.internal;

import dev.multitask.ipc.Serializer;
import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.BytesInput;
import java.io.IOException;

/**
 * Frame types between a parent and a worker process, and the segment format of payloads.
 *
 * <p>A payload is a sequence of segments {@code [int length][bytes]}, each holding one value
 * written by the {@link Serializer}, so that a serializer never reads past its own value.
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
