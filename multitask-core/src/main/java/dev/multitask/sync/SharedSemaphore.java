package dev.multitask.sync;

import static dev.multitask.sync.SharedSemaphoreLayout.*;

import dev.multitask.shm.SharedMemory;
import dev.multitask.shm.SharedObject;
import dev.multitask.shm.SharedMemoryLayout.Kind;
import dev.multitask.shm.internal.Futex;
import dev.multitask.shm.internal.RobustMutex;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A counting semaphore shared by processes: Python's {@code multiprocessing.Semaphore}, and,
 * {@linkplain #createBounded bounded}, {@code BoundedSemaphore} (releasing more permits than it
 * was created with is an error).
 *
 * <p>Its format is {@code SharedSemaphoreLayout}.
 *
 * <p><b>When a process dies holding permits</b>: permits are accounted to the process that
 * acquired them (a table of up to {@value SharedSemaphoreLayout#SLOTS} processes holding permits at once). A waiter
 * that finds none available looks for holders that no longer exist and takes their permits
 * back, so the others do not wait forever; it notices within 50 ms. A permit released by a
 * process other than the one that acquired it is credited to the releaser's account first,
 * then to nobody's (it can then not be reclaimed twice, but a later death of the acquirer
 * would return it once more: release permits from the process that holds them).
 *
 * <p>The counter and the table are guarded by a robust mutex (see {@link SharedLock}); waiters
 * sleep on a futex. Thread-safe; pass it to another process by capturing it.
 */
public final class SharedSemaphore extends SharedObject {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int PID = (int) ProcessHandle.current().pid();

    private final transient MemorySegment data;
    private final transient RobustMutex mutex;

    private SharedSemaphore(SharedMemory memory) {
        super(memory);
        this.data = memory.segment();
        this.mutex = new RobustMutex(memory);
    }

    /** A semaphore with {@code permits} permits (Python's {@code Semaphore(value)}). */
    public static SharedSemaphore create(int permits) {
        return create(SharedMemory.uniqueName(), permits, false);
    }

    /** A bounded semaphore: releasing beyond {@code permits} throws (Python's {@code BoundedSemaphore}). */
    public static SharedSemaphore createBounded(int permits) {
        return create(SharedMemory.uniqueName(), permits, true);
    }

    public static SharedSemaphore create(String name, int permits, boolean bounded) {
        if (permits < 0) {
            throw new IllegalArgumentException("a semaphore needs a non-negative number of permits, was " + permits);
        }
        SharedMemory m = SharedMemory.createTyped(name, Kind.SEMAPHORE, SIZE);
        m.segment().set(ValueLayout.JAVA_INT, AVAILABLE, permits);
        m.segment().set(ValueLayout.JAVA_INT, MAX, bounded ? permits : 0);
        return new SharedSemaphore(m);
    }

    public static SharedSemaphore attach(String name) {
        return new SharedSemaphore(SharedMemory.attachTyped(name, Kind.SEMAPHORE));
    }

    private void lock() {
        mutex.acquireUninterruptibly();
    }

    private int get(long at) {
        return data.get(ValueLayout.JAVA_INT, at);
    }

    private void put(long at, int v) {
        data.set(ValueLayout.JAVA_INT, at, v);
    }

    /** Adds {@code delta} to this process's account; lock held. */
    private void account(int pid, int delta) {
        long free = -1;
        for (int i = 0; i < SLOTS; i++) {
            long at = TABLE + 8L * i;
            int p = get(at);
            if (p == pid) {
                int n = get(at + 4) + delta;
                put(at + 4, Math.max(0, n));
                if (n <= 0) {
                    put(at, 0);
                }
                return;
            }
            if (p == 0 && free < 0) {
                free = at;
            }
        }
        if (delta > 0) {
            if (free < 0) {
                throw new IllegalStateException("more than " + SLOTS + " processes hold permits of semaphore '" + name() + "'");
            }
            put(free, pid);
            put(free + 4, delta);
        }
    }

    /** Takes back the permits of holders that no longer exist; lock held. Returns how many. */
    private int reclaim() {
        int back = 0;
        for (int i = 0; i < SLOTS; i++) {
            long at = TABLE + 8L * i;
            int p = get(at);
            if (p != 0 && p != PID && ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true)) {
                back += get(at + 4);
                put(at, 0);
                put(at + 4, 0);
            }
        }
        if (back > 0) {
            put(AVAILABLE, get(AVAILABLE) + back);
        }
        return back;
    }

    /** Takes {@code n} permits if they are available within the deadline. */
    private boolean take(int n, long deadline, boolean interruptible) throws InterruptedException {
        if (n < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + n);
        }
        while (true) {
            int seq;
            lock();
            try {
                if (get(AVAILABLE) < n) {
                    reclaim();
                }
                if (get(AVAILABLE) >= n) {
                    account(PID, n);
                    put(AVAILABLE, get(AVAILABLE) - n);
                    return true;
                }
                seq = get(SEQ);
                put(WAITERS, get(WAITERS) + 1);
            } finally {
                mutex.release();
            }
            try {
                if (interruptible && Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (!Futex.awaitUntil(data.asSlice(SEQ, 4), seq, deadline)) {
                    return false;
                }
            } finally {
                lock();
                put(WAITERS, Math.max(0, get(WAITERS) - 1));
                mutex.release();
            }
        }
    }

    /** Waits for a permit and takes it. */
    public void acquire() throws InterruptedException {
        take(1, Long.MAX_VALUE, true);
    }

    /** Waits for {@code n} permits and takes them all at once. */
    public void acquire(int n) throws InterruptedException {
        take(n, Long.MAX_VALUE, true);
    }

    /** Takes a permit if one is available now. */
    public boolean tryAcquire() {
        try {
            return take(1, System.nanoTime(), false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Takes a permit if one becomes available within {@code timeout}. */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return take(1, System.nanoTime() + Math.max(0, timeout.toNanos()), true);
    }

    /** Returns a permit. */
    public void release() {
        release(1);
    }

    /**
     * Returns {@code n} permits.
     *
     * @throws IllegalStateException for a bounded semaphore, if that would exceed its permits
     */
    public void release(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + n);
        }
        boolean wake;
        lock();
        try {
            int max = get(MAX);
            if (max > 0 && get(AVAILABLE) + n > max) {
                throw new IllegalStateException("semaphore '" + name() + "' is bounded to " + max
                        + " permits; releasing " + n + " more than were acquired");
            }
            account(PID, -n);
            put(AVAILABLE, get(AVAILABLE) + n);
            wake = get(WAITERS) > 0;
            if (wake) {
                put(SEQ, get(SEQ) + 1);
            }
        } finally {
            mutex.release();
        }
        if (wake) {
            Futex.wake(data.asSlice(SEQ, 4), Integer.MAX_VALUE);
        }
    }

    /** The permits available now. */
    public int availablePermits() {
        return (int) INT.getVolatile(data, AVAILABLE);
    }





    @Override
    public String toString() {
        return "SharedSemaphore[" + name() + ", " + availablePermits() + " available]";
    }
}
