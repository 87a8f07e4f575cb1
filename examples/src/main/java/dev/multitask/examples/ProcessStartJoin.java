package dev.multitask.examples;

import dev.multitask.process.ChildProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 1.1: start processes directly.
 *
 * <pre>{@code
 * # Python
 * def work(i):
 *     print(f"process {i} starts, pid {os.getpid()}")
 *     time.sleep(1)
 *     print(f"process {i} ends")
 *
 * ps = [Process(target=work, args=(i,)) for i in range(5)]
 * for p in ps: p.start()
 * for p in ps: p.join()
 * }</pre>
 */
public final class ProcessStartJoin {
    static void work(int i) {
        System.out.println("process " + i + " starts, pid " + ProcessHandle.current().pid());
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            return;
        }
        System.out.println("process " + i + " ends");
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        List<ChildProcess> ps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int k = i;
            ps.add(new ChildProcess(() -> work(k)));   // args = what the lambda captures
        }
        for (ChildProcess p : ps) {
            p.start();
        }
        for (ChildProcess p : ps) {
            p.join();
        }
        System.out.printf("all 5 processes done in %.1f s (they ran in parallel)%n", (System.nanoTime() - t0) / 1e9);
    }
}
