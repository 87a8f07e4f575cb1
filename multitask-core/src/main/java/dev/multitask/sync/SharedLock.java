package dev.multitask.sync;

import dev.multitask.shm.SharedMemory;
import dev.multitask.shm.SharedObject;
import dev.multitask.shm.SharedMemoryLayout.Kind;
import dev.multitask.shm.internal.RobustMutex;
import java.io.Serial;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock shared by processes: Python's {@code multiprocessing.Lock}, and a
 * {@link java.util.concurrent.locks.Lock} across JVMs. Pass it to a child or a pool task by
 * capturing it in the lambda; every process then uses the same lock.
 *
 * <pre>{@code
 * var lock = SharedLock.create();
 * for (int i = 0; i < 3; i++) {
 *     int k = i;
 *     new ChildProcess(() -> {
 *         try (var held = lock.acquire()) {
 *             System.out.println("child " + k + " holds the lock");
 *         }
 *     }).start();
 * }
 * }</pre>
 *
 * <p><b>Guarantees</b>: mutual exclusion among all threads of all processes using it; what one
 * owner wrote under the lock is visible to the next (as with {@code java.util.concurrent}
 * locks). It is not re-entrant: a thread that already holds it and asks again gets an
 * {@link IllegalStateException} rather than a deadlock (see {@link SharedRLock}). The
 * uncontended path is one compare-and-set on shared memory, no system call; waiters sleep in
 * the kernel (a futex).
 *
 * <p><b>When a process dies holding it</b> (killed, crashed, halted): the others do not wait
 * forever. Within 50 ms the next acquirer takes the lock and learns that the previous owner
 * died ({@link Held#previousOwnerDied()}, {@link #previousOwnerDied()}), like a robust pthread
 * mutex, so it can repair the state the lock protected. A thread that ends without unlocking
 * while its process lives keeps the lock held, as with {@code ReentrantLock}.
 *
 * <p>The lock's memory is a {@link SharedMemory} segment; see there for names and ownership.
 * {@link #newCondition()} is not supported (a {@code SharedCondition} will be).
 */
public class SharedLock extends SharedObject implements Lock {
    @Serial
    private static final long serialVersionUID = 1L;

    final transient RobustMutex mutex;

    SharedLock(SharedMemory memory) {
        super(memory);
        this.mutex = new RobustMutex(memory);
    }

    /** Creates a lock named {@code name}; this process owns its memory. */
    public static SharedLock create(String name) {
        return new SharedLock(SharedMemory.createTyped(name, Kind.LOCK, RobustMutex.SIZE));
    }

    /** Creates a lock under a fresh unique name. */
    public static SharedLock create() {
        return create(SharedMemory.uniqueName());
    }

    /** Attaches to the lock named {@code name}. */
    public static SharedLock attach(String name) {
        return new SharedLock(SharedMemory.attachTyped(name, Kind.LOCK));
    }

    /** A held lock, released by {@link #close()}: for try-with-resources. */
    public interface Held extends AutoCloseable {
        /** Whether this acquisition took the lock over from a process that died holding it. */
        boolean previousOwnerDied();

        @Override
        void close();
    }

    /** Acquires (waiting as long as needed) and returns a guard that releases it. */
    public Held acquire() {
        lock();
        boolean died = mutex.ownerDied();
        return new Held() {
            private boolean closed;

            @Override
            public boolean previousOwnerDied() {
                return died;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    unlock();
                }
            }
        };
    }

    /** Called when the holding thread asks again; the re-entrant lock overrides it. */
    boolean reentered() {
        if (mutex.heldByCurrentThread()) {
            throw new IllegalStateException("lock '" + name() + "' is already held by this thread and is not re-entrant;"
                    + " use SharedRLock to re-enter");
        }
        return false;
    }

    @Override
    public void lock() {
        if (reentered()) {
            return;
        }
        mutex.acquireUninterruptibly();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (reentered()) {
            return;
        }
        mutex.acquire(Long.MAX_VALUE, true);
    }

    @Override
    public boolean tryLock() {
        if (reentered()) {
            return true;
        }
        return mutex.tryAcquire() != RobustMutex.Acquired.NO;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        if (reentered()) {
            return true;
        }
        return mutex.acquire(Math.max(0, unit.toNanos(time)), true) != RobustMutex.Acquired.NO;
    }

    /** As {@link #tryLock(long, TimeUnit)}. */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * @throws IllegalMonitorStateException if the current thread does not hold it
     */
    @Override
    public void unlock() {
        mutex.release();
    }

    /**
     * Whether the current acquisition took the lock over from a process that died holding it.
     * Meaningful while the calling thread holds the lock ({@link Held#previousOwnerDied()}
     * keeps the answer after release).
     */
    public boolean previousOwnerDied() {
        return mutex.heldByCurrentThread() && mutex.ownerDied();
    }

    /** Whether any thread of any process holds it now. */
    public boolean isLocked() {
        return mutex.isLocked();
    }

    /** Not supported yet. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("conditions on a SharedLock are not supported yet");
    }





    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name() + (isLocked() ? ", locked" : ", free") + "]";
    }
}
