package dev.multitask.async;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A mutual-exclusion lock for tasks: asyncio's {@code Lock}, and a
 * {@link java.util.concurrent.locks.Lock}. Waiting for it gives the loop to other tasks;
 * waiters get it first come, first served. It is owned by the task that took it, is not
 * re-entrant (taking it twice in one task is an error, not a deadlock), and only the owner may
 * unlock it. In the default mode it is only needed to keep other tasks out across a wait;
 * in the parallel mode it is an ordinary lock as well.
 * <pre>{@code try (var held = lock.acquire()) { … }}</pre>
 * A task cancelled while waiting leaves the queue (and passes the lock on if it had just been
 * handed to it).
 */
public final class AsyncLock implements Lock {
    private Task<?> owner;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** What {@link #acquire()} returns: unlocks when closed. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes the lock, waiting as long as needed; returns a guard for try-with-resources. */
    public Held acquire() {
        lock();
        return this::unlock;
    }

    @Override
    public void lock() {
        if (!acquire(Long.MAX_VALUE)) {
            throw new AssertionError("an untimed acquire cannot time out");
        }
    }

    @Override
    public void lockInterruptibly() {
        lock();
    }

    @Override
    public boolean tryLock() {
        Task<?> me = Async.requireCurrent("AsyncLock.tryLock()");
        synchronized (this) {
            if (owner == null && waiters.isEmpty()) {
                owner = me;
                return true;
            }
            return false;
        }
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) {
        return acquire(System.nanoTime() + unit.toNanos(Math.max(0, time)));
    }

    /** Takes the lock if it can within {@code timeout}. */
    public boolean tryLock(Duration timeout) {
        return acquire(Waiter.deadline(timeout));
    }

    private boolean acquire(long deadline) {
        Task<?> me = Async.requireCurrent("AsyncLock.lock()");
        me.checkCancelled();
        Waiter w;
        synchronized (this) {
            if (owner == me) {
                throw new IllegalStateException(me.name() + " already holds this AsyncLock; it is not re-entrant");
            }
            if (owner == null && waiters.isEmpty()) {
                owner = me;
                return true;
            }
            w = new Waiter(me);
            waiters.add(w);
        }
        return Waiter.awaitGrant(w, deadline, this, waiters, () -> release(me));
    }

    @Override
    public void unlock() {
        Task<?> me = Async.current();
        synchronized (this) {
            if (owner == null) {
                throw new IllegalMonitorStateException("unlock() of an AsyncLock that is not locked");
            }
            if (owner != me) {
                throw new IllegalMonitorStateException("unlock() by " + (me == null ? "a thread outside the loop" : me.name())
                        + ", but the AsyncLock is held by " + owner.name());
            }
        }
        release(me);
    }

    private void release(Task<?> me) {
        Waiter next;
        synchronized (this) {
            next = waiters.poll();
            owner = next == null ? null : next.task;
        }
        if (next != null) {
            next.grant();
        }
    }

    /** Whether some task holds the lock ({@code locked()}). */
    public synchronized boolean isLocked() {
        return owner != null;
    }

    /** Whether the current task holds the lock. */
    public synchronized boolean isHeldByCurrentTask() {
        return owner != null && owner == Async.current();
    }

    /** A condition bound to this lock. */
    @Override
    public AsyncCondition newCondition() {
        return new AsyncCondition(this);
    }

    @Override
    public synchronized String toString() {
        return "AsyncLock[" + (owner == null ? "unlocked" : "held by " + owner.name() + ", " + waiters.size() + " waiting") + "]";
    }

}
