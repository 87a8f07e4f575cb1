package dev.multitask.process.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where worker JVMs come from: a warm spare when one is ready, else a fresh launch.
 *
 * <p>A JVM takes ~80 ms of CPU to start here, far more than a Python fork. So this process
 * keeps a few <em>spares</em> (default 1, {@code -Dmultitask.spares=N}, or
 * {@link #prestart}): JVMs already started, connected and authenticated, waiting for their
 * first frame, which decides whether they become a {@code ChildProcess} or a pool worker.
 * Before it connects, a spare runs the shared queue's and lock's paths until the JIT has
 * compiled them ({@code -Dmultitask.spareWarmup=N} rounds, default 20; 0 for none; ~0.3 s and
 * ~0.5 s of CPU), so that a child's first messages do not run in the interpreter at ~50 µs each.
 * Spares are made only for the default launch spec; they exit by themselves when this JVM
 * exits.
 *
 * <p>Refills are deferred until {@link #REFILL_DELAY_MS} after the last spare was taken: a JVM
 * booting in the background takes a core for a third of a second, and during a burst of
 * starts that core is better spent running the children that were just started.
 *
 * <p>Spares are started only after this process first asks for a worker, so a program
 * that never uses processes never pays for one.
 */
public final class Workers {
    private static final Object LOCK = new Object();
    private static final ArrayDeque<CompletableFuture<WorkerProcess>> SPARES = new ArrayDeque<>();
    private static int target = Integer.getInteger("multitask.spares", 1);
    static final long REFILL_DELAY_MS = 250;
    private static final ScheduledExecutorService REFILLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "multitask-spare-refill");
        t.setDaemon(true);
        return t;
    });
    private static ScheduledFuture<?> pendingRefill;

    private Workers() {
    }

    private static volatile boolean swept;

    /**
     * Once per process, when workers are first needed: remove the shared-memory segments of
     * process trees that were killed before they could clean up (in the background).
     */
    private static void sweepOnce() {
        if (!swept) {
            swept = true;
            Thread.ofVirtual().name("multitask-shm-sweep").start(dev.multitask.shm.SharedMemory::sweepLeaked);
        }
    }

    /** A worker for {@code spec}: a spare if one is available, else a new JVM. */
    public static CompletableFuture<WorkerProcess> obtain(LaunchSpec spec) {
        sweepOnce();
        if (!spec.equals(LaunchSpec.DEFAULT)) {
            return WorkerProcess.launch(spec);
        }
        CompletableFuture<WorkerProcess> f;
        synchronized (LOCK) {
            f = pollHealthy();
            if (pendingRefill != null) {
                pendingRefill.cancel(false);
            }
            pendingRefill = REFILLER.schedule(() -> {
                synchronized (LOCK) {
                    refill();
                }
            }, REFILL_DELAY_MS, TimeUnit.MILLISECONDS);
        }
        return f != null ? f : WorkerProcess.launch(spec);
    }

    private static CompletableFuture<WorkerProcess> pollHealthy() {
        CompletableFuture<WorkerProcess> f;
        while ((f = SPARES.poll()) != null) {
            if (!f.isDone()) {
                return f;
            }
            if (!f.isCompletedExceptionally() && f.join().isAlive()) {
                return f;
            }
        }
        return null;
    }

    private static void refill() {
        while (SPARES.size() < target) {
            SPARES.add(WorkerProcess.launch(LaunchSpec.DEFAULT, true));
        }
    }

    /**
     * Waits until every spare asked for is started and connected (at most {@code timeoutMillis});
     * false on timeout. For benchmarks, so as not to measure while spares are still booting.
     */
    public static boolean awaitSpares(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            synchronized (LOCK) {
                boolean pending = pendingRefill != null && !pendingRefill.isDone();
                if (!pending && SPARES.size() >= target && SPARES.stream().allMatch(CompletableFuture::isDone)) {
                    return true;
                }
            }
            Thread.sleep(20);
        }
        return false;
    }

    /**
     * Builds the AOT cache of worker JVMs for this class path now, if it is missing, and waits
     * for it (at most {@code timeoutMillis}); false if there is none. Benchmarks call this so
     * that no training run competes with what they measure.
     */
    public static boolean prepareAotCache(long timeoutMillis) throws InterruptedException {
        return AotCache.prepare(timeoutMillis);
    }

    /**
     * Keeps {@code n} warm spare worker JVMs from now on, starting the missing ones now
     * (the counterpart of preloading Python's forkserver). 0 stops making spares.
     */
    public static void prestart(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("the number of spare workers must be >= 0, was " + n);
        }
        synchronized (LOCK) {
            target = n;
            while (SPARES.size() > n) {
                SPARES.pollLast().thenAccept(WorkerProcess::release);
            }
            refill();
        }
    }
}
