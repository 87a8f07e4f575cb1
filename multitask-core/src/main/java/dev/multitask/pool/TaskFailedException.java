package dev.multitask.pool;

/**
 * Thrown by the synchronous methods of a {@link Pool} ({@code apply}, {@code map}, an
 * {@code imap} iterator, {@link AsyncResult#result()}) when a task failed. The cause is what
 * {@link java.util.concurrent.ExecutionException#getCause()} would be for the same task: the
 * task's own exception (for a process pool, with the remote stack trace), a
 * {@link dev.multitask.process.WorkerDiedException}, a
 * {@link dev.multitask.process.TaskTimeoutException}, a
 * {@link java.util.concurrent.CancellationException}, ...
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TaskFailedException(Throwable cause) {
        super("task failed: " + cause, cause);
    }
}
