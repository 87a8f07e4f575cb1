package dev.multitask.shm;

import dev.multitask.shm.SharedMemoryLayout.Kind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A fixed-length array of bytes shared by processes: Python's {@code Array('b')} or a
 * {@code bytearray} in shared memory. Single bytes are read and written as plain accesses;
 * bulk copies ({@link #copyFrom}, {@link #toArray}) are not atomic as a whole: guard them with
 * a {@code SharedLock} when several processes write. {@link #segment()} is the raw view. See
 * {@link SharedMemory} for names, ownership and passing it to other processes.
 */
public final class SharedByteArray extends SharedValue {
    private static final long serialVersionUID = 1L;

    private final int length;

    private SharedByteArray(SharedMemory m) {
        super(m);
        this.length = (int) Math.min(Integer.MAX_VALUE, m.size());
    }

    /** Creates a zero-filled array of {@code length} bytes; this process owns it. */
    public static SharedByteArray create(String name, int length) {
        return new SharedByteArray(SharedMemory.create(name, Kind.BYTE_ARRAY, checkLength(length, 1)));
    }

    public static SharedByteArray create(int length) {
        return create(SharedMemory.freshName(), length);
    }

    public static SharedByteArray attach(String name) {
        return new SharedByteArray(SharedMemory.attach(name, Kind.BYTE_ARRAY));
    }

    public int length() {
        return length;
    }

    public byte get(int i) {
        return segment().get(ValueLayout.JAVA_BYTE, Objects.checkIndex(i, length));
    }

    public void set(int i, byte value) {
        segment().set(ValueLayout.JAVA_BYTE, Objects.checkIndex(i, length), value);
    }

    /** Copies {@code src} into this array starting at {@code offset}. */
    public void copyFrom(byte[] src, int offset) {
        Objects.checkFromIndexSize(offset, src.length, length);
        MemorySegment.copy(src, 0, segment(), ValueLayout.JAVA_BYTE, offset, src.length);
    }

    /** A copy of the contents. */
    public byte[] toArray() {
        return segment().toArray(ValueLayout.JAVA_BYTE);
    }

    /** The raw memory, {@link #length()} bytes, valid until {@link #close()}. */
    public MemorySegment view() {
        return segment();
    }
}
