package dev.multitask.examples;

import dev.multitask.pool.AsyncResult;
import dev.multitask.thread.ThreadPool;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 2.2: a thread pool.
 *
 * <pre>{@code
 * # Python
 * pool = ThreadPool(5)
 * rs = [pool.apply_async(work, (i,)) for i in range(10)]
 * pool.close(); pool.join()
 * print([r.get() for r in rs])
 * }</pre>
 */
public final class ThreadPoolDemo {
    static String work(int i) {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "task " + i + " on " + Thread.currentThread().getName();
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        List<AsyncResult<String>> rs = new ArrayList<>();
        ThreadPool pool = new ThreadPool(5);
        for (int i = 0; i < 10; i++) {
            int k = i;
            rs.add(pool.applyAsync(() -> work(k)));
        }
        pool.close();
        pool.join();
        for (AsyncResult<String> r : rs) {
            System.out.println(r.get());
        }
        System.out.printf("10 tasks of 0.2 s on 5 threads: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
