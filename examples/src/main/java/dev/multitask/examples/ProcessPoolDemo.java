package dev.multitask.examples;

import dev.multitask.pool.AsyncResult;
import dev.multitask.pool.ProcessPool;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Seed 1.2: a process pool.
 *
 * <pre>{@code
 * # Python
 * with Pool(5) as pool:
 *     print(pool.map(work, range(10)))
 *     r = pool.map_async(work, range(10)); print(r.get())
 *     rs = [pool.apply_async(work, (i,), callback=print) for i in range(3)]
 *     print([r.get() for r in rs])
 * }</pre>
 */
public final class ProcessPoolDemo {
    static String work(int i) {
        return "task " + i + " done by pid " + ProcessHandle.current().pid();
    }

    public static void main(String[] args) throws Exception {
        List<Integer> xs = IntStream.range(0, 10).boxed().toList();
        try (ProcessPool pool = new ProcessPool(5)) {
            System.out.println("map:       " + pool.map(x -> x * x, xs));
            AsyncResult<List<Integer>> r = pool.mapAsync(x -> x + 100, xs);
            System.out.println("map_async: " + r.get());
            List<AsyncResult<String>> rs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int k = i;
                rs.add(pool.applyAsync(() -> work(k), v -> System.out.println("callback:  " + v), Throwable::printStackTrace));
            }
            for (AsyncResult<String> a : rs) {
                a.get();
            }
            System.out.println("apply:     " + pool.apply(() -> work(99)));
        }
    }
}
