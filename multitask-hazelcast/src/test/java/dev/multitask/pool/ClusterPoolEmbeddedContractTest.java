package dev.multitask.pool;

import dev.multitask.hazelcast.ClusterPool;

/** The Pool contract, unchanged, on a Hazelcast member embedded in the test JVM. */
class ClusterPoolEmbeddedContractTest extends PoolContract {
    @Override
    protected Pool newPool(int n) {
        return ClusterPool.embedded(n);
    }
}
