package dev.multitask.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.pool.AsyncResult;
import dev.multitask.pool.ProcessPool;
import dev.multitask.process.ChildProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedQueueTest {
    private final List<SharedQueue<?>> queues = new ArrayList<>();

    private <T> SharedQueue<T> track(SharedQueue<T> q) {
        queues.add(q);
        return q;
    }

    @AfterEach
    void unlink() {
        for (SharedQueue<?> q : queues) {
            q.unlink();
            q.close();
        }
    }

    @Test
    void isAFifoBlockingQueue() throws Exception {
        SharedQueue<Object> q = track(SharedQueue.create());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
        q.put("a");
        q.put(2);
        q.add(List.of(3, "x"));
        assertEquals(3, q.size());
        assertEquals("a", q.peek());
        List<Object> snapshot = new ArrayList<>();
        q.iterator().forEachRemaining(snapshot::add);
        assertEquals(List.of("a", 2, List.of(3, "x")), snapshot);
        assertEquals("a", q.take());
        assertEquals(2, q.poll(Duration.ofSeconds(1)));
        List<Object> rest = new ArrayList<>();
        assertEquals(1, q.drainTo(rest));
        assertEquals(List.of(List.of(3, "x")), rest);
        assertNull(q.poll(10, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> q.put(null));
    }

    @Test
    void boundsAreKeptAndWaitedOn() throws Exception {
        SharedQueue<Integer> q = track(SharedQueue.create(2));
        assertTrue(q.offer(1));
        assertTrue(q.offer(2));
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer(3));
        assertFalse(q.offer(3, Duration.ofMillis(50)));
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
                q.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        q.put(3); // waits until the consumer makes room
        consumer.join();
        assertEquals(List.of(2, 3), List.of(q.take(), q.take()));

        SharedQueue<byte[]> small = track(SharedQueue.create("q-small-" + ProcessHandle.current().pid(), 0, 256));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> small.put(new byte[1000]));
        assertTrue(big.getMessage().contains("larger buffer"));
        for (int round = 0; round < 50; round++) { // wraps around the small ring many times
            small.put(new byte[100]);
            assertEquals(100, small.take().length);
        }
    }

    /**
     * A consumer takes records in batches, copied at once from the ring; on a small ring the
     * batches wrap around its end, past padding, in every position. Checked against a model
     * (an ArrayDeque) with random record sizes, burst lengths and interleavings.
     */
    @Test
    void batchesThatWrapAroundTheRingKeepEveryRecordInOrder() throws Exception {
        for (long seed = 1; seed <= 24; seed++) {
            java.util.Random rnd = new java.util.Random(seed);
            boolean large = seed > 20; // records of up to 150 KB on a 1 MiB ring: batches end at BATCH_BYTES
            int maxRecord = large ? 150_000 : 40;
            SharedQueue<byte[]> q = track(SharedQueue.create("q-wrap-" + ProcessHandle.current().pid() + "-" + seed, 0,
                    large ? 1 << 20 : 64 + rnd.nextInt(512)));
            java.util.ArrayDeque<byte[]> model = new java.util.ArrayDeque<>();
            int next = 0;
            for (int step = 0; step < (large ? 100 : 400); step++) {
                if (rnd.nextBoolean()) {
                    for (int k = rnd.nextInt(8); k >= 0; k--) {
                        byte[] e = new byte[rnd.nextInt(maxRecord)];
                        java.util.Arrays.fill(e, (byte) next++);
                        if (!q.offer(e)) {
                            break; // full
                        }
                        model.add(e);
                    }
                } else {
                    for (int k = rnd.nextInt(8); k >= 0 && !model.isEmpty(); k--) {
                        if (k == 0) {
                            assertTrue(java.util.Arrays.equals(model.peek(), q.peek()), "peek, seed " + seed);
                        }
                        assertTrue(java.util.Arrays.equals(model.poll(), q.poll()), "seed " + seed + ", step " + step);
                    }
                }
                assertEquals(model.size(), q.size(), "size, seed " + seed);
                if (step % 50 == 0) {
                    List<byte[]> snapshot = new ArrayList<>();
                    q.iterator().forEachRemaining(snapshot::add);
                    assertEquals(model.size(), snapshot.size());
                    java.util.Iterator<byte[]> m = model.iterator();
                    for (byte[] b : snapshot) {
                        assertTrue(java.util.Arrays.equals(m.next(), b), "iterator, seed " + seed);
                    }
                }
            }
            while (!model.isEmpty()) {
                assertTrue(java.util.Arrays.equals(model.poll(), q.poll()));
            }
            assertNull(q.poll());
        }
    }

    static int produce(SharedQueue<Integer> q, int from, int n) throws InterruptedException {
        for (int i = from; i < from + n; i++) {
            q.put(i);
        }
        return n;
    }

    static int consume(SharedQueue<Integer> q, SharedQueue<Integer> out, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            out.put(q.take());
        }
        return n;
    }

    @Test
    void manyProducersAndConsumersInSeveralProcessesDeliverEachElementOnce() throws Exception {
        SharedQueue<Integer> q = track(SharedQueue.create(100));
        SharedQueue<Integer> out = track(SharedQueue.create());
        int per = 5_000;
        try (ProcessPool pool = new ProcessPool(2)) {
            AsyncResult<Integer> p1 = pool.applyAsync(() -> produce(q, 0, per));
            AsyncResult<Integer> p2 = pool.applyAsync(() -> produce(q, per, per));
            Thread localConsumer = Thread.ofPlatform().start(() -> {
                try {
                    consume(q, out, per);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < per; i++) {
                int v = q.take();
                assertTrue(seen.add(v), "element " + v + " was delivered twice");
            }
            localConsumer.join();
            assertEquals(per, p1.get());
            assertEquals(per, p2.get());
            List<Integer> rest = new ArrayList<>();
            out.drainTo(rest);
            for (int v : rest) {
                assertTrue(seen.add(v), "element " + v + " was delivered twice");
            }
            assertEquals(2 * per, seen.size());
            assertTrue(q.isEmpty());
        }
    }

    @Test
    void joinWaitsForEveryTaskDoneAcrossProcesses() throws Exception {
        SharedQueue<String> q = track(SharedQueue.create());
        for (int i = 0; i < 5; i++) {
            q.put("job " + i);
        }
        ChildProcess worker = new ChildProcess(() -> {
            try {
                for (int i = 0; i < 5; i++) {
                    q.take();
                    Thread.sleep(20);
                    q.taskDone();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        q.join();
        assertTrue(q.isEmpty());
        worker.join();
        assertEquals(0, worker.exitCode().orElseThrow());
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    static void produceForever(SharedQueue<Integer> q) {
        try {
            for (int i = 0; ; i++) {
                q.put(i);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL a producer in the middle of its puts: the queue stays usable, in order, never corrupt. */
    @Test
    void aProducerKilledMidPutLeavesAUsableQueue() throws Exception {
        SharedQueue<Integer> q = track(SharedQueue.create("q-kill-" + ProcessHandle.current().pid(), 50, 4096));
        ChildProcess producer = new ChildProcess(() -> produceForever(q));
        producer.start();
        int expected = 0;
        for (int i = 0; i < 2_000; i++) {
            assertEquals(expected++, q.take());
        }
        producer.kill();
        producer.join();
        // whatever was committed before the kill comes out whole and in order, then nothing
        Integer v;
        while ((v = q.poll(Duration.ofMillis(200))) != null) {
            assertEquals(expected++, v);
        }
        q.put(-1);
        assertEquals(-1, q.take(), "the queue still works after its producer died");
    }
}
