package dev.multitask.async;

import java.util.List;

/**
 * The failures of a {@link TaskGroup}'s children, together: asyncio's {@code ExceptionGroup}.
 * The first failure is the cause; all of them, in the order they happened, are in
 * {@link #exceptions()} and attached as suppressed exceptions so a stack trace shows each.
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<Throwable> exceptions;

    TaskGroupException(List<Throwable> exceptions) {
        super(exceptions.size() + " task" + (exceptions.size() == 1 ? "" : "s") + " of the group failed: "
                + exceptions.get(0), exceptions.get(0));
        this.exceptions = List.copyOf(exceptions);
        for (int i = 1; i < exceptions.size(); i++) {
            addSuppressed(exceptions.get(i));
        }
    }

    /** Every child failure, in the order they happened (cancellations of the other children excluded). */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
