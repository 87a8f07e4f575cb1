package dev.multitask.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A flag tasks can wait for: asyncio's {@code Event}. {@link #set()} wakes every waiting task;
 * {@link #clear()} makes later waits wait again. {@code set} and {@code clear} may be called
 * from any thread.
 */
public final class AsyncEvent {
    private volatile boolean set;
    private volatile long sets;
    private final List<Task<?>> waiters = new ArrayList<>();

    /** Sets the flag and wakes every waiting task. */
    public void set() {
        List<Task<?>> w;
        synchronized (this) {
            set = true;
            sets++;
            w = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Task<?> t : w) {
            t.wake();
        }
    }

    /** Clears the flag. */
    public void clear() {
        set = false;
    }

    public boolean isSet() {
        return set;
    }

    /** Waits until the flag is set (at once if it is). */
    public void await() {
        await(null);
    }

    /** Waits at most {@code timeout} ({@code null}: no limit); returns whether the flag is set. */
    public boolean await(Duration timeout) {
        long deadline = Waiter.deadline(timeout);
        Task<?> me = Async.requireCurrent("AsyncEvent.await()");
        if (set) {
            return true;
        }
        long seen = sets;
        synchronized (this) {
            waiters.add(me);
        }
        try {
            return me.parkUntil(() -> set || sets != seen, deadline); // a set() then clear() still wakes
        } finally {
            synchronized (this) {
                waiters.remove(me);
            }
        }
    }
}
