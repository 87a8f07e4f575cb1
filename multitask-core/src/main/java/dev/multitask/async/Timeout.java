package dev.multitask.async;

import java.time.Duration;

/**
 * A deadline for the code inside a try-with-resources block: asyncio's {@code timeout()}
 * context manager, from {@link Async#timeout(Duration)}. When the deadline passes, the task's
 * next wait on the library throws an {@link AsyncTimeoutException} (its {@code finally} blocks
 * run as usual). Scopes nest; the exception's {@link AsyncTimeoutException#scope()} says which
 * expired. Closing the scope before the deadline cancels it.
 *
 * <p>A scope belongs to the task that opened it and must be closed by that task.
 */
public final class Timeout implements AutoCloseable {
    private final Task<?> task;
    private long deadline;
    private final long opened = System.nanoTime();
    private TimerHandle timer;
    private volatile boolean expired;
    volatile boolean delivered;
    private volatile boolean closed;

    Timeout(Task<?> task, long deadline) {
        this.task = task;
        arm(deadline);
    }

    private void arm(long deadline) {
        this.deadline = deadline;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (deadline != Long.MAX_VALUE) {
            timer = task.loop.addTimer(deadline, (Runnable) this::onDeadline);
        }
    }

    private void onDeadline() {
        if (!closed && !expired) {
            expired = true;
            task.expire(this);
        }
    }

    /** Whether the deadline passed while the scope was open. */
    public boolean expired() {
        return expired;
    }

    /** The deadline as a {@link System#nanoTime()} value ({@link Long#MAX_VALUE}: none). */
    public long deadlineNanos() {
        return deadline;
    }

    /** Moves the deadline to {@code delay} from now ({@code null}: no deadline); asyncio's {@code reschedule}. */
    public void reschedule(Duration delay) {
        if (closed) {
            throw new IllegalStateException("this timeout scope is closed");
        }
        if (expired) {
            throw new IllegalStateException("this timeout scope has already expired");
        }
        if (delay != null) {
            Async.requireNonNegative(delay, "delay");
        }
        arm(delay == null ? Long.MAX_VALUE : System.nanoTime() + delay.toNanos());
    }

    String message() {
        return task.name() + " timed out after " + Duration.ofNanos(deadline - opened).toMillis() + " ms";
    }

    /** Ends the scope: cancels the deadline, and withdraws an expiry not delivered yet. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer != null) {
            timer.cancel();
        }
        if (expired && !delivered) {
            task.withdraw(this);
        }
    }
}
