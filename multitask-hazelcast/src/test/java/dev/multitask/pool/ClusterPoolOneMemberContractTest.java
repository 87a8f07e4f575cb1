package dev.multitask.pool;

/** The Pool contract on one member JVM. */
class ClusterPoolOneMemberContractTest extends LocalClusterPoolContract {
    @Override
    int members() {
        return 1;
    }

    @Override
    int threadsPerMember() {
        return 4;
    }
}
