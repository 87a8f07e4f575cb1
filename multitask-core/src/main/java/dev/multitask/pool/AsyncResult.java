package dev.multitask.pool;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * The result of a task submitted to a {@link Pool}: a {@link Future} to wait on and a
 * {@link CompletionStage} to chain on (Python's {@code AsyncResult}, with Java's
 * composition). {@code cancel(true)} on a running task of a process pool kills its worker,
 * which the pool replaces: the task really stops.
 */
public interface AsyncResult<T> extends Future<T>, CompletionStage<T> {

    /** Waits and returns the result, or throws {@link TaskFailedException} (unchecked) with the task's failure as cause. */
    T result();

    /**
     * As {@link #result()}, waiting at most {@code timeout}.
     *
     * @throws TaskFailedException with a {@link java.util.concurrent.TimeoutException} as cause
     *     if the wait timed out (the task itself goes on)
     */
    T result(Duration timeout);

    /** Python's {@code ready()}: whether the task has finished, one way or another. */
    default boolean ready() {
        return isDone();
    }

    /**
     * Python's {@code successful()}: whether the task finished without failing.
     *
     * @throws IllegalStateException if it has not finished yet
     */
    boolean successful();
}
