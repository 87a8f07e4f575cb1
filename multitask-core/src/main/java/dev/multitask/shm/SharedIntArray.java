package dev.multitask.shm;

import dev.multitask.shm.SharedMemoryLayout.Kind;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A fixed-length array of {@code int} shared by processes: Python's {@code Array('i')}.
 * Element accesses are volatile and bounds-checked ({@link IndexOutOfBoundsException}, never a
 * stray memory access); see {@link SharedMemory} for names, ownership and passing it to other
 * processes.
 */
public final class SharedIntArray extends SharedValue {
    private static final long serialVersionUID = 1L;
    private static final VarHandle V = ValueLayout.JAVA_INT.varHandle();

    private final int length;

    private SharedIntArray(SharedMemory m) {
        super(m);
        this.length = (int) Math.min(Integer.MAX_VALUE, m.size() / 4);
    }

    /** Creates a zero-filled array of {@code length} elements; this process owns it. */
    public static SharedIntArray create(String name, int length) {
        return new SharedIntArray(SharedMemory.create(name, Kind.INT_ARRAY, checkLength(length, 4)));
    }

    public static SharedIntArray create(int length) {
        return create(SharedMemory.freshName(), length);
    }

    public static SharedIntArray attach(String name) {
        return new SharedIntArray(SharedMemory.attach(name, Kind.INT_ARRAY));
    }

    public int length() {
        return length;
    }

    private long at(int i) {
        return (long) Objects.checkIndex(i, length) * 4;
    }

    public int get(int i) {
        return (int) V.getVolatile(segment(), at(i));
    }

    public void set(int i, int value) {
        V.setVolatile(segment(), at(i), value);
    }

    public boolean compareAndSet(int i, int expected, int value) {
        return V.compareAndSet(segment(), at(i), expected, value);
    }

    public int getAndAdd(int i, int delta) {
        return (int) V.getAndAdd(segment(), at(i), delta);
    }

    public int addAndGet(int i, int delta) {
        return (int) (getAndAdd(i, delta) + delta);
    }

    /** A copy of the current contents (each element read atomically, the whole not as one snapshot). */
    public int[] toArray() {
        int[] a = new int[length];
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
