package dev.multitask.process;

import java.time.Duration;

/**
 * A task ran longer than the pool's {@code taskTimeout}. It was stopped for real: its worker
 * process was killed (SIGKILL), and the pool started a replacement.
 */
public class TaskTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;
    private final long pid;

    public TaskTimeoutException(Duration timeout, long pid) {
        super("task exceeded its timeout of " + timeout + "; its worker process " + pid + " was killed");
        this.timeout = timeout;
        this.pid = pid;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The process id of the worker that was killed. */
    public long pid() {
        return pid;
    }
}
