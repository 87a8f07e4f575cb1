package dev.multitask.pool.internal;

/** The lifecycle an executor's engine offers ({@link BackedExecutor} builds the {@code ExecutorService} one on it). */
public interface Engine {
    /** Refuse new tasks from now on; does not wait. */
    void beginClose();

    /** Refuse new tasks, finish the queued ones, release the workers; waits for the queued work. */
    void close();

    /** Cancel queued and running tasks and release the workers at once. */
    void terminate();

    boolean isShutdown();

    /** Waits at most {@code nanos} until closed or terminated and every worker is released. */
    boolean awaitTerminated(long nanos) throws InterruptedException;
}
