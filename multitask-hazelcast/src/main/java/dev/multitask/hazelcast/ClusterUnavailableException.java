package dev.multitask.hazelcast;

/**
 * The cluster has no member left to run a task on (or this JVM's connection to it is gone):
 * the task fails with this at once instead of waiting for members that may never come.
 */
public class ClusterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message) {
        super(message);
    }

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
