package dev.multitask.shm;

import dev.multitask.shm.SharedMemoryLayout.Kind;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A fixed-length array of {@code double} shared by processes: Python's {@code Array('d')}.
 * Element accesses are volatile and bounds-checked ({@link IndexOutOfBoundsException}, never a
 * stray memory access); see {@link SharedMemory} for names, ownership and passing it to other
 * processes.
 */
public final class SharedDoubleArray extends SharedValue {
    private static final long serialVersionUID = 1L;
    private static final VarHandle V = ValueLayout.JAVA_DOUBLE.varHandle();

    private final int length;

    private SharedDoubleArray(SharedMemory m) {
        super(m);
        this.length = (int) Math.min(Integer.MAX_VALUE, m.size() / 8);
    }

    /** Creates a zero-filled array of {@code length} elements; this process owns it. */
    public static SharedDoubleArray create(String name, int length) {
        return new SharedDoubleArray(SharedMemory.create(name, Kind.DOUBLE_ARRAY, checkLength(length, 8)));
    }

    public static SharedDoubleArray create(int length) {
        return create(SharedMemory.freshName(), length);
    }

    public static SharedDoubleArray attach(String name) {
        return new SharedDoubleArray(SharedMemory.attach(name, Kind.DOUBLE_ARRAY));
    }

    public int length() {
        return length;
    }

    private long at(int i) {
        return (long) Objects.checkIndex(i, length) * 8;
    }

    public double get(int i) {
        return (double) V.getVolatile(segment(), at(i));
    }

    public void set(int i, double value) {
        V.setVolatile(segment(), at(i), value);
    }

    public boolean compareAndSet(int i, double expected, double value) {
        return V.compareAndSet(segment(), at(i), expected, value);
    }

    public double getAndAdd(int i, double delta) {
        long at = at(i);
        while (true) {
            double old = (double) V.getVolatile(segment(), at);
            if (V.compareAndSet(segment(), at, old, old + delta)) {
                return old;
            }
        }
    }

    /** A copy of the current contents (each element read atomically, the whole not as one snapshot). */
    public double[] toArray() {
        double[] a = new double[length];
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
