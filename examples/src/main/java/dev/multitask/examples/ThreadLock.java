package dev.multitask.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Seed 2.3: a lock shared by threads. The JDK's {@link ReentrantLock} is the right tool.
 *
 * <pre>{@code
 * # Python
 * share = 0
 * lock = threading.Lock()
 * def work(n):
 *     global share
 *     for _ in range(n):
 *         with lock:
 *             share += 1
 * }</pre>
 */
public final class ThreadLock {
    static int share;
    static final ReentrantLock LOCK = new ReentrantLock();

    static void work(int n) {
        for (int i = 0; i < n; i++) {
            LOCK.lock();
            try {
                share++;
            } finally {
                LOCK.unlock();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ts.add(Thread.ofPlatform().start(() -> work(250_000)));
        }
        for (Thread t : ts) {
            t.join();
        }
        System.out.println("share = " + share + " (4 threads x 250000 increments under one lock)");
    }
}
