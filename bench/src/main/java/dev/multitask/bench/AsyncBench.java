package dev.multitask.bench;

import dev.multitask.async.Async;
import dev.multitask.async.EventLoop;
import dev.multitask.async.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One case of the async suite, in a JVM of its own so that its peak memory is its own
 * (bench/run starts one JVM per case): {@code N} tasks that each sleep 1 s, created then
 * gathered; prints the wall time minus 1 s and VmHWM, as ../shared/bench/METRICS.md defines.
 *
 * <p>Usage: {@code AsyncBench N loop|parallel|plain} — the default event loop, the loop in its
 * parallel mode, or plain virtual threads ({@code newVirtualThreadPerTaskExecutor} and
 * {@code Thread.sleep}) for comparison.
 */
public final class AsyncBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String how = args[1];
        String tag = n >= 1_000_000 ? "1m" : n == 100_000 ? "100k" : Integer.toString(n);
        long t = System.nanoTime();
        int sum = switch (how) {
            case "loop" -> loop(n, false);
            case "parallel" -> loop(n, true);
            case "plain" -> plain(n);
            default -> throw new IllegalArgumentException("loop, parallel or plain, not " + how);
        };
        double overhead = (System.nanoTime() - t) / 1e9 - 1.0;
        if (sum != n) {
            throw new AssertionError("gathered " + sum + " of " + n);
        }
        String prefix = switch (how) {
            case "loop" -> "async_";
            case "parallel" -> "async_parallel_";
            default -> "plain_vt_";
        };
        Bench.print(prefix + tag + "_overhead_s", overhead);
        Bench.print(prefix + tag + "_peak_rss_mb", vmHwmMb());
        System.exit(0);
    }

    static int loop(int n, boolean parallel) {
        return EventLoop.builder().parallel(parallel).build().run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Async.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    return 1;
                }));
            }
            int s = 0;
            for (int v : Async.gather(tasks)) {
                s += v;
            }
            return s;
        });
    }

    static int plain(int n) throws Exception {
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                fs.add(ex.submit(() -> {
                    Thread.sleep(1000);
                    return 1;
                }));
            }
            int s = 0;
            for (Future<Integer> f : fs) {
                s += f.get();
            }
            return s;
        }
    }

    static double vmHwmMb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
