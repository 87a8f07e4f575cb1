package dev.multitask.bench;

import dev.multitask.hazelcast.ClusterPool;
import dev.multitask.pool.Pool;
import dev.multitask.pool.ProcessPool;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The cluster suite: {@code ClusterPool} on a local cluster of three member JVMs, beside a
 * {@code ProcessPool} of three workers in the same run, with the same tasks:
 * {@code *_apply_rt_us} (2,000 sequential {@code apply(noop)} after a warm-up),
 * {@code *_map_items_s} ({@code map(x -> x * x)} over 1,000,000 ints) and
 * {@code *_io_tasks_s} (300 tasks that each sleep 10 ms, one per chunk: tasks per second).
 */
public final class ClusterBench {
    static final int MEMBERS = 3;
    static final int THREADS_PER_MEMBER = 4;

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        try (Pool cluster = ClusterPool.localCluster(MEMBERS, THREADS_PER_MEMBER)) {
            run("cluster", cluster, quick);
        }
        try (Pool processes = new ProcessPool(MEMBERS)) {
            run("process", processes, quick);
        }
        System.exit(0);
    }

    static void run(String prefix, Pool pool, boolean quick) {
        applyLoop(pool, quick ? 500 : 5_000);
        Bench.print(prefix + "_apply_rt_us", applyLoop(pool, 2_000));

        List<Integer> xs = IntStream.range(0, 1_000_000).boxed().toList();
        for (int i = 0; i < (quick ? 1 : 2); i++) {
            pool.map(x -> x * x, xs);
        }
        long t = System.nanoTime();
        List<Integer> r = pool.map(x -> x * x, xs);
        double s = (System.nanoTime() - t) / 1e9;
        if (r.size() != xs.size() || r.get(999_999) != 999_999 * 999_999) {
            throw new AssertionError("wrong map result");
        }
        Bench.print(prefix + "_map_items_s", xs.size() / s);

        List<Integer> io = IntStream.range(0, 300).boxed().toList();
        pool.map(ClusterBench::sleep10, io.subList(0, 30), 1);
        t = System.nanoTime();
        pool.map(ClusterBench::sleep10, io, 1);
        Bench.print(prefix + "_io_tasks_s", 300 / ((System.nanoTime() - t) / 1e9));
    }

    static int sleep10(int x) {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return x;
    }

    static double applyLoop(Pool pool, int n) {
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            pool.apply(() -> null);
        }
        return (System.nanoTime() - t) / 1e3 / n;
    }
}
