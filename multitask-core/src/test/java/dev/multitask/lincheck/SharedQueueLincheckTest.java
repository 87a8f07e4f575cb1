package dev.multitask.lincheck;

import dev.multitask.queue.SharedQueue;
import org.jetbrains.kotlinx.lincheck.LinCheckerKt;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link SharedQueue} as a FIFO queue (its ring, commit order and the
 * process-local batch of taken records), checked by lincheck in stress mode. (Not by model
 * checking: its model sees the lock's VarHandle operations but not the ring's
 * {@code MemorySegment.get/set}, so it could not interleave there; a queue whose puts skipped the
 * lock passed it, and fails this stress test.)
 */
public class SharedQueueLincheckTest {
    private final SharedQueue<Integer> queue = SharedQueue.create(
            "lincheck-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), 0, 4096);

    public SharedQueueLincheckTest() {
        queue.unlink(); // the mapping stays valid; no file is left behind
    }

    @Operation
    public boolean offer(int x) {
        return queue.offer(x);
    }

    @Operation
    public Integer poll() {
        return queue.poll();
    }

    @Operation
    public Integer peek() {
        return queue.peek();
    }

    @Test
    void isLinearizable() {
        LinCheckerKt.check(new StressOptions().iterations(15).invocationsPerIteration(200).threads(3).actorsPerThread(3),
                SharedQueueLincheckTest.class);
    }
}
