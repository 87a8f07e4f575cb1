package dev.multitask.async;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A counting semaphore for tasks: asyncio's {@code Semaphore} and, with {@link #bounded(int)},
 * {@code BoundedSemaphore}. Waiting gives the loop to other tasks; waiters are served first
 * come, first served. Permits are not owned: any task may release.
 * <pre>{@code try (var p = sem.acquire()) { … }}</pre>
 */
public final class AsyncSemaphore {
    private final int bound;
    private int permits;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    /** What {@link #acquire()} returns: releases the permit when closed. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** A semaphore with {@code permits} permits at first. */
    public AsyncSemaphore(int permits) {
        this(permits, -1);
    }

    private AsyncSemaphore(int permits, int bound) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative, got " + permits);
        }
        this.permits = permits;
        this.bound = bound;
    }

    /** A semaphore whose {@link #release()} beyond its initial count is an error ({@code BoundedSemaphore}). */
    public static AsyncSemaphore bounded(int permits) {
        return new AsyncSemaphore(permits, permits);
    }

    /** Takes a permit, waiting as long as needed. */
    public Permit acquire() {
        tryAcquire(Long.MAX_VALUE);
        return this::release;
    }

    /** Takes a permit if one is free now. */
    public synchronized boolean tryAcquire() {
        if (permits > 0 && waiters.isEmpty()) {
            permits--;
            return true;
        }
        return false;
    }

    /** Takes a permit if it can within {@code timeout}. */
    public boolean tryAcquire(Duration timeout) {
        return tryAcquire(Waiter.deadline(timeout));
    }

    private boolean tryAcquire(long deadline) {
        Task<?> me = Async.requireCurrent("AsyncSemaphore.acquire()");
        me.checkCancelled();
        Waiter w;
        synchronized (this) {
            if (permits > 0 && waiters.isEmpty()) {
                permits--;
                return true;
            }
            w = new Waiter(me);
            waiters.add(w);
        }
        return Waiter.awaitGrant(w, deadline, this, waiters, this::release);
    }

    /** Returns a permit, handing it to the first waiter if there is one. */
    public void release() {
        Waiter next;
        synchronized (this) {
            next = waiters.poll();
            if (next == null) {
                if (bound >= 0 && permits >= bound) {
                    throw new IllegalStateException("BoundedSemaphore released too many times (more than its " + bound + " permits)");
                }
                permits++;
                return;
            }
        }
        next.grant();
    }

    /** Permits free now. */
    public synchronized int availablePermits() {
        return permits;
    }

    /** Whether an acquire would have to wait ({@code locked()}). */
    public synchronized boolean isLocked() {
        return permits == 0 || !waiters.isEmpty();
    }
}
