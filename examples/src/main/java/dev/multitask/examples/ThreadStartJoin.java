package dev.multitask.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * Seed 2.1: start threads directly. The JDK's {@code Thread} is the right tool here; unlike
 * Python's, Java threads run in parallel (there is no GIL).
 *
 * <pre>{@code
 * # Python
 * ts = [Thread(target=work, args=(i,)) for i in range(5)]
 * for t in ts: t.start()
 * for t in ts: t.join()
 * }</pre>
 */
public final class ThreadStartJoin {
    static void work(int i) {
        System.out.println("thread " + i + " starts: " + Thread.currentThread().getName());
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            return;
        }
        System.out.println("thread " + i + " ends");
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int k = i;
            ts.add(Thread.ofPlatform().name("Thread-" + i).start(() -> work(k)));
        }
        for (Thread t : ts) {
            t.join();
        }
        // the same with virtual threads: cheap enough to start a million
        Thread v = Thread.ofVirtual().start(() -> System.out.println("hello from a virtual thread"));
        v.join();
        System.out.printf("all threads done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
