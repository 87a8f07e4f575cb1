package dev.multitask.async;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for tasks: asyncio's {@code Condition}, and a
 * {@link java.util.concurrent.locks.Condition} of its {@link AsyncLock}. {@link #await()}
 * releases the lock, waits for a {@link #signal()} without holding the loop, and takes the lock
 * again before returning — also when the wait ends by cancellation or timeout, which is then
 * thrown with the lock held (as asyncio does), so {@code finally { lock.unlock(); }} is right.
 */
public final class AsyncCondition implements Condition {
    private final AsyncLock lock;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** A condition with a lock of its own. */
    public AsyncCondition() {
        this(new AsyncLock());
    }

    /** A condition bound to {@code lock}. */
    public AsyncCondition(AsyncLock lock) {
        this.lock = java.util.Objects.requireNonNull(lock, "lock");
    }

    /** The lock this condition releases while waiting. */
    public AsyncLock lock() {
        return lock;
    }

    @Override
    public void await() {
        awaitUntilDeadline(Long.MAX_VALUE);
    }

    /** Waits at most {@code timeout}; false if it passed without a signal. */
    public boolean await(Duration timeout) {
        return awaitUntilDeadline(Waiter.deadline(timeout));
    }

    @Override
    public boolean await(long time, TimeUnit unit) {
        return awaitUntilDeadline(System.nanoTime() + unit.toNanos(Math.max(0, time)));
    }

    @Override
    public long awaitNanos(long nanosTimeout) {
        long deadline = System.nanoTime() + Math.max(0, nanosTimeout);
        awaitUntilDeadline(deadline);
        return deadline - System.nanoTime();
    }

    @Override
    public void awaitUninterruptibly() {
        await();
    }

    @Override
    public boolean awaitUntil(Date deadline) {
        return await(Math.max(0, deadline.getTime() - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code predicate} holds, re-checking it after each signal ({@code wait_for}). */
    public void awaitUntil(BooleanSupplier predicate) {
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    private boolean awaitUntilDeadline(long deadline) {
        Task<?> me = Async.requireCurrent("AsyncCondition.await()");
        if (!lock.isHeldByCurrentTask()) {
            throw new IllegalMonitorStateException("AsyncCondition.await() by " + me.name() + ", which does not hold its lock");
        }
        Waiter w = new Waiter(me);
        synchronized (this) {
            waiters.add(w);
        }
        lock.unlock();
        RuntimeException deferred = null;
        boolean signalled = false;
        try {
            signalled = me.parkUntil(w::granted, deadline);
        } catch (RuntimeException e) {
            deferred = e;
        } finally {
            synchronized (this) {
                waiters.remove(w);
            }
            for (;;) {
                try {
                    lock.lock();
                    break;
                } catch (java.util.concurrent.CancellationException | AsyncTimeoutException e) {
                    if (deferred == null) {
                        deferred = e;
                    }
                }
            }
        }
        if (deferred != null) {
            if (w.granted) { // the signal meant for us must not be lost
                signal();
            }
            throw deferred;
        }
        return signalled;
    }

    /** Wakes one waiting task ({@code notify()}); the caller must hold the lock. */
    @Override
    public void signal() {
        signal(1);
    }

    /** Wakes up to {@code n} waiting tasks ({@code notify(n)}). */
    public void signal(int n) {
        requireHeld();
        for (int i = 0; i < n; i++) {
            Waiter w;
            synchronized (this) {
                w = waiters.poll();
            }
            if (w == null) {
                return;
            }
            w.grant();
        }
    }

    /** Wakes every waiting task ({@code notify_all()}). */
    @Override
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    private void requireHeld() {
        if (!lock.isHeldByCurrentTask()) {
            throw new IllegalMonitorStateException("signal an AsyncCondition only while holding its lock");
        }
    }
}
