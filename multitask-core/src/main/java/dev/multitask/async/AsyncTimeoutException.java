package dev.multitask.async;

/**
 * Thrown where a {@link Async#timeout(java.time.Duration) timeout scope} or
 * {@link Async#waitFor} ran out of time: asyncio's {@code TimeoutError}. It is thrown at the
 * task's first wait on the library after the deadline passed (the same place a cancellation
 * would be delivered), so {@code finally} blocks inside the scope run as usual.
 */
public class AsyncTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Timeout scope;

    AsyncTimeoutException(String message, Timeout scope) {
        super(message);
        this.scope = scope;
    }

    /** The timeout scope that expired, or {@code null} for {@link Async#waitFor(Task, java.time.Duration)}. */
    public Timeout scope() {
        return scope;
    }
}
