package dev.multitask.sync;

import static dev.multitask.sync.SharedEventLayout.*;

import dev.multitask.shm.SharedMemory;
import dev.multitask.shm.SharedObject;
import dev.multitask.shm.SharedMemoryLayout.Kind;
import dev.multitask.shm.internal.Futex;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A flag shared by processes that threads can wait for: Python's {@code multiprocessing.Event}.
 * {@link #set()} wakes every waiter of every process; {@link #clear()} resets it.
 *
 * <p>Its format is {@code SharedEventLayout}.
 *
 * <p>An event has no owner, so the death of a process using it changes nothing for the others;
 * a waiter whose process died simply stops waiting. Waiters sleep in the kernel (a futex) and
 * are woken at once by {@code set()}. Thread-safe; pass it to another process by capturing it.
 */
public final class SharedEvent extends SharedObject {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final transient MemorySegment data;

    private SharedEvent(SharedMemory memory) {
        super(memory);
        this.data = memory.segment();
    }

    /** Creates an event, not set; this process owns its memory. */
    public static SharedEvent create(String name) {
        return new SharedEvent(SharedMemory.createTyped(name, Kind.EVENT, SIZE));
    }

    public static SharedEvent create() {
        return create(SharedMemory.uniqueName());
    }

    public static SharedEvent attach(String name) {
        return new SharedEvent(SharedMemory.attachTyped(name, Kind.EVENT));
    }

    public boolean isSet() {
        return (int) INT.getVolatile(data, FLAG) != 0;
    }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        INT.setVolatile(data, FLAG, 1);
        INT.getAndAdd(data, SEQ, 1);
        if ((int) INT.getVolatile(data, WAITERS) > 0) {
            Futex.wake(data.asSlice(SEQ, 4), Integer.MAX_VALUE);
        }
    }

    /** Resets the flag. */
    public void clear() {
        INT.setVolatile(data, FLAG, 0);
    }

    /** Waits until the flag is set. */
    public void await() throws InterruptedException {
        await(Long.MAX_VALUE);
    }

    /** Waits at most {@code timeout} for the flag; returns whether it is set (Python's {@code wait(timeout)}). */
    public boolean await(Duration timeout) throws InterruptedException {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        return await(timeout.toNanos());
    }

    private boolean await(long nanos) throws InterruptedException {
        if (isSet()) {
            return true;
        }
        long deadline = nanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + nanos;
        INT.getAndAdd(data, WAITERS, 1);
        try {
            while (true) {
                int seq = (int) INT.getVolatile(data, SEQ);
                if (isSet()) {
                    return true;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (!Futex.awaitUntil(data.asSlice(SEQ, 4), seq, deadline)) {
                    return false;
                }
            }
        } finally {
            INT.getAndAdd(data, WAITERS, -1);
        }
    }





    @Override
    public String toString() {
        return "SharedEvent[" + name() + (isSet() ? ", set]" : ", clear]");
    }
}
