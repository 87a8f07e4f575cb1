package dev.multitask.async;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * Structured concurrency for tasks: asyncio's {@code TaskGroup}, as a try-with-resources block.
 * <pre>{@code
 * try (var tg = new TaskGroup()) {
 *     Task<String> a = tg.createTask(() -> fetch("a"));
 *     Task<String> b = tg.createTask(() -> fetch("b"));
 * }   // waits for both; a.await() and b.await() are done here
 * }</pre>
 * <ul>
 * <li>{@link #close()} waits for every task of the group.
 * <li>The first child that fails (with anything but a cancellation) cancels the other children,
 *     and the body of the block at its next wait on the library; the block then ends with a
 *     {@link TaskGroupException} holding every failure, once all children are done.
 * <li>If the task that opened the group is cancelled, the children are cancelled too and the
 *     cancellation goes on after they finish.
 * <li>What Java cannot tell {@code close()}: an exception the body throws by itself (not from
 *     a wait). Then {@code close()} still waits for the children, without cancelling them, and
 *     Java attaches a group failure to the body's exception as suppressed. Call
 *     {@link #cancel()} in a {@code catch} to stop the children early.
 * </ul>
 * A group belongs to the task that created it; children may create tasks in it as well.
 */
public final class TaskGroup implements AutoCloseable {
    private final Task<?> parent;
    private final List<Task<?>> children = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private int running;
    private boolean aborting;
    private boolean exited;
    private boolean reported;

    private final Task.Listener onChildDone = new Task.Listener() {
        @Override
        void taskDone(Task<?> child) {
            childDone(child);
        }
    };

    /** Opens a group in the current task. */
    public TaskGroup() {
        this.parent = Async.requireCurrent("new TaskGroup()");
    }

    /** Creates a child task; see {@link Async#createTask}. */
    public <T> Task<T> createTask(Callable<T> body) {
        return createTask(null, body);
    }

    /** Creates a named child task. */
    public <T> Task<T> createTask(String name, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        synchronized (this) {
            if (exited && running == 0) {
                throw new IllegalStateException("this TaskGroup is finished; open a new one");
            }
            if (aborting) {
                throw new IllegalStateException("this TaskGroup is shutting down (a child failed or it was cancelled); no new tasks");
            }
            running++;
        }
        Task<T> t = parent.loop.createTask(name, body);
        synchronized (this) {
            children.add(t);
        }
        t.addListener(onChildDone);
        return t;
    }

    /** Cancels every child not done yet; the group then ends when they have finished. */
    public void cancel() {
        List<Task<?>> all;
        synchronized (this) {
            aborting = true;
            all = new ArrayList<>(children);
        }
        for (Task<?> t : all) {
            t.cancel("cancelled by its TaskGroup");
        }
    }

    private void childDone(Task<?> child) {
        Throwable f = child.isCancelled() ? null : child.failureOrNull();
        boolean abort = false;
        synchronized (this) {
            running--;
            if (f != null) {
                errors.add(f);
                if (!aborting) {
                    abort = true;
                }
            }
        }
        if (abort) {
            cancel();
            if (!exited) {
                parent.expire(this); // the body stops at its next wait
            }
        }
        parent.wake();
    }

    private synchronized boolean allDone() {
        return running == 0;
    }

    /** Called from the parent's wait when a child failure interrupts the body: wait for the children, then fail. */
    RuntimeException failInBody() {
        awaitChildren();
        synchronized (this) {
            reported = true;
            return new TaskGroupException(errors);
        }
    }

    /** Waits for all children; a cancellation of the parent meanwhile cancels them and is re-thrown after. */
    private Object awaitChildren() {
        Object deferred = null;
        while (!allDone()) {
            Object p = parent.takePending();
            if (p instanceof Task.CancelRequest || p instanceof Timeout) {
                deferred = deferred instanceof Task.CancelRequest ? deferred : p;
                cancel();
            }
            if (!allDone()) {
                parent.park();
            }
        }
        return deferred;
    }

    /** Waits for every child; throws the group's failures or a cancellation that arrived meanwhile. */
    @Override
    public void close() {
        if (Async.current() != parent) {
            throw new IllegalStateException("a TaskGroup must be closed by the task that opened it (" + parent.name() + ")");
        }
        synchronized (this) {
            if (exited) {
                return;
            }
            exited = true;
        }
        if (parent.cancelling() > 0) {
            cancel();
        }
        Object deferred = awaitChildren();
        parent.withdraw(this);
        synchronized (this) {
            if (!errors.isEmpty() && !reported) {
                reported = true;
                throw new TaskGroupException(errors);
            }
        }
        if (deferred instanceof Timeout t) {
            t.delivered = true;
            throw new AsyncTimeoutException(t.message(), t);
        }
        if (deferred instanceof Task.CancelRequest c) {
            throw new CancellationException(c.message() != null ? c.message() : parent.name() + " was cancelled");
        }
    }
}
