package dev.multitask.shm;

import dev.multitask.shm.SharedMemoryLayout.Kind;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A fixed-length array of {@code long} shared by processes: Python's {@code Array('q')}.
 * Element accesses are volatile and bounds-checked ({@link IndexOutOfBoundsException}, never a
 * stray memory access); see {@link SharedMemory} for names, ownership and passing it to other
 * processes.
 */
public final class SharedLongArray extends SharedValue {
    private static final long serialVersionUID = 1L;
    private static final VarHandle V = ValueLayout.JAVA_LONG.varHandle();

    private final int length;

    private SharedLongArray(SharedMemory m) {
        super(m);
        this.length = (int) Math.min(Integer.MAX_VALUE, m.size() / 8);
    }

    /** Creates a zero-filled array of {@code length} elements; this process owns it. */
    public static SharedLongArray create(String name, int length) {
        return new SharedLongArray(SharedMemory.create(name, Kind.LONG_ARRAY, checkLength(length, 8)));
    }

    public static SharedLongArray create(int length) {
        return create(SharedMemory.freshName(), length);
    }

    public static SharedLongArray attach(String name) {
        return new SharedLongArray(SharedMemory.attach(name, Kind.LONG_ARRAY));
    }

    public int length() {
        return length;
    }

    private long at(int i) {
        return (long) Objects.checkIndex(i, length) * 8;
    }

    public long get(int i) {
        return (long) V.getVolatile(segment(), at(i));
    }

    public void set(int i, long value) {
        V.setVolatile(segment(), at(i), value);
    }

    public boolean compareAndSet(int i, long expected, long value) {
        return V.compareAndSet(segment(), at(i), expected, value);
    }

    public long getAndAdd(int i, long delta) {
        return (long) V.getAndAdd(segment(), at(i), delta);
    }

    public long addAndGet(int i, long delta) {
        return (long) (getAndAdd(i, delta) + delta);
    }

    /** A copy of the current contents (each element read atomically, the whole not as one snapshot). */
    public long[] toArray() {
        long[] a = new long[length];
        for (int i = 0; i < length; i++) {
            a[i] = get(i);
        }
        return a;
    }

    @Override
    public String toString() {
        return java.util.Arrays.toString(toArray());
    }
}
