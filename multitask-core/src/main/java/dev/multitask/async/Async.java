package dev.multitask.async;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * asyncio for Java: the functions of Python's {@code asyncio} module, for code written as
 * ordinary blocking-style Java running in {@link Task tasks} (virtual threads) of an
 * {@link EventLoop}.
 * <pre>{@code
 * String r = Async.run(() -> {
 *     Task<String> a = Async.createTask(() -> { Async.sleep(Duration.ofSeconds(2)); return "a"; });
 *     Task<String> b = Async.createTask(() -> { Async.sleep(Duration.ofSeconds(3)); return "b"; });
 *     return a.await() + b.await();          // about 3 s in all
 * });
 * }</pre>
 * Every function that waits ({@link #sleep}, {@link Task#await()}, {@link #gather}, …) must be
 * called from a task, gives the loop to other tasks while it waits, and is where a
 * cancellation or timeout of the calling task is delivered. Called outside a task, it throws
 * an {@link IllegalStateException} saying so. Durations must not be negative.
 */
public final class Async {
    private Async() {
    }

    /**
     * Runs {@code main} on a new {@link EventLoop} in the default mode (one task at a time) and
     * returns its result once it and every task it started are done: {@code asyncio.run}.
     */
    public static <T> T run(Callable<T> main) {
        return EventLoop.create().run(main);
    }

    /** {@link #run(Callable)} for a main that returns nothing. */
    public static void run(ThrowingRunnable main) {
        Objects.requireNonNull(main, "main");
        EventLoop.create().run(() -> {
            main.run();
            return null;
        });
    }

    /** A task body that returns nothing and may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The task running this code, or null outside a task ({@code asyncio.current_task()}). */
    public static Task<?> current() {
        return EventLoop.currentTask();
    }

    /** The loop of the running task ({@code asyncio.get_running_loop()}). */
    public static EventLoop getRunningLoop() {
        return requireCurrent("Async.getRunningLoop()").loop;
    }

    static Task<?> requireCurrent(String what) {
        Task<?> t = current();
        if (t == null) {
            throw new IllegalStateException(what + " must be called from a task of a running event loop (inside Async.run(...) or a task it created); "
                    + "this thread (" + Thread.currentThread().getName() + ") is not one");
        }
        return t;
    }

    static void requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
    }

    private static long deadlineOf(Duration d) {
        if (d == null) {
            return Long.MAX_VALUE;
        }
        requireNonNegative(d, "timeout");
        long now = System.nanoTime();
        long n = d.compareTo(Duration.ofDays(365 * 100)) > 0 ? Long.MAX_VALUE / 2 : d.toNanos();
        return now + n;
    }

    // ---------------------------------------------------------------- sleeping and tasks

    /**
     * Suspends the current task for {@code d}, letting the loop run others ({@code asyncio.sleep}).
     * {@code Duration.ZERO} just lets every ready task run once.
     *
     * @throws CancellationException if the task is cancelled meanwhile
     */
    public static void sleep(Duration d) {
        requireNonNegative(d, "sleep duration");
        Task<?> me = requireCurrent("Async.sleep");
        me.checkCancelled();
        if (d.isZero()) {
            me.loop.yieldNow(me);
            me.checkCancelled();
            return;
        }
        TimerWheel.Timer t = me.loop.addTimer(System.nanoTime() + d.toNanos(), me);
        try {
            while (!t.fired) {
                me.checkCancelled();
                me.park();
            }
        } catch (RuntimeException | Error e) {
            t.cancel();
            throw e;
        }
    }

    /** {@link #sleep(Duration)} that returns {@code value} afterwards, like {@code asyncio.sleep(d, result)}. */
    public static <T> T sleep(Duration d, T value) {
        sleep(d);
        return value;
    }

    /**
     * Schedules {@code body} as a new task of the current loop and returns it; it starts when
     * the creating task next waits (default mode) or at once (parallel mode).
     */
    public static <T> Task<T> createTask(Callable<T> body) {
        return requireCurrent("Async.createTask").loop.createTask(body);
    }

    /** {@link #createTask(Callable)} with a name. */
    public static <T> Task<T> createTask(String name, Callable<T> body) {
        return requireCurrent("Async.createTask").loop.createTask(name, body);
    }

    // ---------------------------------------------------------------- gather

    /**
     * Waits for all the tasks and returns their results in the order given
     * ({@code asyncio.gather}). The first failure is thrown as soon as it happens (the other
     * tasks go on); if the calling task is cancelled while it waits, the tasks not done are
     * cancelled too.
     */
    @SafeVarargs
    public static <T> List<T> gather(Task<? extends T>... tasks) {
        return gather(Arrays.asList(tasks));
    }

    /** {@link #gather(Task[])} for a list. */
    public static <T> List<T> gather(List<? extends Task<? extends T>> tasks) {
        Gather g = gatherWait(tasks, false);
        if (g.firstFailure != null) {
            throw Task.rethrow(g.firstFailure);
        }
        List<T> out = new ArrayList<>(tasks.size());
        for (Task<? extends T> t : tasks) {
            out.add(t.report());
        }
        return out;
    }

    /** Runs each callable as a task and gathers them: {@code asyncio.gather(coro1(), coro2())}. */
    @SafeVarargs
    public static <T> List<T> gather(Callable<? extends T>... calls) {
        Task<?> me = requireCurrent("Async.gather");
        List<Task<? extends T>> tasks = new ArrayList<>(calls.length);
        for (Callable<? extends T> c : calls) {
            tasks.add(me.loop.createTask(c));
        }
        return gather(tasks);
    }

    /**
     * {@code asyncio.gather(..., return_exceptions=True)}: waits for all the tasks and returns,
     * in order, each result, or the exception it failed with (a {@link CancellationException}
     * for a cancelled one).
     */
    public static List<Object> gatherReturnExceptions(List<? extends Task<?>> tasks) {
        gatherWait(tasks, true);
        List<Object> out = new ArrayList<>(tasks.size());
        for (Task<?> t : tasks) {
            try {
                out.add(t.report());
            } catch (CancellationException e) {
                out.add(e);
            } catch (Throwable e) {
                out.add(t.failureOrNull() != null ? t.failureOrNull() : e);
            }
        }
        return out;
    }

    /** {@link #gatherReturnExceptions(List)} for varargs. */
    public static List<Object> gatherReturnExceptions(Task<?>... tasks) {
        return gatherReturnExceptions(Arrays.asList(tasks));
    }

    private static final class Gather extends Task.Listener {
        final Task<?> waiter;
        final AtomicInteger remaining;
        final boolean returnExceptions;
        volatile Throwable firstFailure;

        Gather(Task<?> waiter, int n, boolean returnExceptions) {
            this.waiter = waiter;
            this.remaining = new AtomicInteger(n);
            this.returnExceptions = returnExceptions;
        }

        @Override
        void taskDone(Task<?> task) {
            Throwable f = task.failureOrNull();
            boolean wake = remaining.decrementAndGet() == 0;
            if (f != null && !returnExceptions && firstFailure == null) {
                firstFailure = f;
                wake = true;
            }
            if (task.isCancelled() && !returnExceptions && firstFailure == null) {
                firstFailure = new CancellationException(task.name() + " was cancelled");
                wake = true;
            }
            if (wake) {
                waiter.wake();
            }
        }

        boolean finished() {
            return remaining.get() == 0 || firstFailure != null;
        }
    }

    private static Gather gatherWait(List<? extends Task<?>> tasks, boolean returnExceptions) {
        Task<?> me = requireCurrent("Async.gather");
        for (Task<?> t : tasks) {
            checkSameLoop(me, t, "gather");
        }
        Gather g = new Gather(me, tasks.size(), returnExceptions);
        for (Task<?> t : tasks) {
            t.addListener(g);
        }
        try {
            while (!g.finished()) {
                me.checkCancelled();
                me.park();
            }
        } catch (CancellationException | AsyncTimeoutException e) {
            for (Task<?> t : tasks) {
                t.cancel("cancelled because the task gathering it (" + me.name() + ") was cancelled");
            }
            throw e;
        } finally {
            if (!g.finished() || g.firstFailure != null) {
                for (Task<?> t : tasks) {
                    t.removeListener(g);
                }
            }
        }
        return g;
    }

    private static void checkSameLoop(Task<?> me, Task<?> t, String what) {
        Objects.requireNonNull(t, "task");
        if (t.loop != me.loop) {
            throw new IllegalStateException(what + ": " + t.name() + " belongs to another event loop than " + me.name());
        }
    }

    // ---------------------------------------------------------------- timeouts

    /**
     * A deadline {@code d} from now for the block it guards ({@code asyncio.timeout});
     * {@code null} means none (the scope can be {@linkplain Timeout#reschedule rescheduled}).
     * <pre>{@code try (var t = Async.timeout(Duration.ofSeconds(1))) { slowCall(); }}</pre>
     */
    public static Timeout timeout(Duration d) {
        Task<?> me = requireCurrent("Async.timeout");
        return new Timeout(me, deadlineOf(d));
    }

    /** A timeout scope ending at loop time {@code when} (seconds, as {@link #time()}): {@code asyncio.timeout_at}. */
    public static Timeout timeoutAt(double when) {
        Task<?> me = requireCurrent("Async.timeoutAt");
        return new Timeout(me, (long) (when * 1e9));
    }

    /**
     * Runs {@code body} in the current task with a deadline ({@code asyncio.wait_for}): its
     * result, or an {@link AsyncTimeoutException} at its first wait after the deadline.
     */
    public static <T> T waitFor(Callable<T> body, Duration timeout) {
        Objects.requireNonNull(body, "body");
        try (Timeout t = timeout(timeout)) {
            return body.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    /**
     * Waits for {@code task} at most {@code timeout}: its result, or, when the time is up, the
     * task is cancelled, awaited, and an {@link AsyncTimeoutException} thrown. If the waiting
     * task is cancelled, {@code task} is cancelled too.
     */
    public static <T> T waitFor(Task<T> task, Duration timeout) {
        Task<?> me = requireCurrent("Async.waitFor");
        checkSameLoop(me, task, "waitFor");
        long deadline = deadlineOf(timeout);
        if (!task.isDone()) {
            TimerWheel.Timer timer = deadline == Long.MAX_VALUE ? null : me.loop.addTimer(deadline, me);
            task.addListener(me);
            try {
                while (!task.isDone()) {
                    if (timer != null && timer.fired) {
                        task.cancel("cancelled by waitFor: timed out");
                        awaitQuietly(me, task);
                        if (task.isCancelled()) {
                            throw new AsyncTimeoutException(task.name() + " timed out after " + timeout.toMillis() + " ms", null);
                        }
                        break;
                    }
                    try {
                        me.checkCancelled();
                    } catch (CancellationException | AsyncTimeoutException e) {
                        task.cancel("cancelled because " + me.name() + ", waiting for it, was cancelled");
                        throw e;
                    }
                    me.park();
                }
            } finally {
                task.removeListener(me);
                if (timer != null) {
                    timer.cancel();
                }
            }
        }
        return task.report();
    }

    /** Waits until {@code task} is done, ignoring (but keeping) a cancellation of the waiter. */
    private static void awaitQuietly(Task<?> me, Task<?> task) {
        task.addListener(me);
        try {
            while (!task.isDone()) {
                me.park();
            }
        } finally {
            task.removeListener(me);
        }
    }

    // ---------------------------------------------------------------- wait, asCompleted, shield

    /**
     * Waits until {@code when} says, or the timeout ({@code null}: none) passes, and returns the
     * tasks done and pending ({@code asyncio.wait}); nothing is cancelled, nothing thrown for
     * failed tasks.
     */
    public static <T> WaitResult<T> wait(Collection<? extends Task<T>> tasks, ReturnWhen when, Duration timeout) {
        Objects.requireNonNull(when, "when");
        Task<?> me = requireCurrent("Async.wait");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("Async.wait needs at least one task");
        }
        for (Task<T> t : tasks) {
            checkSameLoop(me, t, "wait");
        }
        long deadline = deadlineOf(timeout);
        TimerWheel.Timer timer = deadline == Long.MAX_VALUE ? null : me.loop.addTimer(deadline, me);
        for (Task<T> t : tasks) {
            t.addListener(me);
        }
        try {
            while (!satisfied(tasks, when) && (timer == null || !timer.fired)) {
                me.checkCancelled();
                me.park();
            }
        } finally {
            for (Task<T> t : tasks) {
                t.removeListener(me);
            }
            if (timer != null) {
                timer.cancel();
            }
        }
        Set<Task<T>> done = new LinkedHashSet<>();
        Set<Task<T>> pending = new LinkedHashSet<>();
        for (Task<T> t : tasks) {
            (t.isDone() ? done : pending).add(t);
        }
        return new WaitResult<>(done, pending);
    }

    /** {@link #wait(Collection, ReturnWhen, Duration)} without a timeout. */
    public static <T> WaitResult<T> wait(Collection<? extends Task<T>> tasks, ReturnWhen when) {
        return wait(tasks, when, null);
    }

    private static boolean satisfied(Collection<? extends Task<?>> tasks, ReturnWhen when) {
        boolean all = true;
        for (Task<?> t : tasks) {
            if (t.isDone()) {
                if (when == ReturnWhen.FIRST_COMPLETED) {
                    return true;
                }
                if (when == ReturnWhen.FIRST_EXCEPTION && !t.isCancelled() && t.isDone() && !t.isDoneSuccessfully()) {
                    return true;
                }
            } else {
                all = false;
            }
        }
        return all;
    }

    /**
     * The tasks in the order they complete ({@code asyncio.as_completed}): each {@code next()}
     * waits for the next one to be done and returns it (call {@link Task#await()} for its result).
     * With a timeout ({@code null}: none), {@code next()} throws an {@link AsyncTimeoutException}
     * once it has passed.
     */
    public static <T> Iterable<Task<T>> asCompleted(Collection<? extends Task<T>> tasks, Duration timeout) {
        Task<?> me = requireCurrent("Async.asCompleted");
        for (Task<T> t : tasks) {
            checkSameLoop(me, t, "asCompleted");
        }
        long deadline = deadlineOf(timeout);
        List<Task<T>> all = List.copyOf(tasks);
        return () -> new Iterator<>() {
            final ConcurrentLinkedQueue<Task<T>> finished = new ConcurrentLinkedQueue<>();
            int handed;
            boolean listening;
            TimerWheel.Timer timer;

            @Override
            public boolean hasNext() {
                return handed < all.size();
            }

            @SuppressWarnings("unchecked")
            @Override
            public Task<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("every task has been returned");
                }
                Task<?> cur = requireCurrent("Async.asCompleted(...).next()");
                if (!listening) {
                    listening = true;
                    if (deadline != Long.MAX_VALUE) {
                        timer = cur.loop.addTimer(deadline, cur);
                    }
                    for (Task<T> t : all) {
                        t.addListener(new Task.Listener() {
                            @Override
                            void taskDone(Task<?> task) {
                                finished.add((Task<T>) task);
                                cur.wake();
                            }
                        });
                    }
                }
                Task<T> t;
                while ((t = finished.poll()) == null) {
                    if (timer != null && timer.fired) {
                        throw new AsyncTimeoutException("asCompleted: " + (all.size() - handed) + " tasks not done before the timeout", null);
                    }
                    cur.checkCancelled();
                    cur.park();
                }
                handed++;
                return t;
            }
        };
    }

    /** {@link #asCompleted(Collection, Duration)} without a timeout. */
    public static <T> Iterable<Task<T>> asCompleted(Collection<? extends Task<T>> tasks) {
        return asCompleted(tasks, null);
    }

    /**
     * A task that completes as {@code task} does but whose cancellation does not reach it
     * ({@code asyncio.shield}): cancelling the awaiting task, or the returned one, leaves
     * {@code task} running.
     */
    public static <T> Task<T> shield(Task<T> task) {
        Task<?> me = requireCurrent("Async.shield");
        checkSameLoop(me, task, "shield");
        Task<T> outer = task.loop.newFuture("shield(" + task.name() + ")");
        task.addListener(new Task.Listener() {
            @Override
            void taskDone(Task<?> t) {
                if (!outer.isDone()) {
                    outer.completeFrom(t);
                }
            }
        });
        return outer;
    }

    // ---------------------------------------------------------------- threads and executors

    /**
     * Runs {@code body} on another thread (a platform thread of the loop's pool) and waits for
     * its result without holding the loop ({@code asyncio.to_thread}): for blocking calls and
     * computations that would otherwise hold up every task. If the waiting task is cancelled,
     * the wait ends with a {@link CancellationException} and the thread finishes on its own.
     */
    public static <T> T toThread(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        Task<?> me = requireCurrent("Async.toThread");
        EventLoop loop = me.loop;
        Task<T> f = loop.newFuture("toThread");
        loop.externalStarted();
        ContextVar.Context ctx = me.context;
        try {
            loop.defaultExecutor().execute(() -> {
                try {
                    f.completeSucceeded(body.call());
                } catch (Throwable e) {
                    f.completeFailed(e);
                } finally {
                    loop.externalDone();
                }
            });
        } catch (RuntimeException e) {
            loop.externalDone();
            throw e;
        }
        return f.await();
    }

    /**
     * Runs {@code body} on {@code executor} and waits for its result without holding the loop
     * ({@code loop.run_in_executor}); a {@code ProcessPoolExecutor} puts CPU work in worker
     * JVMs. {@code executor} null means the loop's own threads, as {@link #toThread}. If the
     * waiting task is cancelled, the submitted work is cancelled as {@link Future#cancel(boolean)
     * cancel(true)} does for that executor.
     */
    public static <T> T runInExecutor(ExecutorService executor, Callable<T> body) {
        if (executor == null) {
            return toThread(body);
        }
        Objects.requireNonNull(body, "body");
        Task<?> me = requireCurrent("Async.runInExecutor");
        EventLoop loop = me.loop;
        Future<T> fut = executor.submit(body);
        Task<T> f = loop.newFuture("runInExecutor");
        loop.externalStarted();
        Thread.ofVirtual().name("multitask-executor-wait").start(() -> {
            try {
                f.completeSucceeded(fut.get());
            } catch (ExecutionException e) {
                f.completeFailed(e.getCause());
            } catch (CancellationException e) {
                f.completeCancelled(e);
            } catch (Throwable e) {
                f.completeFailed(e);
            } finally {
                loop.externalDone();
            }
        });
        try {
            return f.await();
        } catch (CancellationException | AsyncTimeoutException e) {
            if (!f.isDone()) {
                fut.cancel(true);
            }
            throw e;
        }
    }

    /**
     * {@link #runInExecutor(ExecutorService, Callable)} for a lambda that must be serializable,
     * as a {@code ProcessPoolExecutor}'s tasks must: a lambda written here is compiled
     * serializable. (The task's class must be on the workers' class path, as for any pool task.)
     */
    public static <T> T runInExecutor(ExecutorService executor, dev.multitask.function.SerializableCallable<T> body) {
        return runInExecutor(executor, (Callable<T>) body);
    }

    // ---------------------------------------------------------------- loop shortcuts

    /** The running loop's clock in seconds ({@code loop.time()}). */
    public static double time() {
        return getRunningLoop().time();
    }

    /** {@link EventLoop#callSoon} on the running loop. */
    public static void callSoon(Runnable callback) {
        getRunningLoop().callSoon(callback);
    }

    /** {@link EventLoop#callLater} on the running loop. */
    public static TimerHandle callLater(Duration delay, Runnable callback) {
        return getRunningLoop().callLater(delay, callback);
    }

    /** {@link EventLoop#callAt} on the running loop. */
    public static TimerHandle callAt(double when, Runnable callback) {
        return getRunningLoop().callAt(when, callback);
    }

    // ---------------------------------------------------------------- streams

    /**
     * Opens a TCP connection ({@code asyncio.open_connection}); reads and writes on it wait
     * without holding the loop.
     */
    public static StreamConnection openConnection(String host, int port) throws IOException {
        Task<?> me = requireCurrent("Async.openConnection");
        return StreamConnection.open(me, host, port);
    }

    /**
     * Starts a TCP server ({@code asyncio.start_server}) bound to {@code host} and {@code port}
     * (0: any free port, see {@link AsyncServer#port()}); each connection runs {@code handler}
     * in a new task of the current loop. The server accepts until {@linkplain AsyncServer#close() closed}.
     */
    public static AsyncServer startServer(ConnectionHandler handler, String host, int port) throws IOException {
        Task<?> me = requireCurrent("Async.startServer");
        return AsyncServer.start(me, handler, host, port);
    }
}
