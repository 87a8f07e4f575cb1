package dev.multitask.sync;

import static dev.multitask.sync.SharedConditionLayout.*;

import dev.multitask.shm.SharedMemory;
import dev.multitask.shm.SharedObject;
import dev.multitask.shm.SharedMemoryLayout.Kind;
import dev.multitask.shm.internal.Futex;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A condition variable shared by processes, bound to a {@link SharedLock}: Python's
 * {@code multiprocessing.Condition}, as a {@link Condition}. Waiting releases the lock and
 * sleeps in the kernel until signalled; the lock is re-acquired before {@code await} returns.
 *
 * <p>Its format is {@code SharedConditionLayout}.
 *
 * <p>{@link #signal()} may wake more than one waiter: the {@code Condition} contract allows such
 * spurious wake-ups, and waiters re-check their predicate in a loop, as always. A process that
 * dies while waiting leaves nothing behind; one that dies holding the lock is handled by the
 * lock (the next owner is told). Thread-safe; pass it to another process by capturing it.
 */
public final class SharedCondition extends SharedObject implements Condition {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final transient MemorySegment data;
    private final transient SharedLock lock;

    private SharedCondition(SharedMemory memory, SharedLock lock) {
        super(memory);
        this.data = memory.segment();
        this.lock = lock;
    }

    /** A condition on {@code lock} (Python's {@code Condition(lock)}). */
    public static SharedCondition create(SharedLock lock) {
        return create(SharedMemory.uniqueName(), lock);
    }

    public static SharedCondition create(String name, SharedLock lock) {
        byte[] lockName = lock.name().getBytes(StandardCharsets.UTF_8);
        SharedMemory m = SharedMemory.createTyped(name, Kind.CONDITION, LOCK_NAME + 4 + lockName.length);
        m.segment().set(ValueLayout.JAVA_INT, REENTRANT, lock instanceof SharedRLock ? 1 : 0);
        m.segment().set(ValueLayout.JAVA_INT, LOCK_NAME, lockName.length);
        MemorySegment.copy(lockName, 0, m.segment(), ValueLayout.JAVA_BYTE, LOCK_NAME + 4, lockName.length);
        return new SharedCondition(m, lock);
    }

    /** Attaches to the condition named {@code name}, and to its lock. */
    public static SharedCondition attach(String name) {
        SharedMemory m = SharedMemory.attachTyped(name, Kind.CONDITION);
        int n = m.segment().get(ValueLayout.JAVA_INT, LOCK_NAME);
        byte[] b = new byte[n];
        MemorySegment.copy(m.segment(), ValueLayout.JAVA_BYTE, LOCK_NAME + 4, b, 0, n);
        String lockName = new String(b, StandardCharsets.UTF_8);
        boolean reentrant = m.segment().get(ValueLayout.JAVA_INT, REENTRANT) != 0;
        try {
            return new SharedCondition(m, reentrant ? SharedRLock.attach(lockName) : SharedLock.attach(lockName));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The lock this condition is bound to. */
    public SharedLock lock() {
        return lock;
    }

    private void checkHeld() {
        if (!lock.mutex.heldByCurrentThread()) {
            throw new IllegalMonitorStateException("the current thread must hold lock '" + lock.name() + "' to use its condition");
        }
    }

    /** Waits until signalled or {@code deadline}; returns the nanoseconds left (≤ 0: timed out). */
    private long waitUntil(long deadline, boolean interruptible) throws InterruptedException {
        checkHeld();
        int seq = (int) INT.getVolatile(data, SEQ);
        INT.getAndAdd(data, WAITERS, 1);
        int holds = lock.mutex.holds(); // a re-entrant lock is released whole, and restored after
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        boolean interrupted = false;
        try {
            while ((int) INT.getVolatile(data, SEQ) == seq) {
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
                if (!Futex.awaitUntil(data.asSlice(SEQ, 4), seq, deadline)) {
                    break;
                }
            }
        } finally {
            INT.getAndAdd(data, WAITERS, -1);
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    @Override
    public void await() throws InterruptedException {
        waitUntil(Long.MAX_VALUE, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            waitUntil(Long.MAX_VALUE, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        return waitUntil(System.nanoTime() + Math.max(0, nanosTimeout), true);
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        return awaitNanos(unit.toNanos(time)) > 0;
    }

    /** As {@link #await(long, TimeUnit)}: false if the wait timed out. */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos(timeout.toNanos()) > 0;
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        return awaitNanos(TimeUnit.MILLISECONDS.toNanos(deadline.getTime() - System.currentTimeMillis())) > 0;
    }

    /** Wakes a waiter (possibly more, see the class comment). The caller must hold the lock. */
    @Override
    public void signal() {
        signalAll();
    }

    /** Wakes every waiter of every process. The caller must hold the lock. */
    @Override
    public void signalAll() {
        checkHeld();
        INT.getAndAdd(data, SEQ, 1);
        if ((int) INT.getVolatile(data, WAITERS) > 0) {
            Futex.wake(data.asSlice(SEQ, 4), Integer.MAX_VALUE);
        }
    }




}
