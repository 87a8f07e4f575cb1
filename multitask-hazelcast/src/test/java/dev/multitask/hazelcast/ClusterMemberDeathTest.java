package dev.multitask.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import dev.multitask.process.ChildProcess;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A member killed with SIGKILL while holding the lock and a permit: neither stays taken. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterMemberDeathTest {
    static long holdLockAndPermit(String lockName, String semName) {
        var me = Hazelcast.getAllHazelcastInstances().iterator().next();
        ClusterLock.get(me, lockName).lock();
        try {
            if (!ClusterSemaphore.get(me, semName, 1).tryAcquire(Duration.ofSeconds(10))) {
                throw new IllegalStateException("no permit");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return ProcessHandle.current().pid(); // returns holding both: the member keeps them
    }

    @Test
    void aKilledMembersLockAndPermitsComeBack() throws Exception {
        String lockName = "lock-" + UUID.randomUUID();
        String semName = "sem-" + UUID.randomUUID();
        try (LocalCluster cluster = LocalCluster.start(2, 1);
                ClusterPool pool = new ClusterPool(cluster.client(), 1)) {
            ClusterLock lock = ClusterLock.get(cluster.client(), lockName);
            ClusterSemaphore sem = ClusterSemaphore.get(cluster.client(), semName, 1);
            long holder = pool.apply(() -> holdLockAndPermit(lockName, semName));
            assertTrue(lock.isLocked());
            assertFalse(lock.tryLock());
            assertEquals(0, sem.availablePermits());
            ChildProcess victim = cluster.members().stream().filter(m -> m.pid() == holder).findFirst().orElseThrow();
            victim.kill();
            assertTrue(lock.tryLock(Duration.ofSeconds(60)), "the dead member's lock was released");
            lock.unlock();
            assertTrue(sem.tryAcquire(Duration.ofSeconds(60)), "the dead member's permit was given back");
            sem.release();
        }
    }
}
