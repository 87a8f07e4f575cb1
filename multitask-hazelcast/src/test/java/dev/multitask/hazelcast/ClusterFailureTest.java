package dev.multitask.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.ipc.SerializationException;
import dev.multitask.pool.GhostTask;
import dev.multitask.pool.ResultIterator;
import dev.multitask.pool.TaskFailedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Members killed with SIGKILL mid-work, no member left, and bad tasks, on member JVMs. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterFailureTest {
    @TempDir
    Path tmp;

    static int slowSquare(int x) {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return x * x;
    }

    @Test
    void killedMembersTasksAreRerunAndEveryResultIsReportedOnce() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(3, 2);
                ClusterPool pool = new ClusterPool(cluster.client(), 6)) {
            List<Integer> xs = IntStream.range(0, 60).boxed().toList();
            // map: take a few results, SIGKILL a member while the rest are running or queued
            List<Integer> got = new ArrayList<>();
            try (ResultIterator<Integer> it = pool.imap(ClusterFailureTest::slowSquare, xs, 1)) {
                for (int i = 0; i < 6; i++) {
                    got.add(it.next());
                }
                cluster.members().get(1).kill();
                while (it.hasNext()) {
                    got.add(it.next());
                }
            }
            assertEquals(xs.stream().map(x -> x * x).toList(), got, "complete and in order despite the killed member");

            // unordered: each result exactly once though a second member is killed mid-way
            Set<Integer> seen = new HashSet<>();
            int n = 0;
            try (ResultIterator<Integer> it = pool.imapUnordered(ClusterFailureTest::slowSquare, xs, 1)) {
                while (it.hasNext()) {
                    Integer v = it.next();
                    n++;
                    assertTrue(seen.add(v), "result " + v + " reported twice");
                    if (n == 5) {
                        cluster.members().get(2).kill();
                    }
                }
            }
            assertEquals(60, n);
            assertEquals(60, seen.size());
        }
    }

    @Test
    void withNoMemberLeftTasksFailClearlyInsteadOfHanging() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(1, 2);
                ClusterPool pool = new ClusterPool(cluster.client(), 2)) {
            assertEquals(1, pool.apply(() -> 1));
            var running = pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return 2;
            });
            Thread.sleep(300);
            cluster.members().get(0).kill();
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> running.get(90, TimeUnit.SECONDS));
            assertInstanceOf(ClusterUnavailableException.class, e.getCause(), e.toString());
            TaskFailedException later = assertThrows(TaskFailedException.class, () -> pool.apply(() -> 3));
            assertInstanceOf(ClusterUnavailableException.class, later.getCause());
        }
    }

    @Test
    void aNonSerializableTaskIsRefusedAtTheCallNamingTheClass() {
        try (ClusterPool pool = ClusterPool.embedded(1)) {
            Thread t = new Thread(() -> { });
            SerializationException e = assertThrows(SerializationException.class, () -> pool.apply(() -> t.getName()));
            assertEquals("java.lang.Thread", e.className());
            assertEquals(1, pool.apply(() -> 1), "the pool stays usable");
        }
    }

    /** A task whose class exists only in this JVM: the member cannot load it. */
    @Test
    void aTaskClassMissingOnTheMemberIsAClearError() throws Exception {
        try (GhostTask ghost = new GhostTask(tmp);
                LocalCluster cluster = LocalCluster.start(1, 1);
                ClusterPool pool = new ClusterPool(cluster.client(), 1)) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(ghost.task()));
            SerializationException s = assertInstanceOf(SerializationException.class, e.getCause());
            assertEquals("Ghost", s.className());
            assertTrue(s.getMessage().contains("not found on cluster member"), s.getMessage());
        }
    }
}
