package dev.multitask.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executor, queue, lock and semaphore on two member JVMs, used from this JVM's client and
 * from tasks running on the members (so two JVMs really contend).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterPrimitivesTest {
    static LocalCluster cluster;
    static HazelcastInstance hz;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(2, 2);
        hz = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static String unique(String what) {
        return what + "-" + UUID.randomUUID();
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    @Test
    void executorRunsOnMembersAndFollowsTheExecutorServiceContract() throws Exception {
        ClusterExecutor ex = new ClusterExecutor(hz, 4);
        Future<Long> f = ex.submit(ClusterPrimitivesTest::pid);
        assertTrue(f.get() != pid(), "the task ran on a member, not here");
        assertEquals(List.of(1, 4, 9), ex.map(x -> x * x, List.of(1, 2, 3)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> ex.submit(() -> {
            throw new IllegalStateException("remote");
        }).get());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("remote", e.getCause().getMessage());
        dev.multitask.function.SerializableCallable<Integer> one = () -> 1;
        dev.multitask.function.SerializableCallable<Integer> two = () -> 2;
        List<Future<Integer>> all = ex.invokeAll(List.of(one, two));
        assertEquals(3, all.get(0).get() + all.get(1).get());
        dev.multitask.function.SerializableCallable<Integer> five = () -> 5;
        assertEquals(Integer.valueOf(5), ex.invokeAny(List.of(five)));
        Runnable notSerializable = new Runnable() {
            @Override
            public void run() {
            }
        };
        assertThrows(dev.multitask.ipc.SerializationException.class, () -> ex.submit(notSerializable));
        ex.shutdown();
        assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
        assertTrue(ex.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(ex.isTerminated());
    }

    @Test
    void anEmbeddedExecutorNeedsNoSetup() throws Exception {
        try (ClusterExecutor ex = ClusterExecutor.embedded(2)) {
            assertEquals(Integer.valueOf(6), ex.submit(() -> 2 * 3).get());
        }
    }

    @Test
    void queueCarriesItemsBetweenThisJvmAndTasksOnMembers() throws Exception {
        String name = unique("q");
        ClusterQueue<String> q = ClusterQueue.get(hz, name);
        q.put("a");
        q.put("b");
        assertEquals(2, q.size());
        assertEquals("a", q.take());
        try (ClusterPool pool = new ClusterPool(hz, 2)) {
            // a task on a member takes the next item and puts an answer back on the same queue
            String got = pool.apply(() -> {
                ClusterQueue<String> remote = ClusterQueue.get(com.hazelcast.core.Hazelcast.getAllHazelcastInstances().iterator().next(), name);
                String item = remote.take();
                remote.put("seen:" + item);
                return item;
            });
            assertEquals("b", got);
        }
        assertEquals("seen:b", q.poll(30, TimeUnit.SECONDS));
        assertEquals(null, q.poll(10, TimeUnit.MILLISECONDS), "a timed poll of an empty queue returns null");
        assertThrows(NullPointerException.class, () -> q.put(null));
        ClusterQueue<Object> anything = ClusterQueue.get(hz, unique("q2"));
        assertThrows(RuntimeException.class, () -> anything.put(new Object()), "a non-serializable item fails at put");
        q.destroy();
    }

    @Test
    void lockExcludesOtherJvms() throws Exception {
        String name = unique("lock");
        ClusterLock lock = ClusterLock.get(hz, name);
        assertEquals(ClusterLock.Mode.MAP, lock.mode(), "the open-source edition has no CP subsystem");
        try (ClusterPool pool = new ClusterPool(hz, 2)) {
            try (var held = lock.acquire()) {
                assertTrue(lock.isLocked());
                // a task on a member cannot take it while this JVM holds it
                boolean gotIt = pool.apply(() -> ClusterLock.get(anyMember(), name).tryLock(Duration.ofMillis(200)));
                assertFalse(gotIt);
            }
            assertTrue(pool.apply(() -> {
                ClusterLock l = ClusterLock.get(anyMember(), name);
                boolean ok = l.tryLock(Duration.ofSeconds(10));
                l.unlock();
                return ok;
            }));
        }
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlock by a thread that does not hold it");
        assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertThrows(UnsupportedOperationException.class, lock::fence);
    }

    static HazelcastInstance anyMember() {
        return com.hazelcast.core.Hazelcast.getAllHazelcastInstances().iterator().next();
    }

    @Test
    void semaphoreCountsPermitsAcrossJvms() throws Exception {
        String name = unique("sem");
        ClusterSemaphore sem = ClusterSemaphore.get(hz, name, 2);
        assertEquals(ClusterLock.Mode.MAP, sem.mode());
        assertTrue(sem.tryAcquire());
        assertTrue(sem.tryAcquire());
        assertFalse(sem.tryAcquire());
        try (ClusterPool pool = new ClusterPool(hz, 2)) {
            // a member waits for a permit that this JVM releases meanwhile
            var waiting = pool.applyAsync(() -> ClusterSemaphore.get(anyMember(), name, 2).tryAcquire(Duration.ofSeconds(30)));
            Thread.sleep(200);
            assertFalse(waiting.isDone());
            sem.release();
            assertTrue(waiting.get(30, TimeUnit.SECONDS));
        }
        assertEquals(0, sem.availablePermits());
        ClusterSemaphore bounded = ClusterSemaphore.bounded(hz, unique("bsem"), 1);
        assertThrows(IllegalStateException.class, bounded::release);
        List<Integer> order = new ArrayList<>();
        order.add(bounded.availablePermits());
        assertEquals(List.of(1), order);
    }
}
