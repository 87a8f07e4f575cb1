package dev.multitask.shm;

import dev.multitask.shm.SharedMemoryLayout.Kind;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A {@code double} shared by processes: Python's {@code Value('d')}. All accesses are volatile;
 * {@code compareAndSet} compares bit patterns (as {@code Double.doubleToRawLongBits}), and
 * {@code getAndAdd} is a compare-and-set loop. See {@link SharedMemory} for names, ownership
 * and passing it to other processes.
 */
public final class SharedDouble extends SharedValue {
    private static final long serialVersionUID = 1L;
    private static final VarHandle V = ValueLayout.JAVA_LONG.varHandle();

    private SharedDouble(SharedMemory m) {
        super(m);
    }

    public static SharedDouble create(String name, double initial) {
        SharedDouble v = new SharedDouble(SharedMemory.create(name, Kind.DOUBLE, 8));
        v.set(initial);
        return v;
    }

    public static SharedDouble create(double initial) {
        return create(SharedMemory.freshName(), initial);
    }

    public static SharedDouble attach(String name) {
        return new SharedDouble(SharedMemory.attach(name, Kind.DOUBLE));
    }

    public double get() {
        return Double.longBitsToDouble((long) V.getVolatile(segment(), 0L));
    }

    public void set(double value) {
        V.setVolatile(segment(), 0L, Double.doubleToRawLongBits(value));
    }

    public boolean compareAndSet(double expected, double value) {
        return V.compareAndSet(segment(), 0L, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    public double getAndAdd(double delta) {
        while (true) {
            long bits = (long) V.getVolatile(segment(), 0L);
            double old = Double.longBitsToDouble(bits);
            if (V.compareAndSet(segment(), 0L, bits, Double.doubleToRawLongBits(old + delta))) {
                return old;
            }
        }
    }

    public double addAndGet(double delta) {
        return getAndAdd(delta) + delta;
    }

    @Override
    public String toString() {
        return Double.toString(get());
    }
}
