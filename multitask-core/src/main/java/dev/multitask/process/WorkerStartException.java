package dev.multitask.process;

/**
 * A worker JVM could not be started, or exited before connecting to its parent (a wrong JVM
 * option, a class path it cannot read, too little memory). Its own error output, printed on
 * this process's stderr, says why.
 */
public class WorkerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
