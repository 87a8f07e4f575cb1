package dev.multitask.process;

/**
 * Stands for an exception thrown in another process that could not travel as itself (its
 * class, or something it references, is not serializable or not on this side's class path).
 * It keeps the remote exception's class name, message and stack trace; its cause is the
 * remote cause, converted the same way.
 *
 * <p>When the remote exception can travel, the caller gets that exception itself, with its
 * remote stack trace, and never this class.
 */
public class RemoteTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    public RemoteTaskException(String remoteClassName, String message) {
        super(remoteClassName + (message == null ? "" : ": " + message));
        this.remoteClassName = remoteClassName;
    }

    /** The fully qualified class name of the exception thrown in the other process. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** Converts {@code t} and its causes into stand-ins that carry class, message and stack trace. */
    public static RemoteTaskException of(Throwable t) {
        RemoteTaskException r = new RemoteTaskException(t.getClass().getName(), t.getMessage());
        r.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t) {
            r.initCause(of(t.getCause()));
        }
        return r;
    }
}
