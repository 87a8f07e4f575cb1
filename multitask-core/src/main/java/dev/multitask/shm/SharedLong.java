package dev.multitask.shm;

import dev.multitask.shm.SharedMemoryLayout.Kind;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A {@code long} shared by processes, with atomic operations: Python's {@code Value('q')}, or
 * an {@link java.util.concurrent.atomic.AtomicLong} across processes. All accesses are
 * volatile (sequentially consistent), as {@code AtomicLong}'s. A process that dies leaves the
 * value as its last completed operation made it (operations are single atomic instructions).
 * See {@link SharedMemory} for names, ownership and passing it to other processes.
 */
public final class SharedLong extends SharedValue {
    private static final long serialVersionUID = 1L;
    private static final VarHandle V = ValueLayout.JAVA_LONG.varHandle();

    private SharedLong(SharedMemory m) {
        super(m);
    }

    /** Creates it with {@code initial}; this process owns it. */
    public static SharedLong create(String name, long initial) {
        SharedLong v = new SharedLong(SharedMemory.create(name, Kind.LONG, 8));
        v.set(initial);
        return v;
    }

    /** Creates it under a fresh unique name. */
    public static SharedLong create(long initial) {
        return create(SharedMemory.freshName(), initial);
    }

    public static SharedLong attach(String name) {
        return new SharedLong(SharedMemory.attach(name, Kind.LONG));
    }

    public long get() {
        return (long) V.getVolatile(segment(), 0L);
    }

    public void set(long value) {
        V.setVolatile(segment(), 0L, value);
    }

    public long getAndSet(long value) {
        return (long) V.getAndSet(segment(), 0L, value);
    }

    public boolean compareAndSet(long expected, long value) {
        return V.compareAndSet(segment(), 0L, expected, value);
    }

    public long getAndAdd(long delta) {
        return (long) V.getAndAdd(segment(), 0L, delta);
    }

    public long addAndGet(long delta) {
        return getAndAdd(delta) + delta;
    }

    public long incrementAndGet() {
        return addAndGet(1);
    }

    @Override
    public String toString() {
        return Long.toString(get());
    }
}
