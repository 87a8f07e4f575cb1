package dev.multitask.bench;

import dev.multitask.pool.ProcessPool;
import dev.multitask.pool.ProcessPoolExecutor;
import dev.multitask.process.ChildProcess;
import dev.multitask.process.internal.Workers;
import dev.multitask.queue.SharedQueue;
import dev.multitask.shm.SharedLong;
import dev.multitask.sync.SharedLock;
import dev.multitask.thread.ThreadPool;
import dev.multitask.pool.AsyncResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;

/**
 * The figures of ../shared/bench/METRICS.md, printed as {@code name=value} lines, measured as
 * defined there on the public API. Extra lines (names not in METRICS.md) give context.
 *
 * <p>Usage: {@code bench/run process|thread|async|all [--quick]}.
 */
public final class Bench {
    private static final int WORKERS = 2;

    public static void main(String[] args) throws Exception {
        String suite = args.length > 0 ? args[0] : "all";
        boolean quick = List.of(args).contains("--quick");
        switch (suite) {
            case "process" -> process(quick);
            case "thread" -> thread(quick);
            case "async" -> System.err.println("the async suite runs one JVM per case: use bench/run async");
            case "all" -> {
                process(quick);
                thread(quick);
            }
            default -> {
                System.err.println("unknown suite " + suite + "; use process, thread, async or all");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    static void print(String name, double value) {
        System.out.printf("%s=%.2f%n", name, value);
    }

    static void noop() {
    }

    // ---- process ------------------------------------------------------------------------------

    static void process(boolean quick) throws Exception {
        // the worker JVMs' AOT cache is built once per class path; never measure while it trains
        if (!Workers.prepareAotCache(120_000)) {
            System.err.println("note: no AOT cache for the worker JVMs (class path with directories?)");
        }
        // process_start_join_ms, cold: no spare JVM ready, every start pays a JVM start-up
        ChildProcess.prestart(0);
        int n = quick ? 3 : 10;
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ChildProcess p = new ChildProcess(Bench::noop);
            p.start();
            p.join();
        }
        print("process_start_join_cold_ms", (System.nanoTime() - t) / 1e6 / n);

        // process_start_join_ms: with warm spare JVMs (ChildProcess.prestart), started before the clock
        ChildProcess.prestart(n + 1);
        warmSpares();
        t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ChildProcess p = new ChildProcess(Bench::noop);
            p.start();
            p.join();
        }
        print("process_start_join_ms", (System.nanoTime() - t) / 1e6 / n);

        // pool_start_ms: create a 2-worker pool, first apply(noop) returned (spares ready)
        warmSpares();
        t = System.nanoTime();
        ProcessPool pool = new ProcessPool(WORKERS);
        pool.apply(() -> null);
        print("pool_start_ms", (System.nanoTime() - t) / 1e6);
        ChildProcess.prestart(1);

        // apply_rt_us: sequential apply(noop) on a warm pool (after a JIT warm-up of the same loop)
        int warm = quick ? 2_000 : 20_000;
        applyLoop(pool, warm);
        print("apply_rt_us", applyLoop(pool, 2000));

        // map_items_s: map(x -> x * x) over 1,000,000 ints, results in order (after JIT warm-up runs)
        List<Integer> xs = IntStream.range(0, 1_000_000).boxed().toList();
        for (int i = 0; i < (quick ? 1 : 5); i++) {
            mapOnce(pool, xs);
        }
        int reps = quick ? 1 : 3;
        double seconds = 0;
        for (int i = 0; i < reps; i++) {
            seconds += mapOnce(pool, xs);
        }
        print("map_items_s", reps * 1e6 / seconds);

        // payload_mb_s: 3 x a 64 MiB byte array as the task's argument, its length back
        byte[] blob = new byte[64 << 20];
        pool.apply(() -> blob.length);
        t = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            if (pool.apply(() -> blob.length) != blob.length) {
                throw new AssertionError("wrong length");
            }
        }
        print("payload_mb_s", 3 * 64 / ((System.nanoTime() - t) / 1e9));
        pool.close();

        // queue_msgs_s: a child puts 200,000 ints on a cross-process queue, this process takes them
        // all; messages per second from the child's start (warm spares, as for process_start_join_ms),
        // after a warm-up of the same loop (this process's take path compiled, as for apply_rt_us)
        for (int i = 0; i < (quick ? 1 : 3); i++) {
            warmSpares();
            queueMessages(200_000);
        }
        warmSpares();
        print("queue_msgs_s", queueMessages(200_000));
        print("queue_rt_us", queueRoundTrip(quick ? 2_000 : 20_000));

        // shared_lock_ops_s: uncontended acquire + release of the cross-process lock
        SharedLock lock = SharedLock.create();
        try {
            lockLoop(lock, 2_000_000);
            print("shared_lock_ops_s", 1_000_000 / lockLoop(lock, 1_000_000));
            print("shared_lock_handoff_us", lockHandoff(lock, quick ? 200 : 2000));
        } finally {
            lock.unlink();
        }

        // executor_submit_rt_us: submit(noop).get() on the process-backed ExecutorService
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor(WORKERS)) {
            submitLoop(ex, warm);
            print("executor_submit_rt_us", submitLoop(ex, 2000));
        }
    }

    /** Seconds for one {@code map(x -> x * x)} over {@code xs}, checked. */
    static double mapOnce(ProcessPool pool, List<Integer> xs) {
        long t = System.nanoTime();
        List<Integer> r = pool.map(x -> x * x, xs);
        double s = (System.nanoTime() - t) / 1e9;
        if (r.size() != xs.size() || r.get(999_999) != 999_999 * 999_999) {
            throw new AssertionError("wrong map result");
        }
        return s;
    }

    /** Messages per second: a child puts 0..n-1 then -1; this process takes until -1. */
    static double queueMessages(int n) throws Exception {
        SharedQueue<Integer> q = SharedQueue.create();
        try {
            long t = System.nanoTime();
            ChildProcess producer = new ChildProcess(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        q.put(i);
                    }
                    q.put(-1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            int count = 0;
            while (q.take() != -1) {
                count++;
            }
            double rate = count / ((System.nanoTime() - t) / 1e9);
            producer.join();
            if (count != n) {
                throw new AssertionError("received " + count + " of " + n);
            }
            return rate;
        } finally {
            q.unlink();
            q.close();
        }
    }

    /**
     * Round trip through two queues: this process puts, a child takes and puts back, this
     * process takes; mean microseconds over the last half of {@code n} (an extra line).
     */
    static double queueRoundTrip(int n) throws Exception {
        SharedQueue<Integer> there = SharedQueue.create();
        SharedQueue<Integer> back = SharedQueue.create();
        try {
            ChildProcess echo = new ChildProcess(() -> {
                try {
                    Integer v;
                    while ((v = there.take()) >= 0) {
                        back.put(v);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            echo.start();
            long t = 0;
            for (int i = 0; i < n; i++) {
                if (i == n / 2) {
                    t = System.nanoTime();
                }
                there.put(i);
                if (back.take() != i) {
                    throw new AssertionError("out of order");
                }
            }
            double us = (System.nanoTime() - t) / 1e3 / (n - n / 2);
            there.put(-1);
            echo.join();
            return us;
        } finally {
            there.unlink();
            back.unlink();
        }
    }

    /** Seconds for {@code n} uncontended lock() + unlock(). */
    static double lockLoop(SharedLock lock, int n) {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            lock.lock();
            lock.unlock();
        }
        return (System.nanoTime() - t) / 1e9;
    }

    /**
     * Contended hand-off between two processes: a child and this process take turns on a
     * shared counter under the lock, each waiting for the other's turn; mean microseconds per
     * hand-off (an extra line, not in METRICS.md).
     */
    static double lockHandoff(SharedLock lock, int rounds) throws Exception {
        SharedLong turn = SharedLong.create(0);
        try {
            ChildProcess child = new ChildProcess(() -> takeTurns(lock, turn, rounds, 1));
            child.start();
            long t = System.nanoTime();
            takeTurns(lock, turn, rounds, 0);
            double us = (System.nanoTime() - t) / 1e3 / (2.0 * rounds);
            child.join();
            return us;
        } finally {
            turn.unlink();
        }
    }

    /** Takes {@code rounds} turns: waits (under the lock) until the counter's parity is {@code me}, then bumps it. */
    static void takeTurns(SharedLock lock, SharedLong turn, int rounds, int me) {
        for (int done = 0; done < rounds; ) {
            lock.lock();
            try {
                if (turn.get() % 2 == me) {
                    turn.incrementAndGet();
                    done++;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Mean microseconds of {@code n} sequential {@code apply(noop)}. */
    static double applyLoop(ProcessPool pool, int n) {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pool.apply(() -> null);
        }
        return (System.nanoTime() - t) / 1e3 / n;
    }

    /** Mean microseconds of {@code n} sequential {@code submit(noop).get()}. */
    static double submitLoop(ProcessPoolExecutor ex, int n) throws Exception {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ex.submit(() -> null).get();
        }
        return (System.nanoTime() - t) / 1e3 / n;
    }

    /** Waits until the spare JVMs asked for are started and connected, and the machine is quiet. */
    static void warmSpares() throws InterruptedException {
        if (!Workers.awaitSpares(60_000)) {
            System.err.println("note: spare JVMs not ready after 60 s");
        }
        Thread.sleep(500);
    }

    // ---- thread -------------------------------------------------------------------------------

    static int share;

    static void thread(boolean quick) throws Exception {
        int rounds = quick ? 1 : 3;
        double rate = 0;
        for (int round = 0; round < rounds; round++) {
            rate = lockedIncrements(1_000_000);
        }
        print("locked_increments_s", rate);
        try (ThreadPool pool = new ThreadPool(5)) {
            for (int round = 0; round < rounds; round++) {
                rate = threadPoolTasks(pool, 100_000);
            }
        }
        print("threadpool_tasks_s", rate);
    }

    /** 4 threads each add {@code total / 4} to one counter under one lock; increments per second. */
    static double lockedIncrements(int total) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        share = 0;
        long t = System.nanoTime();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ts.add(Thread.ofPlatform().start(() -> {
                for (int k = 0; k < total / 4; k++) {
                    lock.lock();
                    try {
                        share++;
                    } finally {
                        lock.unlock();
                    }
                }
            }));
        }
        for (Thread th : ts) {
            th.join();
        }
        double el = (System.nanoTime() - t) / 1e9;
        if (share != total) {
            throw new AssertionError("lost increments: " + share);
        }
        return total / el;
    }

    /** {@code n} applyAsync(i -> i) submitted, then every result read; tasks per second. */
    static double threadPoolTasks(ThreadPool pool, int n) throws Exception {
        long t = System.nanoTime();
        List<AsyncResult<Integer>> rs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            rs.add(pool.applyAsync(() -> k));
        }
        int last = 0;
        for (AsyncResult<Integer> r : rs) {
            last = r.get();
        }
        double el = (System.nanoTime() - t) / 1e9;
        if (last != n - 1) {
            throw new AssertionError("wrong result");
        }
        return n / el;
    }
}
