package dev.multitask.pool;

import dev.multitask.hazelcast.ClusterPool;
import dev.multitask.hazelcast.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The Pool contract, unchanged, on member JVMs of one local cluster per test class, reached
 * through a client; each test's pool is a {@link ClusterPool} on that client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LocalClusterPoolContract extends PoolContract {
    private LocalCluster cluster;

    abstract int members();

    abstract int threadsPerMember();

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(members(), threadsPerMember());
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @Override
    protected Pool newPool(int n) {
        return new ClusterPool(cluster.client(), n);
    }
}
