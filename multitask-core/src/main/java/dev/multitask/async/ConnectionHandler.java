package dev.multitask.async;

/** What {@link Async#startServer} runs, in a task of its own, for each accepted connection. */
@FunctionalInterface
public interface ConnectionHandler {
    /** Serves one client; the connection is closed when this returns or throws. */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
