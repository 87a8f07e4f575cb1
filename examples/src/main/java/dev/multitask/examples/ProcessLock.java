package dev.multitask.examples;

import dev.multitask.process.ChildProcess;
import dev.multitask.sync.SharedLock;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 1.4: a lock passed to child processes, so that their prints do not interleave.
 *
 * <pre>{@code
 * # Python
 * def work(lock, i):
 *     with lock:
 *         print(f"process {i} holds the lock")
 *         time.sleep(0.2)
 *         print(f"process {i} releases it")
 *
 * lock = Lock()
 * ps = [Process(target=work, args=(lock, i)) for i in range(3)]
 * }</pre>
 */
public final class ProcessLock {
    static void work(SharedLock lock, int i) {
        try (var held = lock.acquire()) {
            System.out.println("process " + i + " holds the lock");
            Thread.sleep(200);
            System.out.println("process " + i + " releases it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws Exception {
        SharedLock lock = SharedLock.create();           // passed to the children by capture
        try {
            List<ChildProcess> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int k = i;
                ps.add(new ChildProcess(() -> work(lock, k)));
            }
            for (ChildProcess p : ps) {
                p.start();
            }
            for (ChildProcess p : ps) {
                p.join();
            }
        } finally {
            lock.unlink();
        }
    }
}
