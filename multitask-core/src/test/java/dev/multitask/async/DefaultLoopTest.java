package dev.multitask.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The contract in the default mode, plus what only that mode promises: one task at a time, in a fixed order. */
class DefaultLoopTest extends AsyncContract {
    @Override
    EventLoop.Builder loopBuilder() {
        return EventLoop.builder();
    }

    @Test
    void tasksInterleaveOnlyAtWaitsInAFixedOrder() {
        for (int rep = 0; rep < 3; rep++) {
            List<String> order = run(() -> {
                List<String> seen = new ArrayList<>(); // no lock needed: one task at a time
                List<Task<Void>> ts = new ArrayList<>();
                for (String name : new String[] {"a", "b", "c"}) {
                    ts.add(Async.createTask(() -> {
                        for (int i = 0; i < 3; i++) {
                            seen.add(name + i);
                            Async.sleep(Duration.ZERO);
                        }
                        return null;
                    }));
                }
                Async.gather(ts);
                return seen;
            });
            assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"), order);
        }
    }

    @Test
    void unsynchronizedStateBetweenWaitsIsNeverRaced() {
        int[] counter = new int[1];
        run(() -> {
            List<Task<Void>> ts = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                ts.add(Async.createTask(() -> {
                    for (int i = 0; i < 200; i++) {
                        int v = counter[0];
                        for (int spin = 0; spin < 50; spin++) {
                            Thread.onSpinWait(); // widen the window a parallel run would race in
                        }
                        counter[0] = v + 1;
                        if (i % 10 == 0) {
                            Async.sleep(Duration.ZERO);
                        }
                    }
                    return null;
                }));
            }
            Async.gather(ts);
            return null;
        });
        assertEquals(50 * 200, counter[0]);
    }

    @Test
    void debugModeReportsATaskThatBlocksTheLoop() {
        List<String> reports = new CopyOnWriteArrayList<>();
        List<Throwable> stacks = new CopyOnWriteArrayList<>();
        EventLoop.builder().debug(true).slowTaskThreshold(Duration.ofMillis(50)).exceptionHandler((m, t) -> {
            reports.add(m);
            stacks.add(t);
        }).build().run(() -> {
            Async.createTask("sleeper", () -> {
                Thread.sleep(400); // blocks the loop: not Async.sleep
                return null;
            }).await();
            return null;
        });
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).contains("sleeper") && reports.get(0).contains("blocks"), reports.get(0));
        assertNotNull(stacks.get(0));
        boolean inSleep = false;
        for (StackTraceElement e : stacks.get(0).getStackTrace()) {
            inSleep |= e.getMethodName().equals("sleep") && e.getClassName().equals("java.lang.Thread");
        }
        assertTrue(inSleep, "the report carries the blocking task's stack");
    }
}
