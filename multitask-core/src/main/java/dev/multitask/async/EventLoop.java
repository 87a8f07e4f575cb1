package dev.multitask.async;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * An event loop: asyncio's loop, running {@link Task tasks} that are virtual threads.
 *
 * <p><b>Default mode: one task at a time.</b> The loop lets exactly one of its tasks run; a task
 * gives the loop to the next ready task only where it waits on the library (sleep, await,
 * async queues and locks, stream I/O, {@link Async#toThread}). Ready tasks run in the order
 * they became ready, so the same inputs give the same interleaving, and code between two waits
 * needs no locks. A task that blocks outside the library (a plain {@code Thread.sleep}, a
 * blocking socket, a long computation) holds up the whole loop, as in asyncio; the
 * {@linkplain Builder#debug(boolean) debug mode} reports such a task with its stack.
 *
 * <p><b>Parallel mode</b> ({@link Builder#parallel(boolean)}): the loop's tasks run simultaneously
 * on the virtual-thread scheduler; waits, cancellation, timeouts and groups behave the same,
 * but code between waits may interleave with other tasks, so shared state needs the async
 * locks or {@code java.util.concurrent}.
 *
 * <p>{@link #run(Callable)} runs a main callable and returns when it and every task the loop
 * started are done. If main fails, the other tasks are cancelled and awaited first. If every
 * remaining task waits for something nothing can bring (no timer, no thread, no I/O pending),
 * the loop cancels them; if main was among them, {@code run} throws an
 * {@link IllegalStateException} describing the deadlock (after a
 * {@linkplain Builder#deadlockGrace grace period}; threads outside the loop that feed it
 * declare themselves with {@link #holdOpen()}). Exceptions of tasks nobody awaited
 * are reported to the {@linkplain Builder#exceptionHandler exception handler} (standard error
 * by default) when the loop ends: "Task exception was never retrieved".
 *
 * <p>A loop runs once; create one per {@code run} (or use {@link Async#run}).
 */
public final class EventLoop {
    private static final AtomicLong TASK_NUMBERS = new AtomicLong();
    private static final int NEW = 0, RUNNING = 1, CLOSED = 2;

    final boolean single;
    private final boolean debug;
    private final long slowNanos;
    private final BiConsumer<String, Throwable> exceptionHandler;
    /** How long every task must have waited with nothing pending before the loop calls it a deadlock; -1: never. */
    private final long deadlockGraceNanos;
    private final ThreadFactory taskThreads = Thread.ofVirtual().factory();
    /** The loops running now; {@link #currentTask()} looks for the calling thread among them. */
    private static volatile EventLoop[] running = new EventLoop[0];
    /** Parallel mode: the task of each task thread. */
    private final java.util.concurrent.ConcurrentHashMap<Thread, Task<?>> byThread = new java.util.concurrent.ConcurrentHashMap<>();

    private final TimerWheel timers = new TimerWheel(System.nanoTime());
    private final ReentrantLock timerLock = new ReentrantLock();
    /** Ready tasks and callbacks; touched only by the holder of the loop (default mode). */
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    /** Tasks and callbacks made ready by threads that do not hold the loop. */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    /** The thread that holds the loop (default mode): the running task's, or the driver's. */
    private volatile Thread holderThread;
    private volatile Task<?> holderTask;
    private volatile long switches;
    private volatile boolean inCallback;

    private Thread driver;
    private volatile boolean driverBaton;
    private final AtomicInteger driverIdle = new AtomicInteger();
    private volatile long driverWakeAt = Long.MAX_VALUE;
    private final AtomicLong wakes = new AtomicLong();

    /** Operations started by the loop that will wake a task from outside (threads, executors, I/O). */
    private final AtomicInteger external = new AtomicInteger();

    private final Object registryLock = new Object();
    private Task<?> liveHead;
    private int live;
    private final List<Task<?>> failed = new ArrayList<>();

    private volatile int lifecycle = NEW;
    private Task<?> main;
    private String deadlockReport;
    private volatile ExecutorService defaultExecutor;
    private volatile IoPoller poller;

    private EventLoop(Builder b) {
        this.single = !b.parallel;
        this.debug = b.debug;
        this.slowNanos = b.slowTaskThreshold.toNanos();
        this.exceptionHandler = b.exceptionHandler;
        this.deadlockGraceNanos = b.deadlockGrace == null ? -1 : b.deadlockGrace.toNanos();
    }

    /** A loop in the default mode: one task at a time, no debug reports, errors to standard error. */
    public static EventLoop create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a loop; everything has a default. */
    public static final class Builder {
        private boolean parallel;
        private boolean debug = Boolean.getBoolean("multitask.async.debug");
        private Duration slowTaskThreshold = Duration.ofMillis(100);
        private BiConsumer<String, Throwable> exceptionHandler = EventLoop::printError;
        private Duration deadlockGrace = Duration.ofSeconds(1);

        private Builder() {
        }

        /**
         * How long every task must have been waiting, with no timer, thread, I/O or
         * {@linkplain EventLoop#holdOpen() hold} pending, before the loop calls it a deadlock and
         * cancels them (default 1 s); {@code null} never does (the loop then waits forever, as
         * asyncio does).
         */
        public Builder deadlockGrace(Duration grace) {
            if (grace != null) {
                Async.requireNonNegative(grace, "deadlockGrace");
            }
            this.deadlockGrace = grace;
            return this;
        }

        /** Run the loop's tasks simultaneously instead of one at a time (default false). */
        public Builder parallel(boolean parallel) {
            this.parallel = parallel;
            return this;
        }

        /**
         * Report, with its stack, a task that holds the loop longer than the
         * {@linkplain #slowTaskThreshold threshold} without waiting on the library (asyncio's
         * debug mode). Default: the system property {@code multitask.async.debug}.
         */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** How long a task may hold the loop before debug mode reports it (default 100 ms). */
        public Builder slowTaskThreshold(Duration threshold) {
            Async.requireNonNegative(threshold, "slowTaskThreshold");
            if (threshold.isZero()) {
                throw new IllegalArgumentException("slowTaskThreshold must be positive, got " + threshold);
            }
            this.slowTaskThreshold = threshold;
            return this;
        }

        /**
         * Where the loop reports errors nobody else can receive: exceptions of callbacks, task
         * exceptions never retrieved, debug reports (message, and the exception or null).
         */
        public Builder exceptionHandler(BiConsumer<String, Throwable> handler) {
            this.exceptionHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public EventLoop build() {
            return new EventLoop(this);
        }
    }

    /** The task the calling thread runs, or null: {@link Async#current()}. */
    static Task<?> currentTask() {
        Thread me = Thread.currentThread();
        for (EventLoop l : running) {
            if (l.single) {
                if (l.holderThread == me) {
                    return l.inCallback ? null : l.holderTask;
                }
            } else {
                Task<?> t = l.byThread.get(me);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    private static synchronized void setRunning(EventLoop l, boolean on) {
        java.util.List<EventLoop> now = new java.util.ArrayList<>(java.util.Arrays.asList(running));
        if (on) {
            now.add(l);
        } else {
            now.remove(l);
        }
        running = now.toArray(new EventLoop[0]);
    }

    /** Reports an error nobody else can receive to the loop's exception handler. */
    void report(String message, Throwable t) {
        try {
            exceptionHandler.accept(message, t);
        } catch (RuntimeException e) {
            printError(message, t);
        }
    }

    private static void printError(String message, Throwable t) {
        synchronized (System.err) {
            System.err.println("multitask async: " + message);
            if (t != null) {
                t.printStackTrace();
            }
        }
    }

    /** Whether this loop runs its tasks simultaneously (the parallel mode). */
    public boolean isParallel() {
        return !single;
    }

    /** Whether {@link #run} is in progress. */
    public boolean isRunning() {
        return lifecycle == RUNNING;
    }

    /** Whether the loop has run and ended; it accepts no new tasks. */
    public boolean isClosed() {
        return lifecycle == CLOSED;
    }

    // ---------------------------------------------------------------- run

    /**
     * Runs {@code main} as the loop's first task and returns its result once it and every other
     * task of the loop are done. Unchecked exceptions of main are thrown as they are, checked
     * ones wrapped in a {@link java.util.concurrent.CompletionException}.
     *
     * @throws IllegalStateException if this loop already ran, if called from a task of a loop,
     *         or if the loop deadlocked while main was waiting
     */
    public <T> T run(Callable<T> main) {
        Objects.requireNonNull(main, "main");
        if (Async.current() != null) {
            throw new IllegalStateException("run() cannot be called from a task of a running event loop ("
                    + Async.current().name() + "); create a task or await the callable instead");
        }
        Warmup.ensure(!single);
        synchronized (this) {
            if (lifecycle != NEW) {
                throw new IllegalStateException("this event loop has " + (lifecycle == RUNNING ? "already started" : "already run")
                        + "; an EventLoop runs once, create a new one");
            }
            lifecycle = RUNNING;
        }
        driver = Thread.currentThread();
        holderThread = driver;
        setRunning(this, true);
        Thread watchdog = debug && single ? startWatchdog() : null;
        Task<T> m;
        try {
            m = newTask("main", main, ContextVar.Context.EMPTY);
            this.main = m;
            if (single) {
                driveSingle();
            } else {
                driveParallel();
            }
        } finally {
            lifecycle = CLOSED;
            setRunning(this, false);
            if (interruptedWhileRunning) {
                Thread.currentThread().interrupt();
            }
            if (watchdog != null) {
                watchdog.interrupt();
            }
            ExecutorService ex = defaultExecutor;
            if (ex != null) {
                ex.shutdown();
            }
            IoPoller p = poller;
            if (p != null) {
                p.close();
            }
        }
        reportUnretrieved(m);
        if (deadlockReport != null && !m.isDone()) {
            throw new IllegalStateException(deadlockReport);
        }
        if (deadlockReport != null && m.isCancelled()) {
            throw new IllegalStateException(deadlockReport);
        }
        return m.report();
    }

    private void reportUnretrieved(Task<?> m) {
        List<Task<?>> f;
        synchronized (registryLock) {
            f = new ArrayList<>(failed);
        }
        for (Task<?> t : f) {
            if (t != m && !t.retrieved) {
                exceptionHandler.accept("Task exception was never retrieved: " + t.name(), t.failureOrNull());
            }
        }
    }

    // ---------------------------------------------------------------- tasks

    /** Creates a task of this loop named {@code Task-N}; see {@link Async#createTask}. */
    public <T> Task<T> createTask(Callable<T> body) {
        return createTask(null, body);
    }

    /** Creates a named task of this loop; callable from its tasks, callbacks or, thread-safely, any thread. */
    public <T> Task<T> createTask(String name, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        if (lifecycle != RUNNING) {
            throw new IllegalStateException(lifecycle == CLOSED
                    ? "the event loop is closed: create tasks while it runs (inside Async.run)"
                    : "the event loop is not running yet: call run(main) and create tasks from main");
        }
        Task<?> cur = Async.current();
        ContextVar.Context ctx = cur != null ? cur.context : ContextVar.Context.EMPTY;
        return newTask(name, body, ctx);
    }

    private <T> Task<T> newTask(String name, Callable<T> body, ContextVar.Context ctx) {
        Task.Body<T> t = new Task.Body<>(this, name, TASK_NUMBERS.incrementAndGet(), body, ctx);
        synchronized (registryLock) {
            t.nextLive = liveHead;
            if (liveHead != null) {
                liveHead.prevLive = t;
            }
            liveHead = t;
            t.inRegistry = true;
            live++;
        }
        if (single) {
            schedule(t);
        } else {
            t.thread = taskThreads.newThread(t);
            byThread.put(t.thread, t);
            t.thread.start();
        }
        return t;
    }

    /** A future-like task (no body) of this loop, completed by the library (shield, toThread, executors). */
    <T> Task<T> newFuture(String name) {
        Task<?> cur = Async.current();
        return new Task<>(this, name, 0, null, cur != null ? cur.context : ContextVar.Context.EMPTY);
    }

    private void unregister(Task<?> t) {
        boolean last;
        synchronized (registryLock) {
            if (!t.inRegistry) {
                return;
            }
            t.inRegistry = false;
            if (t.prevLive != null) {
                t.prevLive.nextLive = t.nextLive;
            } else {
                liveHead = t.nextLive;
            }
            if (t.nextLive != null) {
                t.nextLive.prevLive = t.prevLive;
            }
            t.prevLive = t.nextLive = null;
            last = --live == 0;
        }
        if (last && !single) {
            LockSupport.unpark(driver);
        }
    }

    void noteFailure(Task<?> t) {
        synchronized (registryLock) {
            failed.add(t);
        }
    }

    private List<Task<?>> liveTasks() {
        List<Task<?>> all = new ArrayList<>();
        synchronized (registryLock) {
            for (Task<?> t = liveHead; t != null; t = t.nextLive) {
                all.add(t);
            }
        }
        return all;
    }

    // ---------------------------------------------------------------- scheduling (default mode)

    private boolean holds() {
        return Thread.currentThread() == holderThread;
    }

    /** Puts a task or callback at the end of the ready queue. */
    private void schedule(Object o) {
        if (holds()) {
            ready.add(o);
        } else {
            inbox.add(o);
            wakeDriver();
        }
    }

    private void wakeDriver() {
        if (driverIdle.get() == 1 && driverIdle.compareAndSet(1, 0)) {
            LockSupport.unpark(driver);
        }
    }

    /** A parked task was woken: make it run again. */
    void resume(Task<?> t) {
        if (single) {
            schedule(t);
        } else {
            wakes.incrementAndGet();
            LockSupport.unpark(t.thread);
        }
    }

    /** The running task lets the others run and goes to the end of the ready queue (sleep(0)). */
    void yieldNow(Task<?> me) {
        if (single) {
            ready.add(me);
            switchAway(me);
            me.awaitBaton();
            enterTask(me);
        } else {
            Thread.yield();
        }
    }

    /** Called by the task giving up the loop: hands it to the next ready task, or to the driver. */
    void switchAway(Task<?> me) {
        if (inCallback) {
            throw new IllegalStateException("a loop callback cannot wait; create a task for code that waits");
        }
        if (!dispatchNext()) {
            holderTask = null;
            holderThread = driver;
            driverBaton = true;
            LockSupport.unpark(driver);
        }
    }

    void enterTask(Task<?> t) {
        if (single) {
            switches++;
        }
    }

    /** The task's body returned or threw, and its waiters were woken: let the loop go on. */
    void taskExited(Task<?> t) {
        if (!single) {
            byThread.remove(t.thread);
        }
        unregister(t);
        if (t == main && !t.isDoneSuccessfully()) {
            for (Task<?> other : liveTasks()) {
                other.cancel("cancelled by the event loop: main " + (t.isCancelled() ? "was cancelled" : "failed"));
            }
        }
        if (single) {
            switchAway(t);
        }
    }

    /** Gives the loop to the next ready task; false if none is ready (the caller keeps it). */
    private boolean dispatchNext() {
        for (;;) {
            Object o;
            while ((o = inbox.poll()) != null) {
                ready.add(o);
            }
            if (timers.size() > 0) {
                long now = System.nanoTime();
                if (timers.due(now)) {
                    timers.advance(now, this::fireSingle);
                }
            }
            o = ready.poll();
            if (o == null) {
                return false;
            }
            if (o instanceof Task<?> t) {
                if (t.thread == null) {
                    if (t.cancelledBeforeStart()) {
                        unregister(t);
                        continue;
                    }
                    Thread th = taskThreads.newThread((Task.Body<?>) t);
                    t.thread = th;
                    holderTask = t;
                    holderThread = th;
                    t.hasBaton = true;
                    th.start();
                } else {
                    holderTask = t;
                    holderThread = t.thread;
                    t.hasBaton = true;
                    LockSupport.unpark(t.thread);
                }
                return true;
            }
            runCallback((Runnable) o);
        }
    }

    private void fireSingle(TimerWheel.Timer t) {
        if (t.target instanceof Task<?> task) {
            task.wake();
        } else {
            ready.add(t.target);
        }
    }

    private void runCallback(Runnable r) {
        inCallback = true; // Async.current() is null in a callback
        try {
            r.run();
        } catch (Throwable e) {
            exceptionHandler.accept("Exception in callback " + r, e);
        } finally {
            inCallback = false;
        }
    }

    private long stuckSince;

    private void driveSingle() {
        for (;;) {
            if (dispatchNext()) {
                stuckSince = 0;
                while (!driverBaton) {
                    LockSupport.park(this);
                    driverInterrupted();
                }
                driverBaton = false;
                continue;
            }
            if (live == 0) {
                return;
            }
            long next = timers.nextDeadline();
            driverIdle.set(1);
            if (!inbox.isEmpty()) {
                driverIdle.set(0);
                continue;
            }
            if (next == Long.MAX_VALUE) {
                if (external.get() == 0 && deadlockGraceNanos >= 0) {
                    // every task waits and nothing is pending: unless something from outside
                    // wakes one within the grace period, that is a deadlock
                    long now = System.nanoTime();
                    if (stuckSince == 0) {
                        stuckSince = now;
                    }
                    if (now - stuckSince >= deadlockGraceNanos) {
                        driverIdle.set(0);
                        if (inbox.isEmpty() && external.get() == 0) {
                            stuckSince = 0;
                            breakDeadlock();
                        }
                        continue;
                    }
                    LockSupport.parkNanos(this, deadlockGraceNanos - (now - stuckSince));
                    driverInterrupted();
                    driverIdle.set(0);
                    continue;
                }
                LockSupport.park(this);
                driverInterrupted();
            } else {
                parkUntil(next);
            }
            driverIdle.set(0);
        }
    }

    /** The driver sleeps until {@code deadline} (a nanoTime), or until woken. */
    private void parkUntil(long deadline) {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(this, wait);
            driverInterrupted();
        }
    }

    private boolean interruptedWhileRunning;

    /**
     * The thread running the loop was interrupted (asyncio's KeyboardInterrupt): main is
     * cancelled, which cancels the rest; the interrupt is restored when {@code run} returns.
     * Clearing the flag here keeps the driver's parks from returning at once forever.
     */
    private void driverInterrupted() {
        if (Thread.interrupted()) {
            if (!interruptedWhileRunning) {
                interruptedWhileRunning = true;
                Task<?> m = main;
                if (m != null) {
                    m.cancel("the thread running the event loop was interrupted");
                }
            }
        }
    }

    // ---------------------------------------------------------------- parallel mode

    private void driveParallel() {
        long quietSince = 0;
        long wakesSeen = -1;
        for (;;) {
            Object o;
            while ((o = inbox.poll()) != null) {
                if (o instanceof Runnable r) {
                    runCallback(r);
                }
            }
            List<TimerWheel.Timer> due = null;
            long next;
            timerLock.lock();
            try {
                long now = System.nanoTime();
                if (timers.due(now)) {
                    List<TimerWheel.Timer> d = new ArrayList<>();
                    timers.advance(now, d::add);
                    due = d;
                }
                next = timers.nextDeadline();
                driverWakeAt = next;
            } finally {
                timerLock.unlock();
            }
            if (due != null) {
                List<Task<?>> toWake = new ArrayList<>(due.size());
                for (TimerWheel.Timer t : due) {
                    if (t.target instanceof Task<?> task) {
                        toWake.add(task);
                    } else {
                        runCallback((Runnable) t.target);
                    }
                }
                if (toWake.size() > 16) {
                    // unparking from a virtual thread pushes onto a carrier's own queue, much
                    // cheaper than this platform thread's external submissions
                    Thread.ofVirtual().start(() -> toWake.forEach(Task::wake));
                } else {
                    toWake.forEach(Task::wake);
                }
                continue;
            }
            if (live == 0) {
                return;
            }
            driverIdle.set(1);
            if (!inbox.isEmpty()) {
                driverIdle.set(0);
                continue;
            }
            if (next == Long.MAX_VALUE && external.get() == 0 && deadlockGraceNanos >= 0) {
                // nothing scheduled: check now and then whether every task waits for nothing
                long w = wakes.get();
                long now = System.nanoTime();
                if (w != wakesSeen) {
                    wakesSeen = w;
                    quietSince = now;
                } else if (now - quietSince >= Math.max(deadlockGraceNanos, 20_000_000L) && allParked()) {
                    driverIdle.set(0);
                    breakDeadlock();
                    wakesSeen = -1;
                    continue;
                }
                LockSupport.parkNanos(this, Math.min(10_000_000L, Math.max(1_000_000L, deadlockGraceNanos / 4)));
                driverInterrupted();
            } else if (next == Long.MAX_VALUE) {
                LockSupport.park(this);
                driverInterrupted();
            } else {
                parkUntil(next);
            }
            driverIdle.set(0);
        }
    }

    private boolean allParked() {
        for (Task<?> t : liveTasks()) {
            if (!t.isParked()) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- deadlock

    private int deadlockRounds;

    /** Every live task waits and nothing can wake one: cancel them all, remembering why. */
    private void breakDeadlock() {
        List<Task<?>> stuck = liveTasks();
        if (stuck.isEmpty()) {
            return;
        }
        if (deadlockReport == null) {
            StringBuilder sb = new StringBuilder("deadlock: every task of the event loop waits and nothing (no timer, thread or I/O) can wake one; ");
            sb.append(main.isDone() ? "main had returned; " : "main was among them; ");
            sb.append("they were cancelled:");
            for (Task<?> t : stuck) {
                sb.append("\n  ").append(t.name()).append(" waiting at ").append(whereWaiting(t));
            }
            deadlockReport = sb.toString();
            if (main.isDone()) {
                exceptionHandler.accept(deadlockReport, null);
            }
        }
        if (++deadlockRounds > 3) {
            // tasks that swallow every cancellation and wait again: abandon them
            for (Task<?> t : stuck) {
                t.completeCancelled(new CancellationException(t.name() + " was abandoned: it kept waiting after being cancelled"));
                unregister(t);
            }
            return;
        }
        for (Task<?> t : stuck) {
            t.cancel("cancelled by the event loop: " + (main.isDone() ? "main returned and " : "") + "no task could make progress (deadlock)");
        }
    }

    private static String whereWaiting(Task<?> t) {
        Thread th = t.thread;
        if (th == null) {
            return "(not started)";
        }
        for (StackTraceElement e : th.getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("dev.multitask.async.")) {
                return e.toString();
            }
        }
        return "(library code)";
    }

    // ---------------------------------------------------------------- debug

    private Thread startWatchdog() {
        return Thread.ofPlatform().daemon().name("multitask-async-debug").start(() -> {
            Task<?> seenTask = null;
            long seenSwitch = -1;
            long since = System.nanoTime();
            boolean reported = false;
            try {
                while (lifecycle != CLOSED) {
                    Thread.sleep(Math.max(1, slowNanos / 4_000_000L));
                    Task<?> t = holderTask;
                    long s = switches;
                    long now = System.nanoTime();
                    if (t != seenTask || s != seenSwitch) {
                        seenTask = t;
                        seenSwitch = s;
                        since = now;
                        reported = false;
                    } else if (t != null && !reported && now - since >= slowNanos && t.thread != null) {
                        reported = true;
                        Throwable where = new Throwable("stack of " + t.name() + " while it blocked the loop");
                        where.setStackTrace(t.thread.getStackTrace());
                        exceptionHandler.accept(t.name() + " has held the event loop for " + (now - since) / 1_000_000
                                + " ms without waiting on the library: it blocks every other task (a blocking call"
                                + " such as Thread.sleep or socket I/O outside Async, or a long computation;"
                                + " use Async.sleep, the async streams or Async.toThread)", where);
                    }
                }
            } catch (InterruptedException e) {
                // loop ended
            }
        });
    }

    // ---------------------------------------------------------------- timers and callbacks

    /** Adds a timer that wakes {@code task} or runs a Runnable at {@code deadline} (nanoTime). */
    TimerWheel.Timer addTimer(long deadline, Object target) {
        if (single) {
            if (holds()) {
                return timers.add(deadline, target);
            }
            // a thread that does not hold the loop hands the timer over through the inbox
            TimerWheel.Timer t = new TimerWheel.Timer(deadline, target);
            schedule((Runnable) () -> timers.add(t));
            return t;
        }
        TimerWheel.Timer t;
        timerLock.lock();
        try {
            t = timers.add(deadline, target);
        } finally {
            timerLock.unlock();
        }
        if (deadline < driverWakeAt) {
            LockSupport.unpark(driver);
        }
        return t;
    }

    /** Schedules {@code callback} to run on the loop soon, after the tasks already ready. */
    public void callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        requireOpen("callSoon");
        schedule(callback);
    }

    /** {@link #callSoon} from any thread (every method here is thread-safe; this is asyncio's name). */
    public void callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        if (lifecycle == CLOSED) {
            return;
        }
        if (single) {
            schedule(callback);
        } else {
            inbox.add(callback);
            LockSupport.unpark(driver);
        }
    }

    /** Runs {@code callback} on the loop after {@code delay}; asyncio's {@code call_later}. */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Async.requireNonNegative(delay, "delay");
        Objects.requireNonNull(callback, "callback");
        requireOpen("callLater");
        return addTimer(System.nanoTime() + delay.toNanos(), callback);
    }

    /** Runs {@code callback} on the loop at loop time {@code when} (seconds, as {@link #time()}); asyncio's {@code call_at}. */
    public TimerHandle callAt(double when, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("callAt: the time is NaN");
        }
        requireOpen("callAt");
        return addTimer((long) (when * 1e9), callback);
    }

    /** The loop's clock in seconds: monotonic, the one {@link #callAt} uses (asyncio's {@code loop.time()}). */
    public double time() {
        return System.nanoTime() / 1e9;
    }

    private void requireOpen(String what) {
        if (lifecycle != RUNNING) {
            throw new IllegalStateException(what + ": the event loop is " + (lifecycle == CLOSED ? "closed" : "not running yet"));
        }
    }

    // ---------------------------------------------------------------- work outside the loop

    /**
     * Tells the loop that a thread outside it may still wake its tasks (put on an
     * {@link AsyncQueue}, set an {@link AsyncEvent}, {@link #callSoonThreadsafe}), so that it
     * does not call a long wait a deadlock; close the hold when that thread is done.
     */
    public Hold holdOpen() {
        requireOpen("holdOpen");
        externalStarted();
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                externalDone();
            }
        };
    }

    /** What {@link #holdOpen()} returns. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    void externalStarted() {
        external.incrementAndGet();
    }

    void externalDone() {
        external.decrementAndGet();
        wakeDriver();
        if (!single) {
            LockSupport.unpark(driver);
        }
    }

    ExecutorService defaultExecutor() {
        ExecutorService e = defaultExecutor;
        if (e == null) {
            synchronized (this) {
                e = defaultExecutor;
                if (e == null) {
                    AtomicInteger n = new AtomicInteger();
                    e = Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "multitask-to-thread-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    defaultExecutor = e;
                }
            }
        }
        return e;
    }

    IoPoller poller() {
        IoPoller p = poller;
        if (p == null) {
            synchronized (this) {
                p = poller;
                if (p == null) {
                    requireOpen("stream I/O");
                    p = new IoPoller(this);
                    poller = p;
                }
            }
        }
        return p;
    }

    @Override
    public String toString() {
        return "EventLoop[" + (single ? "one task at a time" : "parallel") + ", "
                + (lifecycle == NEW ? "new" : lifecycle == RUNNING ? "running, " + live + " tasks" : "closed") + "]";
    }
}
