package dev.multitask.pool;

import dev.multitask.hazelcast.ClusterPool;
import dev.multitask.hazelcast.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Pool contract, unchanged, on three member JVMs reached through a client. */
class ClusterPoolThreeMembersContractTest extends PoolContract {
    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(3, 2);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected Pool newPool(int n) {
        return new ClusterPool(cluster.client(), n);
    }
}
