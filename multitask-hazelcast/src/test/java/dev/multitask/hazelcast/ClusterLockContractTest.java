package dev.multitask.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.multitask.sync.LockContract;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lock contract of multitask's locks, unchanged, on a ClusterLock; and the one difference
 * from {@code SharedLock}: an IMap lock is re-entrant (SharedLock refuses a second lock() by its
 * holder; use SharedRLock for that).
 */
class ClusterLockContractTest extends LockContract {
    static HazelcastInstance member;

    @BeforeAll
    static void start() {
        int port = Members.freePort();
        member = Members.start(Members.config("lock-contract-" + UUID.randomUUID(), port, List.of(port), 2));
    }

    @AfterAll
    static void stop() {
        member.shutdown();
    }

    @Override
    protected Lock newLock() {
        return ClusterLock.get(member, "lock-" + UUID.randomUUID());
    }

    @Override
    protected void dispose(Lock l) {
    }

    @Test
    void unlikeSharedLockItIsReentrant() throws Exception {
        ClusterLock l = (ClusterLock) lock;
        l.lock();
        assertTrue(l.tryLock(), "the holder takes it again");
        l.unlock();
        assertTrue(l.isLocked(), "still held once");
        l.unlock();
        assertEquals(false, l.isLocked());
    }
}
