package dev.multitask.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.pool.ProcessPool;
import dev.multitask.process.ChildProcess;
import dev.multitask.shm.SharedLong;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedSemaphoreTest {
    @TempDir
    Path tmp;

    @Test
    void countsPermitsAndBoundsReleases() throws Exception {
        SharedSemaphore s = SharedSemaphore.create(2);
        SharedSemaphore b = SharedSemaphore.createBounded(1);
        try {
            s.acquire();
            assertTrue(s.tryAcquire());
            assertFalse(s.tryAcquire());
            assertFalse(s.tryAcquire(Duration.ofMillis(50)));
            s.release(2);
            assertEquals(2, s.availablePermits());
            s.release(); // an unbounded semaphore may grow
            assertEquals(3, s.availablePermits());

            b.acquire();
            b.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, b::release);
            assertTrue(e.getMessage().contains("bounded"));
            assertThrows(IllegalArgumentException.class, () -> SharedSemaphore.create(-1));
            assertThrows(IllegalArgumentException.class, () -> s.acquire(0));
        } finally {
            s.unlink();
            b.unlink();
        }
    }

    static int limited(SharedSemaphore s, SharedLong inside, SharedLong maxInside) throws InterruptedException {
        s.acquire();
        try {
            long now = inside.incrementAndGet();
            long m;
            while (now > (m = maxInside.get()) && !maxInside.compareAndSet(m, now)) {
                Thread.onSpinWait();
            }
            Thread.sleep(30);
            inside.addAndGet(-1);
        } finally {
            s.release();
        }
        return 1;
    }

    @Test
    void limitsConcurrencyAcrossProcesses() throws Exception {
        SharedSemaphore s = SharedSemaphore.create(2);
        SharedLong inside = SharedLong.create(0);
        SharedLong maxInside = SharedLong.create(0);
        try (ProcessPool pool = new ProcessPool(3)) {
            List<Integer> done = pool.map(k -> {
                try {
                    return limited(s, inside, maxInside);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), 1);
            assertEquals(9, done.size());
            assertTrue(maxInside.get() <= 2, "at most 2 at once, saw " + maxInside.get());
            assertEquals(2, s.availablePermits());
        } finally {
            s.unlink();
            inside.unlink();
            maxInside.unlink();
        }
    }

    static void holdBoth(SharedSemaphore s, String file) {
        try {
            s.acquire(2);
            Files.writeString(Path.of(file), "held");
            Thread.sleep(120_000);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void permitsOfAKilledProcessComeBack() throws Exception {
        SharedSemaphore s = SharedSemaphore.create(2);
        try {
            String f = tmp.resolve("held").toString();
            ChildProcess holder = new ChildProcess(() -> holdBoth(s, f));
            holder.start();
            while (!Files.exists(Path.of(f))) {
                Thread.sleep(10);
            }
            assertFalse(s.tryAcquire(Duration.ofMillis(200)), "both permits are held by a live process");
            holder.kill();
            holder.join();
            assertTrue(s.tryAcquire(Duration.ofSeconds(30)), "the killed holder's permits were taken back");
            assertTrue(s.tryAcquire());
            s.release(2);
        } finally {
            s.unlink();
        }
    }
}
