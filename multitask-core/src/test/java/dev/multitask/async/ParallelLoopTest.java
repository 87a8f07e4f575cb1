package dev.multitask.async;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract in the parallel mode, plus what only it does: tasks run at the same time. */
class ParallelLoopTest extends AsyncContract {
    @Override
    EventLoop.Builder loopBuilder() {
        return EventLoop.builder().parallel(true);
    }

    @Test
    void tasksRunSimultaneously() {
        boolean met = run(() -> {
            CountDownLatch both = new CountDownLatch(2);
            Task<Boolean> a = Async.createTask(() -> {
                both.countDown();
                return both.await(30, TimeUnit.SECONDS); // blocks outside the library: only works in parallel
            });
            Task<Boolean> b = Async.createTask(() -> {
                both.countDown();
                return both.await(30, TimeUnit.SECONDS);
            });
            return a.await() && b.await();
        });
        assertTrue(met);
    }
}
