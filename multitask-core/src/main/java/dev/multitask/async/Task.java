package dev.multitask.async;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A unit of work on an {@link EventLoop}: asyncio's {@code Task}. It runs its callable on a
 * virtual thread of its own, as ordinary blocking-style code; in the loop's default mode it runs
 * only while no other task of the loop runs, and gives the loop up only where it waits on the
 * library ({@link Async#sleep}, {@link #await()}, the async queues and locks, stream I/O,
 * {@link Async#toThread}).
 *
 * <p>{@link #await()} returns the result, or throws what the task threw: unchecked exceptions as
 * they are (as asyncio re-raises them), checked ones wrapped in a {@link CompletionException},
 * and a {@link CancellationException} if the task was cancelled. It must be called from a task
 * of the same loop. {@link #get()} (the {@link Future} view) may be called from any thread,
 * for example by code outside the loop that wants the result.
 *
 * <p>Cancellation ({@link #cancel()}) is asyncio's: a request, delivered as a
 * {@link CancellationException} at the task's next wait on the library (or before it starts if
 * it has not), so its {@code finally} blocks run; a task that catches the exception and goes on
 * is not cancelled. A task that finishes with a {@link CancellationException} counts as cancelled.
 */
public sealed class Task<T> implements Future<T> permits Task.Body {
    private static final int RUNNING = 0, NOTIFIED = 1, PARKED = 2;
    static final int PENDING = 0, SUCCEEDED = 1, FAILED = 2, CANCELLED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Task.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Something told when a task completes; package-private so the loop's own helpers can listen without a thread. */
    abstract static class Listener {
        abstract void taskDone(Task<?> task);
    }

    /** A pending cancellation request (as opposed to a {@link Timeout} that expired). */
    record CancelRequest(String message) {
    }

    final EventLoop loop;
    final Callable<? extends T> body;
    private volatile String name;
    private final long number;
    Thread thread;
    volatile boolean hasBaton;
    @SuppressWarnings("unused")
    private volatile int state;

    private volatile int outcome;
    private T result;
    private Throwable failure;
    /** Who waits for completion: null, one Task/Listener/Consumer, or an ArrayList of them. Guarded by this. */
    private Object waiters;
    private volatile Object pendingCancel;
    private volatile int cancelRequests;
    volatile boolean retrieved;
    /** This task's context variables (an immutable map, copied from its creator). */
    ContextVar.Context context;
    boolean inRegistry;
    Task<?> prevLive, nextLive;

    Task(EventLoop loop, String name, long number, Callable<? extends T> body, ContextVar.Context context) {
        this.loop = loop;
        this.name = name;
        this.number = number;
        this.body = body;
        this.context = context;
    }

    // ---------------------------------------------------------------- public API

    /** The task's name ({@code Task-N} unless one was given). */
    public String name() {
        String n = name;
        if (n == null) {
            n = "Task-" + number;
            name = n;
        }
        return n;
    }

    /** Renames the task (names show in debug reports and error messages). */
    public void setName(String name) {
        this.name = java.util.Objects.requireNonNull(name, "name");
    }

    /** The loop this task belongs to. */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Waits, without holding the loop, until this task is done, and returns its result.
     *
     * @throws CancellationException if this task was cancelled, or the awaiting task is
     *         cancelled while it waits (this task then keeps running)
     * @throws CompletionException wrapping a checked exception the task threw
     * @throws IllegalStateException if called outside a task of this task's loop, or by the task on itself
     */
    public T await() {
        Task<?> me = Async.requireCurrent("Task.await()");
        if (me.loop != loop) {
            throw new IllegalStateException(name() + " belongs to another event loop than the awaiting task " + me.name
                    + "; a task can only be awaited from its own loop (use get() from other threads)");
        }
        if (me == this) {
            throw new IllegalStateException(name() + " cannot await itself (it would wait forever)");
        }
        if (outcome == PENDING) {
            addListener(me);
            try {
                while (outcome == PENDING) {
                    me.checkCancelled();
                    me.park();
                }
            } finally {
                removeListener(me);
            }
        }
        return report();
    }

    /**
     * Requests cancellation; see the class comment. Returns false if the task is already done.
     * May be called from any thread.
     */
    public boolean cancel() {
        return cancel((String) null);
    }

    /** {@link #cancel()} with a message that the {@link CancellationException} will carry. */
    public boolean cancel(String message) {
        if (isDone()) {
            return false;
        }
        if (body == null) { // a future (shield, gather): completes at once
            return completeCancelled(new CancellationException(message == null ? name() + " was cancelled" : message));
        }
        synchronized (this) {
            cancelRequests++;
        }
        pendingCancel = new CancelRequest(message);
        wake();
        return true;
    }

    /** {@link Future#cancel(boolean)}: the same as {@link #cancel()} (a task is never interrupted). */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cancel();
    }

    /** How many cancellation requests are pending on this task (asyncio's {@code cancelling()}). */
    public int cancelling() {
        return cancelRequests;
    }

    /** Withdraws one cancellation request; returns the number left (asyncio's {@code uncancel()}). */
    public int uncancel() {
        synchronized (this) {
            if (cancelRequests > 0) {
                cancelRequests--;
            }
            if (cancelRequests == 0 && pendingCancel instanceof CancelRequest) {
                pendingCancel = null;
            }
            return cancelRequests;
        }
    }

    @Override
    public boolean isDone() {
        return outcome != PENDING;
    }

    @Override
    public boolean isCancelled() {
        return outcome == CANCELLED;
    }

    /** The exception the task failed with, null if it succeeded; throws if it is not done or was cancelled. */
    public Throwable exception() {
        int o = outcome;
        if (o == PENDING) {
            throw new IllegalStateException(name() + " is not done yet");
        }
        retrieved = true;
        if (o == CANCELLED) {
            throw (CancellationException) failure;
        }
        return o == FAILED ? failure : null;
    }

    /**
     * Calls {@code callback} on the loop once the task is done (at once, through the loop, if it
     * already is), as asyncio's {@code add_done_callback}.
     */
    public void addDoneCallback(Consumer<? super Task<T>> callback) {
        java.util.Objects.requireNonNull(callback, "callback");
        Listener l = new Listener() {
            @Override
            void taskDone(Task<?> task) {
                loop.callSoonThreadsafe(() -> callback.accept(Task.this));
            }
        };
        addListener(l);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        Task<?> me = Async.current();
        if (me != null && me.loop == loop) {
            try {
                return await();
            } catch (CancellationException e) {
                throw e;
            } catch (Throwable e) {
                throw new ExecutionException(e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e);
            }
        }
        awaitFromOutside(Long.MAX_VALUE);
        return reportForFuture();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!awaitFromOutside(unit.toNanos(timeout))) {
            throw new TimeoutException(name() + " did not finish within " + timeout + " " + unit);
        }
        return reportForFuture();
    }

    @Override
    public T resultNow() {
        if (outcome != SUCCEEDED) {
            throw new IllegalStateException(name() + " has not succeeded (" + stateName() + ")");
        }
        retrieved = true;
        return result;
    }

    @Override
    public Throwable exceptionNow() {
        if (outcome != FAILED) {
            throw new IllegalStateException(name() + " has not failed (" + stateName() + ")");
        }
        retrieved = true;
        return failure;
    }

    @Override
    public String toString() {
        return "Task[" + name() + ", " + stateName() + "]";
    }

    private String stateName() {
        return switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed: " + failure;
            case CANCELLED -> "cancelled";
            default -> "pending";
        };
    }

    // ---------------------------------------------------------------- running

    /** A task with a body: its object is also its virtual thread's Runnable (one object less per task). */
    static final class Body<T> extends Task<T> implements Runnable {
        Body(EventLoop loop, String name, long number, Callable<? extends T> body, ContextVar.Context context) {
            super(loop, name, number, body, context);
        }

        /** The task's virtual thread runs this: the body, then completion (one frame under the body). */
        @Override
        public void run() {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("a task runs only on its own thread; use Async.createTask");
            }
            if (loop.single) {
                awaitBaton();
            }
            loop.enterTask(this);
            T r = null;
            Throwable f = null;
            try {
                checkCancelled();
                r = body.call();
            } catch (Throwable t) {
                f = t;
            }
            if (f == null) {
                completeWith(SUCCEEDED, r, null);
            } else if (f instanceof CancellationException c && !(f instanceof AsyncTimeoutException)) {
                completeWith(CANCELLED, null, c);
            } else {
                completeWith(FAILED, null, f);
            }
            loop.taskExited(this);
        }
    }

    /** Marks a task that was cancelled before it ever ran; the loop calls it instead of starting a thread. */
    boolean cancelledBeforeStart() {
        Object p = pendingCancel;
        if (p instanceof CancelRequest c) {
            completeWith(CANCELLED, null, new CancellationException(
                    c.message() != null ? c.message() : name() + " was cancelled before it started"));
            return true;
        }
        return false;
    }

    boolean completeSucceeded(T value) {
        return completeWith(SUCCEEDED, value, null);
    }

    boolean completeFailed(Throwable t) {
        return completeWith(FAILED, null, t);
    }

    boolean completeCancelled(CancellationException c) {
        return completeWith(CANCELLED, null, c);
    }

    final boolean completeWith(int how, T value, Throwable t) {
        Object w;
        synchronized (this) {
            if (outcome != PENDING) {
                return false;
            }
            result = value;
            failure = t;
            outcome = how;
            w = waiters;
            waiters = null;
        }
        if (how == FAILED) {
            loop.noteFailure(this);
        }
        if (w instanceof ArrayList<?> list) {
            for (Object o : list) {
                notifyListener(o);
            }
        } else if (w != null) {
            notifyListener(w);
        }
        return true;
    }

    private void notifyListener(Object o) {
        if (o instanceof Task<?> t) {
            t.wake();
        } else {
            ((Listener) o).taskDone(this);
        }
    }

    /** Adds a waiter (a Task to wake, or a Listener); if already done, notifies it at once. */
    void addListener(Object w) {
        synchronized (this) {
            if (outcome == PENDING) {
                if (waiters == null) {
                    waiters = w;
                } else if (waiters instanceof ArrayList<?> l) {
                    @SuppressWarnings("unchecked")
                    ArrayList<Object> list = (ArrayList<Object>) l;
                    list.add(w);
                } else {
                    ArrayList<Object> list = new ArrayList<>(4);
                    list.add(waiters);
                    list.add(w);
                    waiters = list;
                }
                return;
            }
        }
        notifyListener(w);
    }

    void removeListener(Object w) {
        synchronized (this) {
            if (waiters == w) {
                waiters = null;
            } else if (waiters instanceof ArrayList<?> l) {
                l.remove(w);
            }
        }
    }

    T report() {
        retrieved = true;
        return switch (outcome) {
            case SUCCEEDED -> result;
            case CANCELLED -> {
                CancellationException c = new CancellationException(failure.getMessage());
                c.initCause(failure);
                throw c;
            }
            default -> throw rethrow(failure);
        };
    }

    static RuntimeException rethrow(Throwable f) {
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new CompletionException(f);
    }

    private T reportForFuture() throws ExecutionException {
        retrieved = true;
        return switch (outcome) {
            case SUCCEEDED -> result;
            case CANCELLED -> throw (CancellationException) new CancellationException(failure.getMessage()).initCause(failure);
            default -> throw new ExecutionException(failure);
        };
    }

    private boolean awaitFromOutside(long nanos) throws InterruptedException {
        if (isDone()) {
            return true;
        }
        CountDownLatch latch = new CountDownLatch(1);
        Listener l = new Listener() {
            @Override
            void taskDone(Task<?> task) {
                latch.countDown();
            }
        };
        addListener(l);
        try {
            return nanos == Long.MAX_VALUE ? latchAwait(latch) : latch.await(nanos, TimeUnit.NANOSECONDS);
        } finally {
            removeListener(l);
        }
    }

    private static boolean latchAwait(CountDownLatch l) throws InterruptedException {
        l.await();
        return true;
    }

    // ---------------------------------------------------------------- waiting and waking

    /** Throws the pending cancellation or timeout, if any, consuming it. Called at every wait. */
    void checkCancelled() {
        Object p = pendingCancel;
        if (p == null) {
            return;
        }
        pendingCancel = null;
        if (p instanceof Timeout t) {
            t.delivered = true;
            throw new AsyncTimeoutException(t.message(), t);
        }
        if (p instanceof TaskGroup g) {
            throw g.failInBody();
        }
        String m = ((CancelRequest) p).message();
        throw new CancellationException(m != null ? m : name() + " was cancelled");
    }

    /** Takes the pending cancellation, timeout or group failure without throwing it (null if none). */
    Object takePending() {
        synchronized (this) {
            Object p = pendingCancel;
            pendingCancel = null;
            return p;
        }
    }

    boolean isDoneSuccessfully() {
        return outcome == SUCCEEDED;
    }

    boolean isParked() {
        return (int) STATE.getVolatile(this) == PARKED;
    }

    /** Copies another task's outcome into this future-like task (shield, toThread). */
    @SuppressWarnings("unchecked")
    void completeFrom(Task<?> src) {
        switch (src.outcome) {
            case SUCCEEDED -> completeSucceeded((T) src.result);
            case FAILED -> {
                src.retrieved = true;
                completeFailed(src.failure);
            }
            case CANCELLED -> completeCancelled((CancellationException) src.failure);
            default -> throw new IllegalStateException(src + " is not done");
        }
    }

    /** The failure of a failed task, marking it retrieved (null otherwise); for gather and groups. */
    Throwable failureOrNull() {
        if (outcome == FAILED) {
            retrieved = true;
            return failure;
        }
        return null;
    }

    /**
     * A timeout scope of this task expired, or a child of its task group failed: deliver that at
     * the next wait unless a real cancellation is pending.
     */
    void expire(Object t) {
        synchronized (this) {
            if (!(pendingCancel instanceof CancelRequest)) {
                pendingCancel = t;
            }
        }
        wake();
    }

    /** Withdraws an expired timeout that was not delivered yet (its scope closed first). */
    void withdraw(Object t) {
        synchronized (this) {
            if (pendingCancel == t) {
                pendingCancel = null;
            }
        }
    }

    /**
     * Gives the loop up until {@link #wake()} is called (or was called since the last park); the
     * caller re-checks what it waits for, as with {@link LockSupport#park()}.
     */
    void park() {
        if (STATE.compareAndSet(this, NOTIFIED, RUNNING)) {
            return;
        }
        if (!STATE.compareAndSet(this, RUNNING, PARKED)) {
            STATE.setVolatile(this, RUNNING);
            return;
        }
        if (!loop.single) {
            parkParallel();
            return;
        }
        // kept small on purpose: the JIT then inlines it into every wait, and a parked task's
        // frozen stack has one frame fewer (a million parked tasks: tens of megabytes)
        loop.switchAway(this);
        while (!hasBaton) {
            LockSupport.park(loop);
            if (Thread.currentThread().isInterrupted()) {
                awaitBaton();
                break;
            }
        }
        hasBaton = false;
        loop.enterTask(this);
    }

    private void parkParallel() {
        boolean interrupted = false;
        while ((int) STATE.getVolatile(this) == PARKED) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits, giving the loop up, until {@code done} holds or the deadline ({@link System#nanoTime()},
     * {@link Long#MAX_VALUE}: none) passes; returns {@code done}'s final answer. Delivers a pending
     * cancellation or timeout by throwing it. The waker must call {@link #wake()} after making
     * {@code done} true.
     */
    boolean parkUntil(java.util.function.BooleanSupplier done, long deadline) {
        if (done.getAsBoolean()) {
            return true;
        }
        TimerWheel.Timer t = deadline == Long.MAX_VALUE ? null : loop.addTimer(deadline, this);
        try {
            while (!done.getAsBoolean()) {
                if (t != null && t.fired) {
                    return done.getAsBoolean();
                }
                checkCancelled();
                park();
            }
            return true;
        } finally {
            if (t != null) {
                t.cancel();
            }
        }
    }

    /** Waits until this task is given the loop (default mode); inlined here to keep parked stacks short. */
    final void awaitBaton() {
        boolean interrupted = false;
        while (!hasBaton) {
            LockSupport.park(loop);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        hasBaton = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes the task run again after its {@link #park()}; safe from any thread, any number of times. */
    void wake() {
        for (;;) {
            int s = (int) STATE.getVolatile(this);
            if (s == NOTIFIED) {
                return;
            }
            if (s == RUNNING) {
                if (STATE.compareAndSet(this, RUNNING, NOTIFIED)) {
                    return;
                }
            } else if (STATE.compareAndSet(this, PARKED, RUNNING)) {
                loop.resume(this);
                return;
            }
        }
    }
}
