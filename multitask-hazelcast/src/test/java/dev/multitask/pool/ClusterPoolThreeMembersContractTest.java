package dev.multitask.pool;

/** The Pool contract on three member JVMs. */
class ClusterPoolThreeMembersContractTest extends LocalClusterPoolContract {
    @Override
    int members() {
        return 3;
    }

    @Override
    int threadsPerMember() {
        return 2;
    }
}
