package dev.multitask.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.multitask.queue.BlockingQueueContract;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The BlockingQueue contract of multitask's queues, unchanged, on a ClusterQueue. */
class ClusterQueueContractTest extends BlockingQueueContract {
    static HazelcastInstance member;

    @BeforeAll
    static void start() {
        int port = Members.freePort();
        member = Members.start(Members.config("queue-contract-" + UUID.randomUUID(), port, List.of(port), 2));
    }

    @AfterAll
    static void stop() {
        member.shutdown();
    }

    @Override
    protected BlockingQueue<Integer> newQueue() {
        return ClusterQueue.get(member, "q-" + UUID.randomUUID());
    }

    @Override
    protected void dispose(BlockingQueue<Integer> queue) {
        ((ClusterQueue<Integer>) queue).destroy();
    }
}
