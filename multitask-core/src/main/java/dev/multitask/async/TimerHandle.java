package dev.multitask.async;

/**
 * A callback scheduled with {@link EventLoop#callLater}, {@link EventLoop#callAt} or their
 * {@link Async} counterparts: asyncio's {@code TimerHandle}.
 */
public interface TimerHandle {
    /** Cancels the callback if it has not run yet; does nothing otherwise. */
    void cancel();

    /** Whether {@link #cancel()} was called. */
    boolean isCancelled();

    /** Whether the callback's time came (it was run, or handed to the loop to run). */
    boolean hasFired();

    /** When the callback is due, as a {@link System#nanoTime()} value. */
    long deadlineNanos();
}
