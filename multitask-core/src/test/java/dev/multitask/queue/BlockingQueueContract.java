package dev.multitask.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link BlockingQueue} behaviour every cross-process queue of multitask keeps, run
 * against each ({@code SharedQueue} here, {@code ClusterQueue} in multitask-hazelcast).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class BlockingQueueContract {
    protected BlockingQueue<Integer> q;

    /** A new, empty, unbounded (or amply bounded) queue. */
    protected abstract BlockingQueue<Integer> newQueue();

    /** Releases what {@link #newQueue()} made. */
    protected abstract void dispose(BlockingQueue<Integer> queue);

    @BeforeEach
    void create() {
        q = newQueue();
    }

    @AfterEach
    void release() {
        dispose(q);
    }

    @Test
    void offerPeekAndPollAreFifo() {
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        assertNull(q.peek());
        for (int i = 1; i <= 3; i++) {
            assertTrue(q.offer(i));
        }
        assertEquals(3, q.size());
        assertEquals(1, q.peek());
        assertEquals(List.of(1, 2, 3), List.of(q.poll(), q.poll(), q.poll()));
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void putAndTakeAcrossThreadsKeepOrderAndLoseNothing() throws Exception {
        int n = 2_000;
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(i, q.take());
        }
        producer.join();
        assertTrue(q.isEmpty());
    }

    @Test
    void aTakeWaitsForAPutFromAnotherThread() throws Exception {
        Thread later = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
                q.put(42);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(42, q.take());
        later.join();
    }

    @Test
    void aTimedPollOfAnEmptyQueueReturnsNull() throws Exception {
        assertNull(q.poll(30, TimeUnit.MILLISECONDS));
        assertTrue(q.offer(7, 1, TimeUnit.SECONDS));
        assertEquals(7, q.poll(1, TimeUnit.SECONDS));
    }

    @Test
    void drainToMovesEverythingInOrder() throws Exception {
        for (int i = 0; i < 10; i++) {
            q.put(i);
        }
        List<Integer> out = new ArrayList<>();
        assertEquals(4, q.drainTo(out, 4));
        assertEquals(6, q.drainTo(out));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), out);
        assertTrue(q.isEmpty());
    }

    @Test
    void nullItemsAreRefusedAtTheCall() {
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.offer(null));
    }
}
