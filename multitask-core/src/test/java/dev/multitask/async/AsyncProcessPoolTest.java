package dev.multitask.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.pool.ProcessPoolExecutor;
import dev.multitask.pool.TaskFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CPU work from tasks goes to worker JVMs through runInExecutor, without holding the loop. */
class AsyncProcessPoolTest {
    static long pid() {
        return ProcessHandle.current().pid();
    }

    @Test
    void runInExecutorRunsInAWorkerJvmWhileTheLoopGoesOn() {
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor(2)) {
            AtomicInteger ticks = new AtomicInteger();
            List<Long> pids = Async.run(() -> {
                Task<Void> ticker = Async.createTask(() -> {
                    for (int i = 0; i < 5; i++) {
                        Async.sleep(Duration.ofMillis(5));
                        ticks.incrementAndGet();
                    }
                    return null;
                });
                Task<Long> a = Async.createTask(() -> Async.runInExecutor(ex, AsyncProcessPoolTest::pid));
                Task<Long> b = Async.createTask(() -> Async.runInExecutor(ex, AsyncProcessPoolTest::pid));
                ticker.await();
                return Async.gather(a, b);
            });
            assertEquals(5, ticks.get());
            for (long p : pids) {
                assertNotEquals(pid(), p, "the work ran in this JVM, not a worker");
            }
        }
    }

    @Test
    void aFailureInTheWorkerComesBackAndCancellingTheWaiterCancelsTheWork() {
        try (ProcessPoolExecutor ex = new ProcessPoolExecutor(1)) {
            Async.run(() -> {
                RuntimeException e = assertThrows(RuntimeException.class, () -> Async.runInExecutor(ex, () -> {
                    throw new IllegalStateException("in worker");
                }));
                assertTrue(e instanceof TaskFailedException || e.getMessage().contains("in worker"), e.toString());
                Task<Integer> slow = Async.createTask(() -> Async.runInExecutor(ex, () -> {
                    Thread.sleep(60_000);
                    return 1;
                }));
                Async.sleep(Duration.ofMillis(200));
                slow.cancel();
                assertThrows(CancellationException.class, slow::await);
                // the worker was freed: the next call completes
                assertEquals(2, Async.runInExecutor(ex, () -> 2));
                return null;
            });
        }
    }
}
