package dev.multitask.async;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the library's wait paths once per JVM before the first loop, so that the JIT sees a
 * task resume in each of them.
 *
 * <p>Why: a task's frame is frozen inside the wait until it resumes. When many tasks start
 * waiting before any has resumed (100,000 tasks that each sleep 1 s), the JIT compiles the
 * wait method with a profile in which the code after the wait never ran, turns that code into
 * an "unstable if" trap, and then every one of those frozen frames deoptimizes on its own when
 * it resumes: about 20 µs each, two seconds for 100,000 tasks. A few thousand real resumes in
 * the profile first avoid it. The first loop of each mode starts it on a daemon thread beside
 * itself (0.1-0.2 s of work on the other core, off the program's path); the system property
 * {@code multitask.async.warmup=false} turns it off.
 */
final class Warmup {
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("multitask.async.warmup", "true"));
    /** Per mode (default, parallel): each runs its own wait paths, warmed when first used. */
    private static final boolean[] DONE = new boolean[2];

    private Warmup() {
    }

    static void ensure(boolean parallel) {
        int i = parallel ? 1 : 0;
        if (!ENABLED || DONE[i]) {
            return;
        }
        synchronized (Warmup.class) {
            if (DONE[i]) {
                return;
            }
            DONE[i] = true;
            // on a thread of its own, beside the program's first loop: its resumes reach the
            // profiles within a few milliseconds, long before the program's tasks make the
            // JIT compile the wait paths, and its cost stays off the program's path
            Thread.ofPlatform().daemon().name("multitask-async-warmup").start(() -> {
                long t0 = System.nanoTime();
                EventLoop.builder().parallel(parallel).build().run(Warmup::workload);
                if (Boolean.getBoolean("multitask.async.warmup.verbose")) {
                    System.err.printf("multitask async: warm-up (%s mode) took %.1f ms%n",
                            parallel ? "parallel" : "default", (System.nanoTime() - t0) / 1e6);
                }
            });
        }
    }

    private static Integer workload() {
        int rounds = 4;
        List<Task<Integer>> ts = new ArrayList<>();
        AsyncQueue<Integer> q = new AsyncQueue<>(8);
        AsyncEvent ev = new AsyncEvent();
        for (int i = 0; i < 600; i++) {
            int k = i;
            ts.add(Async.createTask(() -> {
                for (int r = 0; r < rounds; r++) {
                    Async.sleep(Duration.ofNanos(1));
                }
                if (k % 2 == 0) {
                    q.put(k);
                } else {
                    q.get();
                }
                ev.await(Duration.ofSeconds(10));
                return k;
            }));
        }
        Task<Integer> setter = Async.createTask(() -> {
            Async.sleep(Duration.ofMillis(2));
            ev.set();
            return 0;
        });
        int sum = 0;
        for (int i = 0; i < ts.size(); i += 2) {
            sum += ts.get(i).await();
        }
        for (int v : Async.gather(ts)) {
            sum += v;
        }
        return sum + setter.await();
    }
}
