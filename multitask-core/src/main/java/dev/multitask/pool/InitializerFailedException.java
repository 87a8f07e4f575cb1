package dev.multitask.pool;

/**
 * A pool's initializer failed in a new worker. The pool is broken: queued tasks fail with
 * this exception and new ones are refused, rather than the pool starting workers forever
 * (what Python's {@code Pool} does). Its cause is the initializer's exception.
 */
public class InitializerFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InitializerFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
