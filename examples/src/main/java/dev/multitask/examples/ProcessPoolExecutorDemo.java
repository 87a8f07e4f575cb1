package dev.multitask.examples;

import dev.multitask.pool.ProcessPoolExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Seed 1.3: {@code concurrent.futures.ProcessPoolExecutor}.
 *
 * <pre>{@code
 * # Python
 * with ProcessPoolExecutor() as ex:
 *     for r in ex.map(work, range(5)): print(r)
 *     fs = [ex.submit(work, i) for i in range(5)]
 *     for f in fs: print(f.result())
 * }</pre>
 */
public final class ProcessPoolExecutorDemo {
    static int work(int i) {
        return i * 10;
    }

    public static void main(String[] args) throws Exception {
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor()) {
            for (int r : ex.<Integer, Integer>map(ProcessPoolExecutorDemo::work, List.of(0, 1, 2, 3, 4))) {
                System.out.println("map result " + r);
            }
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int k = i;
                fs.add(ex.submit(() -> work(k)));
            }
            for (Future<Integer> f : fs) {
                System.out.println("submit result " + f.get());
            }
        }
    }
}
