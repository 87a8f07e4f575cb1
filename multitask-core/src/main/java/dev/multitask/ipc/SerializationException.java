package dev.multitask.ipc;

/**
 * A task, argument, result or exception could not be turned into bytes (or back) to cross a
 * process boundary. The message names the offending class and, where it could be found, the
 * path from the task to it (for example {@code captured arg 0 -> Order.customer -> Socket}).
 *
 * <p>Thrown at once by the call that submitted a task that cannot be serialized; the pool
 * stays usable. When a worker cannot serialize a result, or cannot find a class of the task,
 * this exception is the cause of the task's failure.
 */
public class SerializationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String className;

    public SerializationException(String message, String className, Throwable cause) {
        super(message, cause);
        this.className = className;
    }

    /** The fully qualified name of the class that could not be serialized or found, or null if unknown. */
    public String className() {
        return className;
    }
}
